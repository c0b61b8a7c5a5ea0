import {maxRetryMs, stayedRegisteredMs} from './client-options.js';

/**
 * When to redial: 1, 2, 4 ... times the base delay (±20 %), up to a minute. It starts over only once a
 * connection stayed registered a while: a server that welcomes us and drops us at once is not redialled fast.
 */
export class Backoff {
	private retries = 0;
	private registeredAt: number | undefined;
	private timer: NodeJS.Timeout | undefined;

	constructor(private readonly baseMs: number) {}

	registered(): void {
		this.registeredAt = Date.now();
	}

	/** The connection ended: the delay before the next attempt. */
	next(): number {
		if (this.registeredAt !== undefined && Date.now() - this.registeredAt > stayedRegisteredMs) {
			this.retries = 0;
		}

		this.registeredAt = undefined;
		const delay = Math.min(maxRetryMs, this.baseMs * 2 ** this.retries * (0.8 + Math.random() * 0.4));
		this.retries++;
		return delay;
	}

	schedule(delay: number, redial: () => void): void {
		this.cancel();
		this.timer = setTimeout(() => {
			this.timer = undefined;
			redial();
		}, delay);
	}

	cancel(): void {
		clearTimeout(this.timer);
		this.timer = undefined;
	}
}
