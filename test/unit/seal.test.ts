import {createCipheriv, createHash, randomBytes, scryptSync} from 'node:crypto';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {createSealer, isSealed, maxPlainBytes, sealedLength, sealPrefix, type Sealer} from '../../source/net/wire/seal.js';

// Each createSealer runs scrypt (tens of milliseconds), so sealers that keep no replay state worth
// isolating are shared; tests about replay make their own.
const secret = 'correct horse battery staple';
const alice = createSealer(secret);
const bob = createSealer(secret);
const eve = createSealer('correct horse battery stapler');

function opened(sealer: Sealer, wire: string): string {
	const result = sealer.open(wire);
	if (!result.ok) {
		throw new Error(`expected the line to open, got ${result.reason}`);
	}

	return result.line;
}

function frameOf(wire: string): Buffer {
	return Buffer.from(wire.slice(sealPrefix.length), 'base64url');
}

function wireOf(frame: Buffer): string {
	return sealPrefix + frame.toString('base64url');
}

// An independent implementation of the documented frame layout, as a peer written in another language would do it.
const documentedKey = scryptSync(secret, 'tui-netchat/seal/v1', 32, {N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024});

function handMade(session: Buffer, counter: bigint, text: string): string {
	const header = Buffer.alloc(17);
	header[0] = 1;
	session.copy(header, 1);
	header.writeBigUInt64BE(counter, 9);
	const nonce = randomBytes(12);
	const cipher = createCipheriv('chacha20-poly1305', documentedKey, nonce, {authTagLength: 16});
	const plain = Buffer.from(text, 'utf8');
	cipher.setAAD(header, {plaintextLength: plain.length});
	const body = Buffer.concat([cipher.update(plain), cipher.final()]);
	return wireOf(Buffer.concat([header, nonce, body, cipher.getAuthTag()]));
}

describe('seal round trip', () => {
	it('opens what a sealer with the same secret sealed', () => {
		expect(opened(bob, alice.seal('hello there'))).toBe('hello there');
	});

	it('keeps Chinese text, emoji sequences and combining marks intact', () => {
		const text = '你好，世界 👩‍👩‍👧 👍🏽 e\u0301 ❤️';
		expect(opened(bob, alice.seal(text))).toBe(text);
	});

	it('seals and opens an empty line', () => {
		expect(opened(bob, alice.seal(''))).toBe('');
	});

	it('seals and opens a 60 KB line', () => {
		const text = 'x😀é'.repeat(60 * 1024 / 7);
		expect(Buffer.byteLength(text)).toBeGreaterThanOrEqual(60 * 1024 - 7);
		expect(opened(bob, alice.seal(text))).toBe(text);
	});

	it('tells the receiver which session sent the line', () => {
		const first = bob.open(alice.seal('one'));
		const second = bob.open(alice.seal('two'));
		const other = alice.open(bob.seal('three'));
		expect(first.ok && second.ok && other.ok).toBe(true);
		if (first.ok && second.ok && other.ok) {
			expect(first.sender).toMatch(/^[\da-f]{16}$/);
			expect(second.sender).toBe(first.sender);
			expect(other.sender).not.toBe(first.sender);
		}
	});

	it('round-trips arbitrary strings (fast-check)', () => {
		fc.assert(
			fc.property(fc.string({unit: 'binary', maxLength: 300}), text => {
				expect(opened(bob, alice.seal(text))).toBe(text);
			}),
			{numRuns: 500},
		);
	});

	it('turns a lone surrogate, which UTF-8 cannot carry, into U+FFFD', () => {
		expect(opened(bob, alice.seal('a\uD800b'))).toBe('a\uFFFDb');
	});

	it('opens a frame made by hand from the documented layout', () => {
		const receiver = createSealer(secret);
		const session = Buffer.from('0123456789abcdef', 'hex');
		expect(receiver.open(handMade(session, 1n, 'from elsewhere 你好'))).toEqual({ok: true, line: 'from elsewhere 你好', sender: '0123456789abcdef'});
	});
});

describe('seal rejects', () => {
	it('a line sealed with a different secret as wrong-secret-or-tampered', () => {
		expect(eve.open(alice.seal('for bob only'))).toEqual({ok: false, reason: 'wrong-secret-or-tampered'});
		expect(alice.open(eve.seal('from eve'))).toEqual({ok: false, reason: 'wrong-secret-or-tampered'});
	});

	it('a frame with any single byte flipped', () => {
		const receiver = createSealer(secret);
		const wire = alice.seal('short');
		const frame = frameOf(wire);
		for (let offset = 0; offset < frame.length; offset++) {
			for (const mask of [0x01, 0x80]) {
				const tampered = Buffer.from(frame);
				tampered[offset] = (tampered[offset] ?? 0) ^ mask;
				const result = receiver.open(wireOf(tampered));
				expect(result, `offset ${offset} mask ${mask}`).toEqual({ok: false, reason: offset === 0 ? 'bad-format' : 'wrong-secret-or-tampered'});
			}
		}

		// Nothing rejected above touched the replay window: the original still opens, once.
		expect(opened(receiver, wire)).toBe('short');
	});

	it('a frame cut short at any length', () => {
		const receiver = createSealer(secret);
		const frame = frameOf(alice.seal('cut me'));
		for (let length = 0; length < frame.length; length++) {
			expect(receiver.open(wireOf(frame.subarray(0, length))).ok, `length ${length}`).toBe(false);
		}
	});

	it('a second spelling of the same frame (nonzero spare base64 bits)', () => {
		const receiver = createSealer(secret);
		const wire = alice.seal('spelling');
		const frame = frameOf(wire);
		expect(frame.length % 3).not.toBe(0); // So the last base64 character has spare bits.
		const last = wire.at(-1) ?? '';
		const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
		const respelled = wire.slice(0, -1) + alphabet[alphabet.indexOf(last) + 1];
		expect(Buffer.from(respelled.slice(sealPrefix.length), 'base64url').equals(frame)).toBe(true);
		expect(receiver.open(respelled)).toEqual({ok: false, reason: 'bad-format'});
		expect(opened(receiver, wire)).toBe('spelling');
	});

	it('a replayed line the second time', () => {
		const receiver = createSealer(secret);
		const wire = alice.seal('only once');
		expect(opened(receiver, wire)).toBe('only once');
		expect(receiver.open(wire)).toEqual({ok: false, reason: 'replayed'});
	});

	it('its own lines reflected back', () => {
		expect(alice.open(alice.seal('echo'))).toEqual({ok: false, reason: 'replayed'});
	});

	it('a line older than the window', () => {
		const receiver = createSealer(secret, {replayWindow: 16});
		const sender = createSealer(secret);
		const wires = Array.from({length: 17}, (_, index) => sender.seal(`line ${index + 1}`));
		expect(opened(receiver, wires[16] ?? '')).toBe('line 17');
		// Counter 1 is 16 behind the highest (17): out of a 16-wide window. Counter 2 is just inside.
		expect(receiver.open(wires[0] ?? '')).toEqual({ok: false, reason: 'replayed'});
		expect(opened(receiver, wires[1] ?? '')).toBe('line 2');
	});

	it('a line older than the default window of 1024', () => {
		const receiver = createSealer(secret);
		const wires = Array.from({length: 1025}, (_, index) => alice.seal(`line ${index}`));
		expect(opened(receiver, wires[1024] ?? '')).toBe('line 1024');
		expect(receiver.open(wires[0] ?? '')).toEqual({ok: false, reason: 'replayed'});
		expect(opened(receiver, wires[1] ?? '')).toBe('line 1');
	});

	it('plain text as not-sealed', () => {
		for (const wire of ['hello', '', ' %tnc1:AAAA', '@id=7 hello', '*** bob is here via tui-netchat (tnc/1)']) {
			expect(bob.open(wire)).toEqual({ok: false, reason: 'not-sealed'});
			expect(isSealed(wire)).toBe(false);
		}
	});

	it('malformed sealed lines as bad-format', () => {
		for (const text of ['', 'A', 'AAAAA', '!!!!', 'AAAA AAAA', 'AAAA\nAAAA', 'AAAA=', 'A'.repeat(40), 'A'.repeat(2 * 1024 * 1024)]) {
			const wire = sealPrefix + text;
			expect(isSealed(wire)).toBe(true);
			expect(bob.open(wire), JSON.stringify(text.slice(0, 20))).toEqual({ok: false, reason: 'bad-format'});
		}
	});

	it('random base64 of a plausible length as wrong-secret-or-tampered', () => {
		for (let length = 45; length < 200; length += 7) {
			expect(bob.open(wireOf(Buffer.concat([Buffer.from([1]), randomBytes(length - 1)])))).toEqual({ok: false, reason: 'wrong-secret-or-tampered'});
		}
	});

	it('never throws on arbitrary strings, sealed-looking or not (fast-check)', () => {
		const base64Text = fc.string({unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'), maxLength: 400});
		const input = fc.oneof(
			fc.string({unit: 'binary'}),
			// UTF-16 code units, lone surrogates included.
			fc.string({unit: fc.integer({min: 0, max: 0xff_ff}).map(code => String.fromCharCode(code))}),
			fc.string({unit: 'binary'}).map(text => sealPrefix + text),
			base64Text.map(text => sealPrefix + text),
			fc.uint8Array({minLength: 0, maxLength: 200}).map(bytes => wireOf(Buffer.from(bytes))),
		);
		fc.assert(
			fc.property(input, wire => {
				const result = bob.open(wire);
				expect(result.ok).toBe(false);
			}),
			{numRuns: 2000},
		);
	});
});

describe('reordering and memory', () => {
	it('accepts lines opened out of order within the window, each once', () => {
		const receiver = createSealer(secret);
		const wires = Array.from({length: 200}, (_, index) => alice.seal(`line ${index}`));
		// A deterministic shuffle: stride 37 through 200 visits every index once.
		const order = Array.from({length: 200}, (_, index) => (index * 37) % 200);
		expect(new Set(order).size).toBe(200);
		for (const index of order) {
			expect(opened(receiver, wires[index] ?? '')).toBe(`line ${index}`);
		}

		for (const index of order) {
			expect(receiver.open(wires[index] ?? '')).toEqual({ok: false, reason: 'replayed'});
		}
	});

	it('accepts new lines in bitmap slots that old lines used, as the window slides', () => {
		const receiver = createSealer(secret, {replayWindow: 16});
		const sender = createSealer(secret);
		const wires = Array.from({length: 40}, (_, index) => sender.seal(`line ${index + 1}`));
		for (const index of [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 17, 16, 19, 35, 33, 20, 39, 38]) {
			expect(opened(receiver, wires[index] ?? ''), `line ${index + 1}`).toBe(`line ${index + 1}`);
		}
	});

	it('keeps replay windows for at most 1024 senders, forgetting the least recently used', () => {
		const receiver = createSealer(secret);
		const session = (index: number) => Buffer.from(index.toString(16).padStart(16, '0'), 'hex');
		const kept = handMade(session(1_000_000), 1n, 'kept');
		expect(opened(receiver, kept)).toBe('kept');
		const firstOther = handMade(session(1), 1n, 'other 1');
		expect(opened(receiver, firstOther)).toBe('other 1');
		for (let index = 2; index <= 1023; index++) {
			expect(opened(receiver, handMade(session(index), 1n, 'other'))).toBe('other');
		}

		// 1024 senders known; use "kept" again, then a new sender evicts the least recently used: "other 1".
		expect(opened(receiver, handMade(session(1_000_000), 2n, 'kept again'))).toBe('kept again');
		expect(opened(receiver, handMade(session(5000), 1n, 'newcomer'))).toBe('newcomer');
		expect(receiver.open(kept)).toEqual({ok: false, reason: 'replayed'});
		expect(opened(receiver, firstOther)).toBe('other 1');
	});
});

describe('sealed output', () => {
	it('is one printable ASCII line with no spaces or control characters', () => {
		fc.assert(
			fc.property(fc.string({unit: 'binary', maxLength: 200}), text => {
				const wire = alice.seal(text);
				expect(wire).toMatch(/^%tnc1:[\w-]+$/);
				expect(wire).toMatch(/^[\u0021-\u007E]+$/);
				expect(isSealed(wire)).toBe(true);
			}),
		);
	});

	it('never contains the plaintext, nor its base64', () => {
		const texts = ['attack at dawn', 'the password is hunter2', '你好，世界', 'a'.repeat(1000), 'AAAAAAAAAAAAAAAA'];
		for (const text of texts) {
			const wire = alice.seal(text);
			expect(wire).not.toContain(text);
			expect(wire).not.toContain(Buffer.from(text).toString('base64url').slice(0, 12));
		}

		fc.assert(
			fc.property(fc.string({unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'), minLength: 12, maxLength: 100}), text => {
				expect(alice.seal(text)).not.toContain(text);
			}),
		);
	});

	it('differs each time the same line is sealed', () => {
		expect(alice.seal('same')).not.toBe(alice.seal('same'));
	});

	it('has the length sealedLength() predicts, and maxPlainBytes() fits a datagram', () => {
		for (const text of ['', 'a', 'ab', 'abc', '你好', 'x'.repeat(1000)]) {
			expect(alice.seal(text).length).toBe(sealedLength(Buffer.byteLength(text)));
		}

		const fits = maxPlainBytes(1024);
		expect(alice.seal('x'.repeat(fits)).length).toBeLessThanOrEqual(1024);
		expect(alice.seal('x'.repeat(fits + 1)).length).toBeGreaterThan(1024);
	});
});

describe('fingerprint', () => {
	it('is equal for equal secrets', () => {
		expect(alice.fingerprint).toBe(bob.fingerprint);
	});

	it('differs for different secrets', () => {
		expect(eve.fingerprint).not.toBe(alice.fingerprint);
		expect(createSealer('a').fingerprint).not.toBe(createSealer('b').fingerprint);
	});

	it('is 8 hex digits that reveal neither the secret nor its plain hash', () => {
		expect(alice.fingerprint).toMatch(/^[\da-f]{8}$/);
		expect(alice.fingerprint).not.toContain(Buffer.from(secret).toString('hex').slice(0, 8));
		expect(createHash('sha256').update(secret).digest('hex')).not.toContain(alice.fingerprint);
		expect(documentedKey.toString('hex')).not.toContain(alice.fingerprint);
	});
});

describe('createSealer', () => {
	it('refuses an empty secret and a bad replay window', () => {
		expect(() => createSealer('')).toThrow(RangeError);
		for (const replayWindow of [0, -1, 1.5, Number.NaN, 1 << 20]) {
			expect(() => createSealer(secret, {replayWindow})).toThrow(RangeError);
		}
	});

	it('measures key derivation and seal+open throughput', () => {
		const derivations: number[] = [];
		for (let run = 0; run < 3; run++) {
			const start = performance.now();
			createSealer(`measure ${run}`);
			derivations.push(performance.now() - start);
		}

		const sender = createSealer(secret);
		const receiver = createSealer(secret);
		const lines = Array.from({length: 10_000}, (_, index) => `message number ${index} 👋`);
		const sealStart = performance.now();
		const wires = lines.map(line => sender.seal(line));
		const sealMs = performance.now() - sealStart;
		const openStart = performance.now();
		let openedCount = 0;
		for (const wire of wires) {
			openedCount += receiver.open(wire).ok ? 1 : 0;
		}

		const openMs = performance.now() - openStart;
		expect(openedCount).toBe(10_000);
		console.log(
			`seal: createSealer ${derivations.map(ms => `${ms.toFixed(1)} ms`).join(', ')}; ` +
				`10,000 lines sealed in ${sealMs.toFixed(1)} ms (${Math.round(10_000 / (sealMs / 1000))}/s), ` +
				`opened in ${openMs.toFixed(1)} ms (${Math.round(10_000 / (openMs / 1000))}/s)`,
		);
	});
});
