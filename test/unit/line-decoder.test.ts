import {describe, expect, it} from 'vitest';
import {cutMarker, LineDecoder} from '../../source/net/transport/line-decoder.js';

function decodeInPieces(bytes: Buffer, cuts: number[], maxLineBytes?: number): string[] {
	const decoder = new LineDecoder(maxLineBytes);
	const lines: string[] = [];
	let start = 0;
	for (const cut of [...cuts, bytes.length]) {
		lines.push(...decoder.push(bytes.subarray(start, cut)));
		start = cut;
	}

	lines.push(...decoder.end());
	return lines;
}

describe('LineDecoder', () => {
	const text = 'hello\r\n你好，世界\n👍🏽 emoji\nlast without newline';
	const expected = ['hello', '你好，世界', '👍🏽 emoji', 'last without newline'];
	const bytes = Buffer.from(text);

	it('decodes the same lines whatever single byte offset the input is split at', () => {
		for (let offset = 0; offset <= bytes.length; offset++) {
			expect(decodeInPieces(bytes, [offset]), `split at ${offset}`).toEqual(expected);
		}
	});

	it('decodes the same lines when every byte arrives alone', () => {
		const cuts = Array.from({length: bytes.length - 1}, (_, index) => index + 1);
		expect(decodeInPieces(bytes, cuts)).toEqual(expected);
	});

	it('keeps a line pending until its newline or the end of the stream', () => {
		const decoder = new LineDecoder();
		expect(decoder.push(Buffer.from('吃了'))).toEqual([]);
		expect(decoder.push(Buffer.from('吗'))).toEqual([]);
		expect(decoder.end()).toEqual(['吃了吗']);
	});

	it('gives empty lines for blank lines and nothing for an empty stream', () => {
		expect(decodeInPieces(Buffer.from('a\n\nb\n'), [])).toEqual(['a', '', 'b']);
		expect(decodeInPieces(Buffer.alloc(0), [])).toEqual([]);
	});

	it('cuts a line longer than the limit with a marker and goes on with the next line', () => {
		const long = 'x'.repeat(100);
		const lines = decodeInPieces(Buffer.from(`${long}\nnext\n`), [30, 60], 40);
		expect(lines).toEqual([`${'x'.repeat(40)}${cutMarker}`, 'next']);
	});

	it('never holds more than the limit while a newline never comes', () => {
		const decoder = new LineDecoder(1024);
		const out: string[] = [];
		for (let index = 0; index < 1000; index++) {
			out.push(...decoder.push(Buffer.alloc(1000, 0x61)));
		}

		expect(out).toHaveLength(1);
		expect(out[0]?.length).toBeLessThanOrEqual(1024 + cutMarker.length);
		expect(decoder.end()).toEqual([]);
	});

	it('cuts a long line at a character boundary, never through a 4-byte emoji', () => {
		expect(decodeInPieces(Buffer.from('a👍b\n'), [], 4)).toEqual([`a${cutMarker}`]);
		expect(decodeInPieces(Buffer.from('a👍b\n'), [2], 5)).toEqual([`a👍${cutMarker}`]);
		expect(decodeInPieces(Buffer.from('你好\n'), [], 4)).toEqual([`你${cutMarker}`]);
	});

	it('turns invalid UTF-8 into replacement characters', () => {
		expect(decodeInPieces(Buffer.from([0x61, 0xFF, 0x62, 0x0A]), [])).toEqual(['a\uFFFDb']);
	});
});
