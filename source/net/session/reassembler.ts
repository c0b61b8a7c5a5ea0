type Partial = {readonly pieces: Array<string | undefined>; bytes: number; readonly since: number};

export type ReassemblerLimits = {
	readonly messages: number;
	readonly pieces: number;
	readonly bytes: number;
	readonly ageMs: number;
};

const defaultLimits: ReassemblerLimits = {messages: 64, pieces: 128, bytes: 256 * 1024, ageMs: 30_000};

/**
 * Puts long UDP messages back together from their pieces ("part=2/5"), within bounds no peer can push
 * memory past: so many messages at once, so many pieces and bytes each, and not forever.
 */
export class Reassembler {
	private readonly partial = new Map<string, Partial>();

	constructor(
		private readonly limits: ReassemblerLimits = defaultLimits,
		private readonly now: () => number = Date.now,
	) {}

	/** The whole text once the last piece has come; undefined while pieces are missing or when refused. */
	add(key: string, index: number, count: number, text: string): string | undefined {
		if (count > this.limits.pieces || index < 0 || index >= count) {
			return undefined;
		}

		this.expire();
		let partial = this.partial.get(key);
		if (partial === undefined) {
			partial = {pieces: Array.from({length: count}), bytes: 0, since: this.now()};
			this.partial.set(key, partial);
			if (this.partial.size > this.limits.messages) {
				const oldest = this.partial.keys().next().value;
				if (oldest !== undefined) {
					this.partial.delete(oldest);
				}
			}
		}

		if (partial.pieces.length !== count) {
			return undefined;
		}

		partial.bytes += text.length - (partial.pieces[index]?.length ?? 0);
		partial.pieces[index] = text;
		if (partial.bytes > this.limits.bytes) {
			this.partial.delete(key);
			return undefined;
		}

		if (partial.pieces.includes(undefined)) {
			return undefined;
		}

		this.partial.delete(key);
		return partial.pieces.join('');
	}

	get size(): number {
		return this.partial.size;
	}

	private expire(): void {
		const oldest = this.now() - this.limits.ageMs;
		for (const [key, partial] of this.partial) {
			if (partial.since >= oldest) {
				return;
			}

			this.partial.delete(key);
		}
	}
}
