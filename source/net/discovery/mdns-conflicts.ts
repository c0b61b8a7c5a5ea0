// RFC 6762 8.1 and 9, for one interface's responder: how long to wait before probing again after a name
// conflict, and what to say about it. Anyone on the link can claim any name, as often as they like, so renaming
// never stops for good (the responder would stay off for the rest of the run) and the lines are bounded.

/** RFC 6762 8.1: after 15 conflicts within any 10 s, at least 5 s before each further probe. */
const windowMs = 10_000;
const conflictsBeforeSlowing = 15;
const slowProbeMs = 5000;

export class Conflicts {
	private readonly recent: number[] = [];
	private saidAt = Number.NEGATIVE_INFINITY;
	private unsaid = 0;
	private latest = '';
	private timer: NodeJS.Timeout | undefined;

	constructor(
		private readonly iface: string,
		private readonly problem: (message: string) => void,
		private readonly now: () => number = Date.now,
	) {}

	/** One conflict: `taken` is given up for `next`. Returns how long to wait before probing `next` (0: the usual). */
	add(taken: string, next: string): number {
		const now = this.now();
		this.recent.push(now);
		while ((this.recent[0] ?? now) <= now - windowMs) {
			this.recent.shift();
		}

		// A line at most once per window; the conflicts in between, as one summary at its end.
		if (now - this.saidAt >= windowMs) {
			this.saidAt = now;
			this.problem(`mDNS: the name "${taken}" is taken on ${this.iface}; advertising as "${next}"`);
		} else {
			[this.unsaid, this.latest] = [this.unsaid + 1, next];
			this.timer ??= setTimeout(() => this.summary(), this.saidAt + windowMs - now);
			this.timer.unref?.();
		}

		return this.recent.length >= conflictsBeforeSlowing ? slowProbeMs : 0;
	}

	close(): void {
		clearTimeout(this.timer);
		this.timer = undefined;
		this.unsaid = 0;
	}

	private summary(): void {
		this.timer = undefined;
		if (this.unsaid > 0) {
			const times = this.unsaid === 1 ? 'once more' : `${this.unsaid} more times`;
			this.saidAt = this.now();
			this.problem(`mDNS: renamed ${times} on ${this.iface} in 10 s (someone else uses these names); advertising as "${this.latest}"`);
			this.unsaid = 0;
		}
	}
}
