import type {OnReadOpts, Socket} from 'node:net';
import type {Writable} from 'node:stream';
import {PoolHasher} from './hash-worker.js';

const chunkBytes = 1024 * 1024;
const poolSize = 8;

/**
 * The raw data of a transfer, read by the socket straight into a few 1 MiB buffers of ours (net's `onread`),
 * hashed in a worker thread (hash-worker.ts) and handed to the file's write stream; a buffer is read into
 * again once both have it. Node's
 * own reads come in 64 KiB pieces, each a new buffer behind a stream: at loopback speed that cost more than
 * the SHA-256. At most the bytes still due are kept; a sender that sends more is cut off there.
 */
export class RawIntake {
	overrun = false;
	readonly hasher: PoolHasher;
	private readonly pool = new SharedArrayBuffer(chunkBytes * poolSize);
	private readonly free: Buffer[] = Array.from({length: poolSize}, (_, index) => Buffer.from(this.pool, index * chunkBytes, chunkBytes));
	/** Buffers handed to both the disk and the hasher: back in `free` once both are done. */
	private readonly busy = new Map<Buffer, number>();
	private socket: Socket | undefined;
	private paused = false;
	private over: (() => void) | undefined;
	readonly onread: OnReadOpts = {
		buffer: () => this.free.pop() ?? Buffer.allocUnsafeSlow(chunkBytes),
		callback: (bytes, buffer) => {
			this.take(bytes, buffer as Buffer);
			return true;
		},
	};

	constructor(
		private left: number,
		private readonly counted: (bytes: number) => void,
		private readonly sink: Writable,
	) {
		this.hasher = new PoolHasher(this.pool);
	}

	/** Resolves at the end of the data: the sender's FIN, or the offered size reached (with more coming or not). */
	async run(socket: Socket): Promise<void> {
		this.socket = socket;
		await new Promise<void>((resolve, reject) => {
			this.over = resolve;
			socket.once('end', resolve);
			socket.once('error', reject);
			socket.once('close', () => {
				reject(new Error('the connection was closed'));
			});
			this.sink.once('error', reject);
		});
	}

	private take(bytes: number, buffer: Buffer): void {
		const kept = this.overrun ? 0 : Math.min(bytes, this.left);
		this.left -= kept;
		if (kept > 0) {
			const chunk = buffer.subarray(0, kept);
			this.counted(kept);
			this.busy.set(buffer, 2);
			const release = () => {
				this.release(buffer);
			};

			this.hasher.update(chunk, release);
			this.sink.write(chunk, release);
		} else {
			this.release(buffer);
		}

		if (kept < bytes && !this.overrun) {
			this.overrun = true;
		}

		// All the bytes offered came: done, whether or not the sender has closed yet.
		if (this.left === 0) {
			this.over?.();
		}

		// The next read takes the last free buffer: wait for the disk.
		if (this.free.length <= 1 && !this.paused) {
			this.paused = true;
			this.socket?.pause();
		}
	}

	private release(buffer: Buffer): void {
		const left = (this.busy.get(buffer) ?? 1) - 1;
		if (left > 0) {
			this.busy.set(buffer, left);
			return;
		}

		this.busy.delete(buffer);
		if (buffer.buffer === this.pool) {
			this.free.push(buffer);
		}

		if (this.paused && this.free.length >= 2) {
			this.paused = false;
			this.socket?.resume();
		}
	}
}
