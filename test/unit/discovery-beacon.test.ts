import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {announceAt, formatBeacon, maxBeaconBytes, parseBeacon, type Beacon} from '../../source/net/discovery/beacon.js';
import {createSealer} from '../../source/net/wire/seal.js';

const announce: Beacon = {kind: 'announce', id: '0123456789abcdef', nick: 'alice 小明', port: 7852, intervalS: 30, answer: false};

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

	it('sanitizes the nick and keeps it short', () => {
		const parsed = parseBeacon(formatBeacon({...announce, nick: `evil\u001B[31m${'x'.repeat(100)}`}));
		expect(parsed?.kind === 'announce' && parsed.nick).not.toMatch(/\u001B/);
		expect(parsed?.kind === 'announce' && parsed.nick.length).toBeLessThanOrEqual(32);
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
