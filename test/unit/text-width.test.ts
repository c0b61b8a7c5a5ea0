import {describe, expect, it} from 'vitest';
import {textWidth, wrapText} from '../../source/text/text-width.js';

describe('wrapText', () => {
	it('breaks after spaces so words stay whole', () => {
		expect(wrapText('hello world this is a test', 10)).toEqual(['hello ', 'world this', 'is a test']);
	});

	it('breaks a word longer than the row anywhere', () => {
		expect(wrapText('a'.repeat(23), 10)).toEqual(['a'.repeat(10), 'a'.repeat(10), 'aaa']);
	});

	it('never splits a wide character and counts it as two columns', () => {
		const rows = wrapText('你好你好你好你好', 5);
		expect(rows.join('')).toBe('你好你好你好你好');
		for (const row of rows) {
			expect(textWidth(row)).toBeLessThanOrEqual(5);
		}
	});

	it('keeps every character but the spaces it breaks at', () => {
		const text = 'The quick 棕色 fox 👩‍👩‍👧 jumps over the lazy dog again and again';
		for (let width = 1; width < 30; width++) {
			const rows = wrapText(text, width);
			expect(rows.join('').replaceAll(' ', '')).toBe(text.replaceAll(' ', ''));
			for (const row of rows) {
				expect(textWidth(row)).toBeLessThanOrEqual(Math.max(width, 2));
			}
		}
	});
});
