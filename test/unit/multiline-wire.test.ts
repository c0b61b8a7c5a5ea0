import fc from 'fast-check';
import iconv from 'iconv-lite';
import {describe, expect, it} from 'vitest';
import {wireForm} from '../../source/net/delivery/udp-sender.js';
import type {OutboxEntry} from '../../source/net/delivery/outbox.js';
import {formatLogLine} from '../../source/net/history/chat-log.js';
import {cutMarker, LineDecoder} from '../../source/net/transport/line-decoder.js';
import {escapeBreaks, normaliseBreaks, sanitizeLines, unescapeBreaks} from '../../source/net/wire/multiline.js';
import {packLines, splitForDatagram} from '../../source/net/wire/split-datagram.js';
import {formatTagged, parseTagged} from '../../source/net/wire/tags.js';
import {codecFor, readsAsGbk, utf8Codec} from '../../source/net/wire/text-codec.js';

const utf8Length = (text: string) => Buffer.byteLength(text);

function entry(text: string, action = false): OutboxEntry {
	return {msgid: 'abcdefgh-1', lineId: 1, text, action, createdAt: 0, protocol: 'udp', conversation: 'c1', endpoint: '127.0.0.1:1', peerKey: undefined, state: 'pending', expectsAck: true, attempts: 0, nextAt: 0};
}

describe('multi-line text on the wire', () => {
	it('escapes breaks and backslashes so a tagged line has no newline, and reads back exactly', () => {
		fc.assert(
			fc.property(fc.string({unit: fc.constantFrom('a', '\\', '\n', 'n', ' ', '字', '\r')}), text => {
				const escaped = escapeBreaks(text);
				expect(escaped).not.toContain('\n');
				expect(unescapeBreaks(escaped)).toBe(text);
			}),
		);
	});

	it('reads back whatever offset the pieces were cut at (a cut inside an escape too)', () => {
		const text = 'a\\b\nc\\\\n\nd';
		const escaped = escapeBreaks(text);
		for (let cut = 0; cut <= escaped.length; cut++) {
			expect(unescapeBreaks(escaped.slice(0, cut) + escaped.slice(cut))).toBe(text);
		}
	});

	it('leaves an unknown escape as it is', () => {
		expect(unescapeBreaks('a\\tb\\')).toBe('a\\tb\\');
	});

	it('is one tagged line with the ml flag for a tui-netchat, its lines for a plain peer', () => {
		const tnc = wireForm(entry('one\ntwo'), true, 'alice');
		const line = formatTagged(tnc);
		expect(line).toBe('@id=abcdefgh-1;ml one\\ntwo');
		expect(parseTagged(line)).toEqual({tags: {id: 'abcdefgh-1', ml: true}, text: 'one\\ntwo'});
		expect(wireForm(entry('one\ntwo'), false, 'alice')).toEqual({tags: {}, text: 'one\ntwo'});
		expect(wireForm(entry('waves\nbows', true), false, 'alice').text).toBe('* alice waves\n* alice bows');
		expect(formatTagged(wireForm(entry('single'), true, 'alice'))).toBe('@id=abcdefgh-1 single');
	});

	it('normalises CR LF and CR to LF and drops blank lines at the ends', () => {
		expect(normaliseBreaks('\n \none\r\ntwo\rthree\n\t\n')).toBe('one\ntwo\nthree');
		expect(normaliseBreaks('one\n\nthree')).toBe('one\n\nthree');
	});

	it('sanitizes each line, keeps only the breaks, and holds the lines shown', () => {
		const shown = sanitizeLines('a\u001B[2Jb\n\u0007\u2029\n\u202Eevil', 2);
		expect(shown.split('\n')).toEqual(['a␛[2Jb', '␇␤', '[… 1 more lines]']);
		// eslint-disable-next-line no-control-regex
		expect(sanitizeLines('x\u0000\u001F\u007F\u009B\ny')).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/);
	});
});

describe('packLines', () => {
	it('packs lines into as few pieces as fit, cutting between lines, and is splitForDatagram for one line', () => {
		expect(packLines('aa\nbb\ncc', 5, utf8Length)).toEqual(['aa\nbb', 'cc']);
		expect(packLines('a\n\nb', 10, utf8Length)).toEqual(['a\n\nb']);
		expect(packLines('x'.repeat(12), 5, utf8Length)).toEqual(splitForDatagram('x'.repeat(12), 5, utf8Length));
		expect(packLines('short\n' + 'y'.repeat(12), 5, utf8Length)).toEqual(['short', 'yyyyy', 'yyyyy', 'yy']);
	});

	it('never goes over the room and keeps every line', () => {
		fc.assert(
			fc.property(fc.array(fc.string({unit: fc.constantFrom('a', '字', '👍🏽', ' ')}), {minLength: 1, maxLength: 8}), fc.integer({min: 8, max: 40}), (lines, room) => {
				const pieces = packLines(lines.join('\n'), room, utf8Length);
				for (const piece of pieces) {
					expect(utf8Length(piece)).toBeLessThanOrEqual(room);
				}

				expect(pieces.join('\n').replaceAll('\n', '')).toBe(lines.join(''));
			}),
		);
	});
});

describe('LineDecoder with a decoding that changes between lines', () => {
	it('decodes each whole line with the decoding in force when it ends, whatever the chunking', () => {
		const gb = codecFor('gbk');
		const bytes = Buffer.concat([Buffer.from('你好\n'), gb.encode('你好\n'), gb.encode('中文\r\n')]);
		for (let cut = 0; cut <= bytes.length; cut++) {
			let lines = 0;
			const decoder = new LineDecoder(1024, line => (lines++ === 0 ? utf8Codec : gb).decode(line));
			const out = [...decoder.push(bytes.subarray(0, cut)), ...decoder.push(bytes.subarray(cut)), ...decoder.end()];
			expect(out, `cut at ${cut}`).toEqual(['你好', '你好', '中文']);
		}
	});

	it('cuts a long line without leaving half a character', () => {
		const decoder = new LineDecoder(7);
		expect(decoder.push(Buffer.from('你好世界\n'))).toEqual([`你好${cutMarker}`]);
	});
});

describe('readsAsGbk', () => {
	it('is true for GBK and GB18030 Chinese, false for UTF-8, ASCII and Latin-1', () => {
		expect(readsAsGbk(iconv.encode('你好，世界', 'gbk'))).toBe(true);
		expect(readsAsGbk(iconv.encode('吃了吗？', 'gb18030'))).toBe(true);
		expect(readsAsGbk(Buffer.from('你好'))).toBe(false);
		expect(readsAsGbk(Buffer.from('hello'))).toBe(false);
		expect(readsAsGbk(Buffer.from('café crème à la française', 'latin1'))).toBe(false);
		expect(readsAsGbk(Buffer.from([0xFF, 0xFE, 0x41]))).toBe(false);
	});
});

describe('the log', () => {
	it('keeps a multi-line message on one line', () => {
		const line = formatLogLine({id: 1, time: 0, conversation: 'c1', kind: 'in', transport: 'udp', from: 'bob', address: '127.0.0.1:1', text: 'one\ntwo', action: false});
		expect(line).toBe('1970-01-01T00:00:00.000Z udp from 127.0.0.1:1 <bob> one ↵ two\n');
	});
});
