// The data of a transfer under --secret: chunks of at most 64 KiB, each
//   length (4 bytes, big-endian, of what follows) | ChaCha20-Poly1305 ciphertext | 16-byte tag
// after a 16-byte random salt the sender writes first: the key of the connection comes from the secret, the
// offer's token, the receiver's nonce and that salt (data-server.ts connectionKey), so no two connections share
// a keystream even when a hello is replayed; nonce = 4 zero bytes and a 64-bit chunk counter, so a chunk
// dropped, repeated or reordered fails to open.

import {createCipheriv, createDecipheriv, randomBytes} from 'node:crypto';
import {Transform, type TransformCallback} from 'node:stream';

export const maxChunk = 64 * 1024;
export const saltBytes = 16;
const tagBytes = 16;
const cipherName = 'chacha20-poly1305';

/** A connection's key from the sender's salt (or one fixed key, the salt then unused). */
export type KeySource = Buffer | ((salt: Buffer) => Buffer);

const keyFrom = (source: KeySource, salt: Buffer) => (Buffer.isBuffer(source) ? source : source(salt));

function nonce(counter: bigint): Buffer {
	const bytes = Buffer.alloc(12);
	bytes.writeBigUInt64BE(counter, 4);
	return bytes;
}

/** Plain bytes in, the salt then sealed chunks out; `keyOf` makes the connection's key from the salt. */
export class ChunkSealer extends Transform {
	private counter = 0n;
	private readonly key: Buffer;

	constructor(keyOf: KeySource, salt: Buffer = randomBytes(saltBytes)) {
		super();
		this.key = keyFrom(keyOf, salt);
		this.push(salt);
	}

	override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
		for (let start = 0; start < chunk.length; start += maxChunk) {
			const plain = chunk.subarray(start, start + maxChunk);
			const cipher = createCipheriv(cipherName, this.key, nonce(this.counter++), {authTagLength: tagBytes});
			const head = Buffer.alloc(4);
			head.writeUInt32BE(plain.length + tagBytes);
			this.push(Buffer.concat([head, cipher.update(plain), cipher.final(), cipher.getAuthTag()]));
		}

		done();
	}
}

/** Sealed chunks in (cut anywhere by TCP), plain bytes out; a chunk that does not open, or is too long, is an error. */
export class ChunkOpener extends Transform {
	private counter = 0n;
	private pending: Buffer[] = [];
	private pendingBytes = 0;
	private key: Buffer | undefined;

	/** The sender's salt comes first: `keyOf` makes the connection's key from it. */
	constructor(private readonly keyOf: KeySource) {
		super();
	}

	override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
		this.pending.push(chunk);
		this.pendingBytes += chunk.length;
		let buffer = this.pending.length === 1 ? chunk : Buffer.concat(this.pending, this.pendingBytes);
		if (this.key === undefined) {
			if (buffer.length < saltBytes) {
				this.pending = [buffer];
				done();
				return;
			}

			this.key = keyFrom(this.keyOf, buffer.subarray(0, saltBytes));
			buffer = buffer.subarray(saltBytes);
		}

		const key = this.key;
		while (buffer.length >= 4) {
			const length = buffer.readUInt32BE(0);
			if (length < tagBytes || length > maxChunk + tagBytes) {
				done(new Error('a sealed chunk of an impossible length'));
				return;
			}

			if (buffer.length < 4 + length) {
				break;
			}

			const body = buffer.subarray(4, 4 + length - tagBytes);
			try {
				const decipher = createDecipheriv(cipherName, key, nonce(this.counter++), {authTagLength: tagBytes});
				decipher.setAuthTag(buffer.subarray(4 + length - tagBytes, 4 + length));
				this.push(Buffer.concat([decipher.update(body), decipher.final()]));
			} catch {
				done(new Error('a chunk did not open: wrong secret or tampered'));
				return;
			}

			buffer = buffer.subarray(4 + length);
		}

		this.pending = buffer.length === 0 ? [] : [buffer];
		this.pendingBytes = buffer.length;
		done();
	}

	override _flush(done: TransformCallback): void {
		done(this.pendingBytes === 0 ? undefined : new Error('the data ended inside a sealed chunk'));
	}
}
