/** Allows bursts of `capacity` and `perSecond` on average; what is over the rate is refused, not queued. */
export class TokenBucket {
	private tokens: number;
	private last: number;

	constructor(
		private readonly capacity: number,
		private readonly perSecond: number,
		private readonly now: () => number = Date.now,
	) {
		this.tokens = capacity;
		this.last = now();
	}

	take(): boolean {
		const now = this.now();
		this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.perSecond);
		this.last = now;
		if (this.tokens < 1) {
			return false;
		}

		this.tokens -= 1;
		return true;
	}
}
