import {describe, expect, it} from 'vitest';
import {applySgr, defaultStyle, transition, withLink} from '../../source/ui/screen/style.js';

const style = (parameters: string) => applySgr(defaultStyle, parameters);

describe('transition between styles', () => {
	it('is empty for the same style', () => {
		expect(transition(style('1;31'), style('31;1'))).toBe('');
	});

	it('adds and removes only what changes', () => {
		expect(transition(style('1'), style('1;31'))).toBe('\u001B[31m');
		expect(transition(style('7;31'), style('7'))).toBe('\u001B[39m');
		expect(transition(style('2;31'), style('7;31'))).toBe('\u001B[22;7m');
	});

	it('sets dim again after the 22 that ends bold', () => {
		expect(transition(style('1;2;31'), style('2;31'))).toBe('\u001B[22;2m');
	});

	it('resets when that is shorter, and to the default look with a bare reset', () => {
		expect(transition(style('1;3;4;9'), defaultStyle)).toBe('\u001B[m');
		expect(transition(style('1;3;4;31;44'), style('7'))).toBe('\u001B[0;7m');
	});

	it('sets everything after a reset when the terminal style is not known', () => {
		expect(transition(undefined, style('1;32'))).toBe('\u001B[0;1;32m');
		expect(transition(undefined, defaultStyle)).toBe('\u001B[m');
	});

	it('opens and closes hyperlinks', () => {
		const open = '\u001B]8;;https://example.com\u0007';
		const linked = withLink(defaultStyle, open, 'https://example.com');
		expect(transition(defaultStyle, linked)).toBe(open);
		expect(transition(linked, style('1'))).toBe('\u001B[1m\u001B]8;;\u0007');
	});
});
