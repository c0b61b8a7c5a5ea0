import {describe, expect, it} from 'vitest';
import {sanitize} from '../../source/net/sanitize.js';

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
