import {describe, expect, it} from 'vitest';
import {decodeKeys} from '../../source/ui/keys/decode.js';

describe('decodeKeys', () => {
	it('splits text and Enter that arrive in one chunk', () => {
		expect(decodeKeys('hi\r')).toEqual([{type: 'text', text: 'hi'}, {type: 'key', name: 'enter'}]);
	});

	it('tells Backspace (DEL) from the Delete key', () => {
		expect(decodeKeys('\u007F')).toEqual([{type: 'key', name: 'backspace'}]);
		expect(decodeKeys('\u001B[3~')).toEqual([{type: 'key', name: 'delete'}]);
	});

	it('reads Ctrl+T as the protocol toggle, never as a letter', () => {
		expect(decodeKeys('\u0014')).toEqual([{type: 'key', name: 'toggle-protocol'}]);
	});

	it('reads arrows, Home/End and Page keys in their common encodings', () => {
		expect(decodeKeys('\u001B[D')).toEqual([{type: 'key', name: 'left'}]);
		expect(decodeKeys('\u001BOH')).toEqual([{type: 'key', name: 'home'}]);
		expect(decodeKeys('\u001B[4~')).toEqual([{type: 'key', name: 'end'}]);
		expect(decodeKeys('\u001B[5~')).toEqual([{type: 'key', name: 'page-up'}]);
	});

	it('drops unknown escape sequences instead of typing them', () => {
		expect(decodeKeys('\u001B[15~')).toEqual([]);
	});

	it('keeps CJK and emoji text whole', () => {
		expect(decodeKeys('你好👍🏽')).toEqual([{type: 'text', text: '你好👍🏽'}]);
	});
});

describe('decodeKeys, line and paste keys', () => {
	it('reads Ctrl+E as the end of the line only, and Ctrl+K as delete to the end', () => {
		expect(decodeKeys('\u0005')).toEqual([{type: 'key', name: 'line-end'}]);
		expect(decodeKeys('\u000B')).toEqual([{type: 'key', name: 'kill-to-end'}]);
	});

	it('reads the bracketed paste markers', () => {
		expect(decodeKeys('\u001B[200~')).toEqual([{type: 'key', name: 'paste-start'}]);
		expect(decodeKeys('\u001B[201~')).toEqual([{type: 'key', name: 'paste-end'}]);
	});
});

describe('decodeKeys, buffer keys', () => {
	it('reads Alt+1..9 (ESC then the digit, as tmux send-keys M-1 sends) as going to that buffer', () => {
		for (let digit = 1; digit <= 9; digit++) {
			expect(decodeKeys(`\u001B${digit}`)).toEqual([{type: 'key', name: `buffer-${digit}`}]);
		}
	});

	it('reads Alt+Left/Right in both encodings as the previous/next buffer', () => {
		expect(decodeKeys('\u001B[1;3D')).toEqual([{type: 'key', name: 'buffer-prev'}]);
		expect(decodeKeys('\u001B[1;3C')).toEqual([{type: 'key', name: 'buffer-next'}]);
		expect(decodeKeys('\u001B\u001B[D')).toEqual([{type: 'key', name: 'buffer-prev'}]);
		expect(decodeKeys('\u001B\u001B[C')).toEqual([{type: 'key', name: 'buffer-next'}]);
	});

	it('reads Ctrl+N and Ctrl+P as the next and previous buffer, also inside typed text', () => {
		expect(decodeKeys('\u000E')).toEqual([{type: 'key', name: 'buffer-next'}]);
		expect(decodeKeys('\u0010')).toEqual([{type: 'key', name: 'buffer-prev'}]);
		expect(decodeKeys('a\u000Eb')).toEqual([{type: 'text', text: 'a'}, {type: 'key', name: 'buffer-next'}, {type: 'text', text: 'b'}]);
	});

	it('keeps word moves on Ctrl+Left/Right and Alt+B/F, and history on Up/Down', () => {
		expect(decodeKeys('\u001B[1;5D')).toEqual([{type: 'key', name: 'word-left'}]);
		expect(decodeKeys('\u001B[1;5C')).toEqual([{type: 'key', name: 'word-right'}]);
		expect(decodeKeys('\u001Bb')).toEqual([{type: 'key', name: 'word-left'}]);
		expect(decodeKeys('\u001Bf')).toEqual([{type: 'key', name: 'word-right'}]);
		expect(decodeKeys('\u001B[A')).toEqual([{type: 'key', name: 'up'}]);
		expect(decodeKeys('\u001BOB')).toEqual([{type: 'key', name: 'down'}]);
	});

	it('does not type Alt+0 or another Alt+digit it does not bind', () => {
		expect(decodeKeys('\u001B0')).toEqual([]);
	});
});
