// Sealing for `--secret PASSPHRASE`: every line between two tui-netchat peers that share the passphrase is
// encrypted and authenticated, one sealed line per UDP datagram or TCP line. node:crypto only.
//
// Key: scrypt(passphrase, "tui-netchat/seal/v1", 32 bytes, N=2^15, r=8, p=1), once per Sealer.
// Wire: "%tnc1:" + base64url (no padding) of a frame:
//
//   offset  size  field
//        0     1  version (1)
//        1     8  session id of the sender (random per Sealer)
//        9     8  counter, big-endian, 1, 2, 3, ... per session
//       17    12  nonce (random)
//       29     n  ciphertext: ChaCha20-Poly1305 of the line's UTF-8 bytes
//     29+n    16  tag; additional authenticated data = the 17 header bytes (version, session id, counter)
//
// Replay: each Sealer keeps, per sender session id, the highest counter seen and a bitmap of the last
// `replayWindow` counters (as in IPsec and WireGuard), so a reordered datagram inside the window is accepted
// once and a duplicate or anything older is 'replayed'. Windows are kept for at most 1024 senders, least
// recently used evicted. A Sealer rejects frames carrying its own session id ('replayed'): a datagram
// reflected back at us must not show as the peer's message.
//
// What this does not give: the passphrase authenticates membership of the group that knows it, not a person
// (anyone with the passphrase can send under any session id); replay protection lasts as long as the Sealer
// (a frame recorded today is accepted once by a process started tomorrow); a weak passphrase can be guessed
// offline from one captured frame.

import {createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes, scryptSync} from 'node:crypto';

export type Sealer = {
	/** Short fingerprint of the key (first 4 bytes of SHA-256 over a domain label and the key, hex) to show in the status bar, never the key. */
	readonly fingerprint: string;
	/** One text line (no newline) -> one printable ASCII line (no newline, no spaces): "%tnc1:" + base64url(frame). */
	seal(line: string): string;
	/** Opens a line made by seal() with the same secret. Never throws. */
	open(wire: string): OpenResult;
};

export type OpenResult =
	| {readonly ok: true; readonly line: string; readonly sender: string /* hex session id of the sender */}
	| {readonly ok: false; readonly reason: 'not-sealed' | 'bad-format' | 'wrong-secret-or-tampered' | 'replayed'};

/** What every sealed line starts with. */
export const sealPrefix = '%tnc1:';

const version = 1;
const domain = 'tui-netchat/seal/v1';
const cipherName = 'chacha20-poly1305';
const scryptOptions = {N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024} as const;
const sessionBytes = 8;
const counterBytes = 8;
const nonceBytes = 12;
const tagBytes = 16;
const headerBytes = 1 + sessionBytes + counterBytes;
const overheadBytes = headerBytes + nonceBytes + tagBytes; // 45
const defaultReplayWindow = 1024;
const maxReplayWindow = 1 << 16;
const maxSenders = 1024;
const maxCounter = 2n ** 64n - 1n;
/** Longer wires are 'bad-format' without decoding; plenty for a 64 KiB line. */
const maxWireLength = 1 << 20;
const base64url = /^[\w-]*$/;

/** Characters of the sealed line for a line of plainBytes UTF-8 bytes. */
export function sealedLength(plainBytes: number): number {
	return sealPrefix.length + Math.ceil(((overheadBytes + plainBytes) * 4) / 3);
}

/** The most UTF-8 bytes of text whose sealed line fits in wireLength characters (bytes): 718 for a 1024-byte datagram. */
export function maxPlainBytes(wireLength: number): number {
	return Math.max(0, Math.floor(((wireLength - sealPrefix.length) * 3) / 4) - overheadBytes);
}

/** Cheap prefix check: does this look like a sealed line (of this version)? */
export function isSealed(wire: string): boolean {
	return wire.startsWith(sealPrefix);
}

/** Highest counter seen plus a bitmap of the `size` counters up to it (bit of counter c at c mod size). */
class ReplayWindow {
	private highest = 0n;
	private readonly bits: Uint32Array;
	private readonly bigSize: bigint;

	constructor(private readonly size: number) {
		this.bits = new Uint32Array(Math.ceil(size / 32));
		this.bigSize = BigInt(size);
	}

	/** Records the counter; false if it was seen already or is older than the window. */
	accept(counter: bigint): boolean {
		if (counter === 0n) {
			return false;
		}

		if (counter > this.highest) {
			const advance = counter - this.highest;
			if (advance >= this.bigSize) {
				this.bits.fill(0);
			} else {
				for (let skipped = this.highest + 1n; skipped < counter; skipped++) {
					this.clear(skipped);
				}
			}

			this.highest = counter;
			this.set(counter);
			return true;
		}

		if (this.highest - counter >= this.bigSize || this.has(counter)) {
			return false;
		}

		this.set(counter);
		return true;
	}

	private index(counter: bigint): number {
		return Number(counter % this.bigSize);
	}

	private has(counter: bigint): boolean {
		const index = this.index(counter);
		return ((this.bits[index >>> 5] ?? 0) & (1 << (index & 31))) !== 0;
	}

	private set(counter: bigint): void {
		const index = this.index(counter);
		this.bits[index >>> 5] = (this.bits[index >>> 5] ?? 0) | (1 << (index & 31));
	}

	private clear(counter: bigint): void {
		const index = this.index(counter);
		this.bits[index >>> 5] = (this.bits[index >>> 5] ?? 0) & ~(1 << (index & 31));
	}
}

/**
 * Derives the key from the passphrase (scrypt N=2^15, about 90 ms on a 2-core VM, blocking: call once at startup) and returns a
 * Sealer with a fresh random session id. Use one Sealer per process for every peer and both transports, so
 * its own lines reflected back and lines replayed from one transport onto the other are caught.
 * Throws a RangeError for an empty secret or a replayWindow that is not an integer in 1..65536.
 */
export function createSealer(secret: string, options?: {readonly replayWindow?: number}): Sealer {
	if (secret === '') {
		throw new RangeError('The secret must not be empty');
	}

	const replayWindow = options?.replayWindow ?? defaultReplayWindow;
	if (!Number.isInteger(replayWindow) || replayWindow < 1 || replayWindow > maxReplayWindow) {
		throw new RangeError(`replayWindow must be an integer from 1 to ${maxReplayWindow}`);
	}

	const key = rootKey(secret);
	const fingerprint = createHash('sha256').update(`${domain}/fingerprint\0`).update(key).digest().subarray(0, 4).toString('hex');
	const session = randomBytes(sessionBytes);
	const sessionHex = session.toString('hex');
	let counter = 0n;
	// Map keeps insertion order: re-inserting on use makes the first key the least recently used.
	const windows = new Map<string, ReplayWindow>();

	function seal(line: string): string {
		if (counter >= maxCounter) {
			throw new RangeError('This Sealer has sealed 2^64-1 lines; create a new one');
		}

		counter++;
		const header = Buffer.alloc(headerBytes);
		header[0] = version;
		session.copy(header, 1);
		header.writeBigUInt64BE(counter, 1 + sessionBytes);
		const nonce = randomBytes(nonceBytes);
		// Lone surrogates, which UTF-8 cannot carry, become U+FFFD here.
		const plain = Buffer.from(line, 'utf8');
		const cipher = createCipheriv(cipherName, key, nonce, {authTagLength: tagBytes});
		cipher.setAAD(header, {plaintextLength: plain.length});
		const frame = Buffer.concat([header, nonce, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
		return sealPrefix + frame.toString('base64url');
	}

	function decrypt(frame: Buffer): Buffer | undefined {
		try {
			const header = frame.subarray(0, headerBytes);
			const nonce = frame.subarray(headerBytes, headerBytes + nonceBytes);
			const body = frame.subarray(headerBytes + nonceBytes, frame.length - tagBytes);
			const decipher = createDecipheriv(cipherName, key, nonce, {authTagLength: tagBytes});
			decipher.setAAD(header, {plaintextLength: body.length});
			decipher.setAuthTag(frame.subarray(frame.length - tagBytes));
			return Buffer.concat([decipher.update(body), decipher.final()]);
		} catch {
			return undefined;
		}
	}

	function window(sender: string): ReplayWindow {
		let found = windows.get(sender);
		if (found) {
			windows.delete(sender);
		} else {
			found = new ReplayWindow(replayWindow);
			if (windows.size >= maxSenders) {
				const oldest = windows.keys().next().value;
				if (oldest !== undefined) {
					windows.delete(oldest);
				}
			}
		}

		windows.set(sender, found);
		return found;
	}

	function open(wire: string): OpenResult {
		try {
			if (typeof wire !== 'string' || !isSealed(wire)) {
				return {ok: false, reason: 'not-sealed'};
			}

			const text = wire.slice(sealPrefix.length);
			if (text.length > maxWireLength || text.length % 4 === 1 || !base64url.test(text)) {
				return {ok: false, reason: 'bad-format'};
			}

			const frame = Buffer.from(text, 'base64url');
			// One frame, one spelling: base64url with nonzero spare bits would decode to the same bytes.
			if (frame.length < overheadBytes || frame[0] !== version || frame.toString('base64url') !== text) {
				return {ok: false, reason: 'bad-format'};
			}

			const plain = decrypt(frame);
			if (plain === undefined) {
				return {ok: false, reason: 'wrong-secret-or-tampered'};
			}

			// Only authenticated frames reach the replay windows, so strangers cannot fill or move them.
			const sender = frame.toString('hex', 1, 1 + sessionBytes);
			const frameCounter = frame.readBigUInt64BE(1 + sessionBytes);
			if (sender === sessionHex || !window(sender).accept(frameCounter)) {
				return {ok: false, reason: 'replayed'};
			}

			return {ok: true, line: plain.toString('utf8'), sender};
		} catch {
			return {ok: false, reason: 'bad-format'};
		}
	}

	return {fingerprint, seal, open};
}

/** The scrypt keys of secrets already derived, by a hash of the secret: a transfer key costs no second scrypt. */
const rootKeys = new Map<string, Buffer>();

function rootKey(secret: string): Buffer {
	const label = createHash('sha256').update(secret).digest('hex');
	let key = rootKeys.get(label);
	if (key === undefined) {
		key = scryptSync(Buffer.from(secret, 'utf8'), domain, 32, scryptOptions);
		rootKeys.set(label, key);
	}

	return key;
}

/**
 * A key of its own for one file-transfer connection (net/files/data-seal.ts): HKDF-SHA256 over the chat's key,
 * with the transfer's token and the connection's nonce as salt, so no two connections share a key and counter
 * nonces never repeat under one key.
 */
export function deriveTransferKey(secret: string, salt: Buffer): Buffer {
	return Buffer.from(hkdfSync('sha256', rootKey(secret), salt, 'tui-netchat/file/v1', 32));
}
