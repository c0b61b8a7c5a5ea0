import fc from 'fast-check';
import iconv from 'iconv-lite';
import {describe, expect, it} from 'vitest';
import {splitForDatagram} from '../../source/net/wire/split-datagram.js';
import {graphemes} from '../../source/text/text-width.js';

const utf8 = (text: string): number => Buffer.byteLength(text, 'utf8');
const gbk = (text: string): number => iconv.encode(text, 'gbk').length;

/** Offsets in text where one piece ends and the next begins. */
function cuts(pieces: readonly string[]): number[] {
	const offsets: number[] = [];
	let offset = 0;
	for (const piece of pieces.slice(0, -1)) {
		offset += piece.length;
		offsets.push(offset);
	}

	return offsets;
}

function boundaries(text: string): Set<number> {
	const offsets = new Set<number>([0]);
	let offset = 0;
	for (const grapheme of graphemes(text)) {
		offset += grapheme.length;
		offsets.add(offset);
	}

	return offsets;
}

const family = '👨‍👩‍👧‍👦';
const flag = '🇨🇳';
const thumbs = '👍🏽';

/** Text full of multi-byte and multi-code-point characters. */
const chatText = fc.string({
	unit: fc.oneof(
		fc.string({unit: 'grapheme', minLength: 1, maxLength: 1}),
		fc.constantFrom(family, flag, thumbs, '你', '好', 'é', 'e\u0301', 'a', ' '),
	),
	maxLength: 80,
});

describe('splitForDatagram', () => {
	it('leaves text that fits as one piece', () => {
		expect(splitForDatagram('你好', 6, utf8)).toEqual(['你好']);
	});

	it('cuts 400 Chinese characters (1200 bytes) into two pieces of at most 1023 bytes', () => {
		const text = '你'.repeat(400);
		const pieces = splitForDatagram(text, 1023, utf8);
		expect(pieces).toHaveLength(2);
		expect(pieces.map(utf8)).toEqual([1023, 177]);
		expect(pieces.join('')).toBe(text);
	});

	it('never cuts inside a character: each piece is valid UTF-8 on its own', () => {
		const pieces = splitForDatagram('a你好'.repeat(50), 16, utf8);
		for (const piece of pieces) {
			expect(() => new TextDecoder('utf-8', {fatal: true}).decode(Buffer.from(piece))).not.toThrow();
			expect(piece).not.toMatch(/[\uD800-\uDBFF]$|^[\uDC00-\uDFFF]/);
		}
	});

	it('keeps an emoji ZWJ family whole', () => {
		// The family is 25 bytes: 2 of them fit in 60 bytes, and none may be cut in half.
		const pieces = splitForDatagram(family.repeat(5), 60, utf8);
		expect(pieces).toEqual([family.repeat(2), family.repeat(2), family]);
	});

	it('keeps a flag and a skin-toned emoji whole', () => {
		const pieces = splitForDatagram(`${flag}${thumbs}`.repeat(4), 9, utf8);
		for (const piece of pieces) {
			expect([flag, thumbs]).toContain(piece);
		}
	});

	it('measures with the byte length it is given (GBK: 2 bytes a character)', () => {
		const pieces = splitForDatagram('你好世界'.repeat(10), 20, gbk);
		expect(pieces).toHaveLength(4);
		expect(pieces.every(piece => gbk(piece) <= 20)).toBe(true);
	});

	it('joins back to the input, in pieces no larger than max, cut only between graphemes (property)', () => {
		fc.assert(
			fc.property(chatText, fc.integer({min: 1, max: 64}), (text, max) => {
				fc.pre(graphemes(text).every(grapheme => utf8(grapheme) <= max));
				const pieces = splitForDatagram(text, max, utf8);
				expect(pieces.join('')).toBe(text);
				for (const piece of pieces) {
					expect(utf8(piece)).toBeLessThanOrEqual(max);
				}

				const allowed = boundaries(text);
				for (const cut of cuts(pieces)) {
					expect(allowed.has(cut), `cut at ${cut} in ${JSON.stringify(text)}`).toBe(true);
				}
			}),
			{numRuns: 500},
		);
	});

	it('loses nothing of a grapheme larger than max (a long combining run)', () => {
		const zalgo = `e${'\u0301'.repeat(60)}x`;
		expect(graphemes(zalgo)).toHaveLength(2);
		const pieces = splitForDatagram(zalgo, 20, utf8);
		expect(pieces.join('')).toBe(zalgo);
	});

	it('joins back to the input whatever the graphemes (property)', () => {
		fc.assert(
			fc.property(chatText, fc.integer({min: 4, max: 64}), (text, max) => {
				expect(splitForDatagram(text, max, utf8).join('')).toBe(text);
			}),
			{numRuns: 300},
		);
	});
});
