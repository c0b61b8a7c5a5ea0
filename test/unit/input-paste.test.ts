import {describe, expect, it} from 'vitest';
import {draftMessages} from '../../source/ui/input/draft-messages.js';
import {appendPasted, looksPasted, pastedLines, pastedTabsAsSpaces} from '../../source/ui/input/paste-hold.js';
import {decodeKeys} from '../../source/ui/keys/decode.js';

describe('pastedLines', () => {
	it('joins what was typed before the cursor to the first line and after it to the last', () => {
		expect(pastedLines({saved: {value: 'ab', cursor: 1}, lines: ['one', 'two'], whole: true})).toEqual(['aone', 'twob']);
	});

	it('drops blank lines', () => {
		expect(pastedLines({saved: {value: '', cursor: 0}, lines: ['one', ' ', 'two', ''], whole: true})).toEqual(['one', 'two']);
	});
});

describe('appendPasted', () => {
	it('splits at Enter and keeps a pasted Tab as a space', () => {
		expect(appendPasted([], decodeKeys('a\tb\rc'))).toEqual(['a b', 'c']);
	});

	it('lets the last line grow with the next chunk', () => {
		expect(appendPasted(['one', 'tw'], decodeKeys('o\rthree'))).toEqual(['one', 'two', 'three']);
	});
});

describe('looksPasted', () => {
	it('is a paste when a line break is followed by more, not when a line ends with Enter', () => {
		expect(looksPasted(decodeKeys('one\rtwo'))).toBe(true);
		expect(looksPasted(decodeKeys('hi\r'))).toBe(false);
	});
});

describe('pastedTabsAsSpaces', () => {
	it('keeps a Tab typed alone (or before Enter) a completion key', () => {
		expect(pastedTabsAsSpaces(decodeKeys('\t'))).toEqual([{type: 'key', name: 'complete'}]);
		expect(pastedTabsAsSpaces(decodeKeys('bo\t\r'))).toEqual([{type: 'text', text: 'bo'}, {type: 'key', name: 'complete'}, {type: 'key', name: 'enter'}]);
	});

	it('reads a Tab with text after it in the same read as a pasted space', () => {
		expect(pastedTabsAsSpaces(decodeKeys('a\tb'))).toEqual([{type: 'text', text: 'a'}, {type: 'text', text: ' '}, {type: 'text', text: 'b'}]);
	});
});

describe('draftMessages', () => {
	it('submits a one-line draft as it is', () => {
		expect(draftMessages('hello')).toEqual(['hello']);
	});

	it('submits a multi-line draft as one message, without blank lines at its ends', () => {
		expect(draftMessages('\none\n\ntwo\n')).toEqual(['one\n\ntwo']);
		expect(draftMessages('/me waves\nand bows')).toEqual(['/me waves\nand bows']);
		expect(draftMessages('//etc/hosts\nis the file')).toEqual(['//etc/hosts\nis the file']);
	});

	it('runs a paste of commands one by one, as typed (never one mangled command)', () => {
		expect(draftMessages('/join #a\n/join #b')).toEqual(['/join #a', '/join #b']);
		expect(draftMessages('/nick bob\n\n/proto tcp\n')).toEqual(['/nick bob', '/proto tcp']);
		expect(draftMessages('/quit bye\nsee you')).toEqual(['/quit bye', 'see you']);
	});
});
