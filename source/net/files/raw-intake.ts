import type {Hash} from 'node:crypto';
import type {OnReadOpts, Socket} from 'node:net';
import type {Writable} from 'node:stream';

const chunkBytes = 1024 * 1024;
const poolSize = 8;

/**
 * The raw data of a transfer, read by the socket straight into a few 1 MiB buffers of ours (net's `onread`),
 * hashed and handed to the file's write stream; a buffer is read into again once the disk has it. Node's
 * own reads come in 64 KiB pieces, each a new buffer behind a stream: at loopback speed that cost more than
 * the SHA-256. At most the bytes still due are kept; a sender that sends more is cut off there.
 */
export class RawIntake {
	overrun = false;
	private readonly free: Buffer[] = Array.from({length: poolSize}, () => Buffer.allocUnsafeSlow(chunkBytes));
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
		private readonly hash: Hash,
		private readonly counted: (bytes: number) => void,
		private readonly sink: Writable,
	) {}

	/** Resolves at the end of the data: the sender's FIN, or the offered size reached with more coming. */
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
			this.hash.update(chunk);
			this.counted(kept);
			this.sink.write(chunk, () => {
				this.release(buffer);
			});
		} else {
			this.release(buffer);
		}

		if (kept < bytes && !this.overrun) {
			this.overrun = true;
			this.over?.();
		}

		// The next read takes the last free buffer: wait for the disk.
		if (this.free.length <= 1 && !this.paused) {
			this.paused = true;
			this.socket?.pause();
		}
	}

	private release(buffer: Buffer): void {
		if (buffer.length === chunkBytes && this.free.length < poolSize) {
			this.free.push(buffer);
		}

		if (this.paused && this.free.length >= 2) {
			this.paused = false;
			this.socket?.resume();
		}
	}
}
