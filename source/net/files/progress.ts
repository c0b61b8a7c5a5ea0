/** How far a transfer is, and how fast it goes: the rate over the last few seconds, for "45% 12.3 MB/s 8 s left". */
export class ProgressMeter {
	private readonly samples: Array<{readonly at: number; readonly done: number}> = [];

	constructor(
		readonly size: number,
		private doneBytes = 0,
		private readonly windowMs = 3000,
	) {}

	get done(): number {
		return this.doneBytes;
	}

	/** A new starting point (a resumed transfer begins at its offset): the rate starts over. */
	reset(done: number, now: number): void {
		this.doneBytes = done;
		this.samples.length = 0;
		this.samples.push({at: now, done});
	}

	add(bytes: number, now: number): void {
		this.doneBytes += bytes;
		const last = this.samples.at(-1);
		// One sample per 100 ms is plenty for the rate, and bounds the list.
		if (last === undefined || now - last.at >= 100) {
			this.samples.push({at: now, done: this.doneBytes});
		}

		while (this.samples.length > 2 && now - this.samples[0]!.at > this.windowMs) {
			this.samples.shift();
		}
	}

	/** Bytes a second over the window; 0 when nothing moved in it. */
	rate(now: number): number {
		const first = this.samples[0];
		if (first === undefined || now - first.at <= 0) {
			return 0;
		}

		return Math.max(0, ((this.doneBytes - first.done) * 1000) / (now - first.at));
	}

	/** Seconds left at the current rate. */
	eta(now: number): number | undefined {
		const rate = this.rate(now);
		return rate > 0 ? Math.ceil((this.size - this.doneBytes) / rate) : undefined;
	}

	percent(): number {
		return this.size === 0 ? 100 : Math.floor((this.doneBytes * 100) / this.size);
	}
}

/** "3 s", "2 min 5 s", "1 h 3 min". */
export function formatDuration(seconds: number): string {
	if (seconds < 60) {
		return `${seconds} s`;
	}

	if (seconds < 3600) {
		const rest = seconds % 60;
		return `${Math.floor(seconds / 60)} min${rest === 0 ? '' : ` ${rest} s`}`;
	}

	return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
}
