import {TokenBucket} from './token-bucket.js';

type Flood = {readonly bucket: TokenBucket; dropped: number; name: string};

/**
 * A token bucket per sender keeps a flood from burying the pane. UDP senders are counted per host, so a
 * flood from many source ports is one flood. Senders tracked are bounded; the least recent goes first.
 */
export class FloodGate {
	private readonly floods = new Map<string, Flood>();
	/** Everyone together: however many sources (the whole of 127/8 is loopback), the pane and CPU stay bounded. */
	private readonly everyone: TokenBucket | undefined;
	private lastKey: string | undefined;

	constructor(
		private readonly burst: number,
		private readonly perSecond: number,
		private readonly maxTracked = 1024,
		everyone?: {readonly burst: number; readonly perSecond: number},
	) {
		this.everyone = everyone && new TokenBucket(everyone.burst, everyone.perSecond);
	}

	/** True when the message may be shown; otherwise it is counted as dropped. */
	admit(key: string, name: string): boolean {
		if (this.burst === Number.POSITIVE_INFINITY) {
			// No limit (a script reads every message): nothing to count.
			return true;
		}

		let flood = this.floods.get(key);
		if (flood === undefined) {
			flood = {bucket: new TokenBucket(this.burst, this.perSecond), dropped: 0, name};
		} else if (this.lastKey !== key) {
			this.floods.delete(key);
		}

		// Most recent last: the first entry is the one to forget.
		this.lastKey = key;
		this.floods.set(key, flood);
		if (this.floods.size > this.maxTracked) {
			const [oldestKey, oldest] = this.floods.entries().next().value ?? [];
			if (oldestKey !== undefined && oldest?.dropped === 0) {
				this.floods.delete(oldestKey);
			}
		}

		if (flood.bucket.take() && (this.everyone?.take() ?? true)) {
			return true;
		}

		flood.dropped++;
		flood.name = name;
		return false;
	}

	/** What was dropped since the last call, per sender. */
	takeDrops(): Array<{readonly name: string; readonly dropped: number}> {
		const drops: Array<{name: string; dropped: number}> = [];
		for (const flood of this.floods.values()) {
			if (flood.dropped > 0) {
				drops.push({name: flood.name, dropped: flood.dropped});
				flood.dropped = 0;
			}
		}

		return drops;
	}
}
