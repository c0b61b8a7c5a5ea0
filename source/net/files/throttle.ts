import {Transform, type TransformCallback} from 'node:stream';

/**
 * The pace of one transfer under a bandwidth limit, kept across its connections (a reconnect gets no fresh
 * burst): each slice is due `bytes / rate` after the one before; a pause leaves no credit.
 */
export class Pacer {
	private at = Number.NEGATIVE_INFINITY;

	constructor(readonly rate: number) {}

	/** The most bytes to let through at once: a tenth of a second's worth. */
	get slice(): number {
		return Math.max(1, Math.floor(this.rate / 10));
	}

	/** How long to wait before `bytes` more may go, in milliseconds (0: now). */
	take(bytes: number, now = Date.now()): number {
		this.at = Math.max(this.at, now);
		const wait = Math.max(0, this.at - now);
		this.at += (bytes * 1000) / this.rate;
		return wait;
	}
}

/** Holds bytes back to at most `rate` bytes a second (TUI_NETCHAT_FILE_RATE: a bandwidth limit, as rsync's --bwlimit), in slices of a tenth of a second's worth. */
export class Throttle extends Transform {
	private readonly pacer: Pacer;

	constructor(rate: number | Pacer) {
		super();
		this.pacer = typeof rate === 'number' ? new Pacer(rate) : rate;
	}

	override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
		const step = (start: number) => {
			if (start >= chunk.length || this.destroyed) {
				done();
				return;
			}

			const slice = chunk.subarray(start, start + this.pacer.slice);
			const wait = this.pacer.take(slice.length);
			const go = () => {
				this.push(slice);
				step(start + slice.length);
			};

			if (wait > 0) {
				setTimeout(go, wait);
			} else {
				go();
			}
		};

		step(0);
	}
}

/** The limit from the environment, if a positive number of bytes a second is set. */
export function fileRate(env: NodeJS.ProcessEnv = process.env): number | undefined {
	const rate = Number(env['TUI_NETCHAT_FILE_RATE']);
	return Number.isFinite(rate) && rate > 0 ? rate : undefined;
}
