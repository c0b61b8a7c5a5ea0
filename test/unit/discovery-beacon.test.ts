import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {announceAt, formatBeacon, isPeerNick, maxBeaconBytes, parseBeacon, type Beacon} from '../../source/net/discovery/beacon.js';
import {createSealer} from '../../source/net/wire/seal.js';

const announce: Beacon = {kind: 'announce', id: '0123456789abcdef', nick: 'alice小明', port: 7852, intervalS: 30, answer: false};

describe('discovery beacons', () => {
	it('round-trips an announcement, a question and a goodbye', () => {
		for (const beacon of [announce, {...announce, answer: true}, {kind: 'who', id: 'fedcba9876543210'}, {kind: 'bye', id: '0123456789abcdef'}] as const) {
			expect(parseBeacon(formatBeacon(beacon))).toEqual(beacon);
		}
	});

	it('is sealed with a secret, so only peers with the same secret read the nick', () => {
		const sealer = createSealer('open sesame');
		const wire = formatBeacon(announce, sealer);
		expect(wire.toString()).not.toContain('alice');
		expect(parseBeacon(wire, createSealer('open sesame'))).toEqual(announce);
		expect(parseBeacon(wire, createSealer('another'))).toBeUndefined();
		expect(parseBeacon(wire)).toBeUndefined();
		expect(parseBeacon(formatBeacon(announce), sealer)).toBeUndefined();
	});

	it('takes a chat line, garbage or an oversized datagram for nothing', () => {
		for (const text of ['hello', 'tnc-discovery/1 announce xyz 7852 30 new bob', 'tnc-discovery/1 announce 0123456789abcdef 0 30 new bob', 'tnc-discovery/1 announce 0123456789abcdef 7852 30 new %E0%A4%A', 'tnc-discovery/1 who 0123456789abcdef extra']) {
			expect(parseBeacon(Buffer.from(text))).toBeUndefined();
		}

		expect(parseBeacon(Buffer.alloc(maxBeaconBytes + 1, 0x41))).toBeUndefined();
	});

	it('refuses a beacon whose nick could pass for something else, as the local --nick would be refused', () => {
		const hostile = ['evil\u001B[31m', 'two words', 'tab\there', 'zero\u200Bwidth', 'rtl\u202Eoverride', 'bom\uFEFF', 'private\uE000', 'unassigned\u0378', 'nbsp\u00A0', 'ideographic\u3000space', '1', '42', '１２', '10.0.0.7:7852', 'host:1'];
		for (const nick of hostile) {
			expect(isPeerNick(nick), nick).toBe(false);
			expect(parseBeacon(Buffer.from(`tnc-discovery/1 announce 0123456789abcdef 7852 30 new ${encodeURIComponent(nick)}`)), nick).toBeUndefined();
		}

		for (const nick of ['bob', 'x1', '1x', 'r2-d2', 'Ünïcödé', '小明', 'عليّ', '😀', 'e\u0301']) {
			expect(parseBeacon(formatBeacon({...announce, nick})), nick).toEqual({...announce, nick});
		}
	});

	it('cuts a long nick heard to 32 code points first, never inside a surrogate pair, and judges what is left', () => {
		const heard = (nick: string): Beacon | undefined => parseBeacon(Buffer.from(`tnc-discovery/1 announce 0123456789abcdef 7852 30 new ${encodeURIComponent(nick)}`));
		expect(heard(`${'x'.repeat(31)}😀yz`)).toEqual({...announce, nick: `${'x'.repeat(31)}😀`});
		expect(heard('x'.repeat(100))).toEqual({...announce, nick: 'x'.repeat(32)});
		// What is past the 32nd code point is not the nick's: it is cut, not held against it.
		expect(heard(`${'x'.repeat(32)}\u200B`)).toEqual({...announce, nick: 'x'.repeat(32)});
		expect(heard(`${'1'.repeat(32)}x`)).toBeUndefined();
	});

	it('fits every nick into one datagram, sealed too, cut only between characters', () => {
		// A sealer refuses its own frames (reflected back): the receiving end has one of its own.
		const [sealer, opener] = [createSealer('open sesame'), createSealer('open sesame')];
		const nickOf = (wire: Buffer): string => {
			const parsed = parseBeacon(wire, opener);
			return parsed?.kind === 'announce' ? parsed.nick : '';
		};

		for (const char of ['😀', '小', '👍🏽']) {
			const nick = char.repeat(32 / [...char].length);
			const wire = formatBeacon({...announce, nick}, sealer);
			expect(wire.byteLength, char).toBeLessThanOrEqual(maxBeaconBytes);
			const got = nickOf(wire);
			expect(got.length, char).toBeGreaterThan(0);
			expect(nick.startsWith(got)).toBe(true);
			expect(got.length % char.length, char).toBe(0);
		}

		// As long as fits: 31 of 32 CJK characters, 23 emoji, 11 thumbs with their skin tone (not 11 and a bare thumb).
		expect([...nickOf(formatBeacon({...announce, nick: '小'.repeat(32)}, sealer))]).toHaveLength(31);
		expect([...nickOf(formatBeacon({...announce, nick: '😀'.repeat(32)}, sealer))]).toHaveLength(23);
		expect(nickOf(formatBeacon({...announce, nick: '👍🏽'.repeat(16)}, sealer))).toBe('👍🏽'.repeat(11));
		fc.assert(fc.property(fc.string({unit: 'grapheme', minLength: 1, maxLength: 32}).filter(nick => isPeerNick(nick)), fc.boolean(), (nick, sealed) => {
			const wire = formatBeacon({...announce, nick, port: 65_535, intervalS: 3600}, sealed ? sealer : undefined);
			expect(wire.byteLength).toBeLessThanOrEqual(maxBeaconBytes);
			const parsed = parseBeacon(wire, sealed ? opener : undefined);
			expect(parsed?.kind === 'announce' && nick.startsWith(parsed.nick) && parsed.nick !== '').toBe(true);
		}), {numRuns: 200});
	});

	it('never throws on any bytes', () => {
		fc.assert(fc.property(fc.uint8Array({maxLength: 600}), bytes => {
			parseBeacon(bytes);
		}));
	});

	it('announces at 0, 0.5, 1, 1.5, 2, 3, 4.5 and 10 s, then every 30 s', () => {
		expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map(n => announceAt(n))).toEqual([0, 500, 1000, 1500, 2000, 3000, 4500, 10_000, 40_000, 70_000]);
	});

	it('with a short interval no gap is longer than it', () => {
		expect([0, 1, 2, 3, 4, 5, 6, 7, 8].map(n => announceAt(n, 1))).toEqual([0, 500, 1000, 1500, 2000, 3000, 4000, 5000, 6000]);
		expect(announceAt(7, 5)).toBe(9500);
	});
});
