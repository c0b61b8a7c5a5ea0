// The data of a transfer under --secret: chunks of at most 64 KiB, each
//   length (4 bytes, big-endian, of what follows) | ChaCha20-Poly1305 ciphertext | 16-byte tag
// under a key of its own per connection (wire/seal.ts deriveTransferKey), nonce = 4 zero bytes and a 64-bit
// chunk counter, so a chunk dropped, repeated or reordered fails to open.

import {createCipheriv, createDecipheriv} from 'node:crypto';
import {Transform, type TransformCallback} from 'node:stream';

export const maxChunk = 64 * 1024;
const tagBytes = 16;
const cipherName = 'chacha20-poly1305';

function nonce(counter: bigint): Buffer {
	const bytes = Buffer.alloc(12);
	bytes.writeBigUInt64BE(counter, 4);
	return bytes;
}

/** Plain bytes in, sealed chunks out. */
export class ChunkSealer extends Transform {
	private counter = 0n;

	constructor(private readonly key: Buffer) {
		super();
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

	constructor(private readonly key: Buffer) {
		super();
	}

	override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
		this.pending.push(chunk);
		this.pendingBytes += chunk.length;
		let buffer = this.pending.length === 1 ? chunk : Buffer.concat(this.pending, this.pendingBytes);
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
				const decipher = createDecipheriv(cipherName, this.key, nonce(this.counter++), {authTagLength: tagBytes});
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
