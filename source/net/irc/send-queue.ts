/** How fast lines may go to the server: a burst, then one line per interval (servers throttle or drop floods). */
export type SendRate = {readonly burst: number; readonly intervalMs: number};

type Queued = {readonly line: string; readonly sent?: () => void; readonly lost?: () => void};

/**
 * Lines to the server, paced so its flood protection never disconnects us: `burst` lines at once, then one
 * per interval, the way irssi and weechat pace theirs. Urgent lines (PONG, QUIT) go first and are not paced.
 */
export class SendQueue {
	private readonly queue: Queued[] = [];
	private credit: number;
	private last: number;
	private timer: NodeJS.Timeout | undefined;

	constructor(
		private readonly write: (line: string) => void,
		private readonly rate: SendRate,
		private readonly now: () => number = Date.now,
	) {
		this.credit = rate.burst;
		this.last = now();
	}

	get length(): number {
		return this.queue.length;
	}

	/** `sent` is called once the line is written; `lost` when the queue is cleared before. */
	push(line: string, sent?: () => void, lost?: () => void): void {
		this.queue.push({line, ...(sent ? {sent} : {}), ...(lost ? {lost} : {})});
		this.drain();
	}

	urgent(line: string): void {
		this.write(line);
	}

	/** The connection is gone: what waits is dropped, each line's `lost` told in order. */
	clear(): void {
		const dropped = this.queue.splice(0);
		for (const entry of dropped) {
			entry.lost?.();
		}

		if (this.timer) {
			clearTimeout(this.timer);
			this.timer = undefined;
		}

		this.credit = this.rate.burst;
		this.last = this.now();
	}

	private refill(): void {
		const now = this.now();
		this.credit = Math.min(this.rate.burst, this.credit + (now - this.last) / this.rate.intervalMs);
		this.last = now;
	}

	private drain(): void {
		if (this.timer) {
			return;
		}

		this.refill();
		while (this.queue.length > 0 && this.credit >= 1) {
			const next = this.queue.shift();
			this.credit -= 1;
			if (next) {
				this.write(next.line);
				next.sent?.();
			}
		}

		if (this.queue.length > 0) {
			const wait = Math.ceil((1 - this.credit) * this.rate.intervalMs);
			this.timer = setTimeout(() => {
				this.timer = undefined;
				this.drain();
			}, wait);
		}
	}
}
