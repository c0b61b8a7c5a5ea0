import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {sanitize} from '../../source/net/wire/sanitize.js';

// eslint-disable-next-line no-control-regex
const control = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\u2028\u2029]/;

describe('sanitize', () => {
	it.each([
		['OSC 0 title', '\u001B]0;pwned\u0007hello'],
		['OSC 52 clipboard', '\u001B]52;c;ZWNobyBoaQ==\u001B\\text'],
		['OSC 8 link', '\u001B]8;;http://evil\u001B\\click\u001B]8;;\u001B\\'],
		['CSI 21 t', '\u001B[21t'],
		['DECRQSS', '\u001BP$q"p\u001B\\'],
		['C1 CSI', '\u009B31mred'],
		['bare CR', 'fake\roverwrite'],
		['bidi override', 'abc\u202Edef'],
		['line separator', 'a\u2028b'],
	])('leaves no control character in %s', (_name, input) => {
		const output = sanitize(input);
		expect(output).not.toMatch(control);
		expect(sanitize(output)).toBe(output);
	});

	it('keeps the visible text of an escape sequence', () => {
		expect(sanitize('\u001B]0;title\u0007hello')).toBe('␛]0;title␇hello');
	});

	it('keeps CJK, emoji with ZWJ and skin tone, and combining marks intact', () => {
		const text = '你好 👩‍👩‍👧 👍🏽 e\u0301 ❤️';
		expect(sanitize(text)).toBe(text);
	});

	it('turns a tab into spaces', () => {
		expect(sanitize('a\tb')).toBe('a    b');
	});
});

describe('sanitize against hostile input', () => {
	it.each([
		['OSC 2 title', '\u001B]2;owned\u001B\\'],
		['OSC 50 font query', '\u001B]50;?\u0007'],
		['OSC 52 read clipboard', '\u001B]52;c;?\u0007'],
		['DCS', '\u001BPq#0;2;0;0;0\u001B\\'],
		['APC', '\u001B_Gf=100;AAAA\u001B\\'],
		['PM', '\u001B^secret\u001B\\'],
		['SOS', '\u001BXsos\u001B\\'],
		['unterminated OSC', '\u001B]0;never ends'],
		['unterminated CSI', '\u001B[1;2'],
		['8-bit OSC', '\u009D0;title\u009C'],
		['cursor save/restore', '\u001B7\u001B8'],
		['bidi isolates', '\u2066abc\u2069 \u2067def\u2068'],
		['paragraph separator', 'a\u2029b'],
		['NUL and BEL', 'a\u0000b\u0007c'],
	])('neutralises %s', (_name, input) => {
		const output = sanitize(input);
		expect(output).not.toMatch(control);
		expect(output).not.toContain('\u001B');
	});

	it('never outputs a control character, whatever the input (property)', () => {
		fc.assert(
			fc.property(fc.string({unit: 'binary', maxLength: 200}), input => {
				expect(sanitize(input)).not.toMatch(control);
			}),
			{numRuns: 2000},
		);
	});

	it('changes nothing when applied twice (property)', () => {
		fc.assert(
			fc.property(fc.string({unit: 'binary', maxLength: 200}), input => {
				const once = sanitize(input);
				expect(sanitize(once)).toBe(once);
			}),
			{numRuns: 2000},
		);
	});

	it('leaves printable text alone (property)', () => {
		const printable = fc.string({unit: fc.constantFrom('a', 'Z', ' ', '你', '好', '👍', '\u0301', 'é', '€', '—'), maxLength: 100});
		fc.assert(
			fc.property(printable, input => {
				expect(sanitize(input)).toBe(input);
			}),
		);
	});
});
