import {describe, expect, it} from 'vitest';
import {InputBox} from '../../source/ui/input/input-box.js';
import type {InputLine} from '../../source/ui/input/input-line.js';
import {textWidth} from '../../source/text/text-width.js';
import {render, rows} from '../helpers/render.js';

function box(line: InputLine, options: {width?: number; placeholder?: string} = {}) {
	const {width = 40, placeholder} = options;
	return render(<InputBox line={line} width={width} row={5} placeholder={placeholder} />);
}

/** The input row: the second row of the box, under the rule. */
function inputRow(line: InputLine, options: {width?: number; placeholder?: string} = {}): string {
	return rows(box(line, options).frame())[1] ?? '';
}

describe('InputBox', () => {
	it('shows the prompt and the text', () => {
		expect(inputRow({value: 'hello world', cursor: 11})).toBe('> hello world');
	});

	it('draws a rule above the input as wide as the box', () => {
		expect(rows(box({value: '', cursor: 0}).frame())[0]).toBe('─'.repeat(40));
	});

	it('shows the placeholder after the prompt when the input is empty', () => {
		expect(inputRow({value: '', cursor: 0}, {placeholder: 'type a message'})).toBe('> type a message');
	});

	it('hides the placeholder once there is text', () => {
		const row = inputRow({value: 'x', cursor: 1}, {placeholder: 'type a message'});
		expect(row).toBe('> x');
	});

	it('shows only the prompt when the input is empty and there is no placeholder', () => {
		expect(inputRow({value: '', cursor: 0})).toBe('>');
	});

	it('shows CJK and emoji text as typed', () => {
		expect(inputRow({value: '你好👍🏽', cursor: 8})).toBe('> 你好👍🏽');
	});

	it('scrolls a long draft so the end stays visible while typing at the end', () => {
		const value = `${'a'.repeat(100)}END`;
		const row = inputRow({value, cursor: value.length});
		expect(row.startsWith('> ')).toBe(true);
		expect(row.endsWith('END')).toBe(true);
		expect(textWidth(row)).toBeLessThanOrEqual(40);
	});

	it('shows the start of a long draft when the cursor is at the start', () => {
		const value = `START${'b'.repeat(100)}`;
		const row = inputRow({value, cursor: 0});
		expect(row.startsWith('> START')).toBe(true);
		expect(textWidth(row)).toBeLessThanOrEqual(40);
	});

	it('scrolls a long CJK draft without cutting a wide character in half', () => {
		const value = '漢字'.repeat(40);
		const row = inputRow({value, cursor: value.length});
		expect(row.startsWith('> <')).toBe(true);
		const text = row.slice(3);
		expect(text.length).toBeGreaterThan(0);
		expect(value.endsWith(text)).toBe(true);
		expect(textWidth(row)).toBeLessThanOrEqual(40);
		expect(row).not.toContain('…');
	});

	it('marks text hidden at the right edge with > when the cursor is at the start', () => {
		const value = `START${'b'.repeat(100)}`;
		const row = inputRow({value, cursor: 0});
		expect(row.startsWith('> START')).toBe(true);
		expect(row.endsWith('>')).toBe(true);
		expect(textWidth(row)).toBeLessThanOrEqual(40);
	});

	it('marks text hidden at the left edge with < while typing at the end', () => {
		const value = `${'a'.repeat(100)}END`;
		const row = inputRow({value, cursor: value.length});
		expect(row.startsWith('> <a')).toBe(true);
		expect(row.endsWith('aEND')).toBe(true);
	});

	it('marks both edges when the cursor is in the middle of a long draft', () => {
		const value = `${'a'.repeat(60)}MID${'z'.repeat(60)}`;
		const row = inputRow({value, cursor: 61});
		expect(row).toMatch(/^> <a+MI>$/);
		expect(textWidth(row)).toBeLessThanOrEqual(40);
	});

	it('shows a multi-line draft on one row, each line break as ⏎', () => {
		expect(inputRow({value: 'one\ntwo\nthree', cursor: 13})).toBe('> one⏎two⏎three');
	});
});
