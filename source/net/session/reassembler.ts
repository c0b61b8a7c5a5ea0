type Partial = {readonly source: string; readonly pieces: Array<string | undefined>; bytes: number; readonly since: number};

export type ReassemblerLimits = {
	/** Messages being put together at once, from everyone. */
	readonly messages: number;
	/** Of those, from one source: a source over its budget evicts its own oldest, never another's. */
	readonly perSource?: number;
	readonly pieces: number;
	/** Bytes of one message, and of all of them together. */
	readonly bytes: number;
	readonly totalBytes?: number;
	readonly ageMs: number;
};

const defaultLimits: ReassemblerLimits = {messages: 256, perSource: 8, pieces: 128, bytes: 256 * 1024, totalBytes: 8 * 1024 * 1024, ageMs: 30_000};

/** "udp:127.0.0.1:7852|abc-5" -> "udp:127.0.0.1:7852": keys are a source and a message id. */
function sourceOf(key: string): string {
	const bar = key.indexOf('|');
	return bar === -1 ? key : key.slice(0, bar);
}

/**
 * Puts long UDP messages back together from their pieces ("part=2/5"), within bounds no peer can push
 * memory past: so many messages at once, so many pieces and bytes each, and not forever. Budgets are kept
 * per source, so a flood of bogus first pieces from one address cannot push out another's message; when
 * the whole is full, the source holding the most gives way (its newest partial first).
 */
export class Reassembler {
	private readonly partial = new Map<string, Partial>();
	private readonly perSource = new Map<string, number>();
	private totalBytes = 0;

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
			partial = this.begin(key, count);
		}

		if (partial.pieces.length !== count) {
			return undefined;
		}

		const growth = text.length - (partial.pieces[index]?.length ?? 0);
		partial.bytes += growth;
		this.totalBytes += growth;
		partial.pieces[index] = text;
		if (partial.bytes > this.limits.bytes) {
			this.drop(key);
			return undefined;
		}

		if (partial.pieces.includes(undefined)) {
			this.makeRoomForBytes(key);
			return undefined;
		}

		this.drop(key);
		return partial.pieces.join('');
	}

	get size(): number {
		return this.partial.size;
	}

	private begin(key: string, count: number): Partial {
		const source = sourceOf(key);
		const budget = this.limits.perSource ?? this.limits.messages;
		if ((this.perSource.get(source) ?? 0) >= budget) {
			this.dropOldestOf(source);
		}

		const partial: Partial = {source, pieces: Array.from({length: count}), bytes: 0, since: this.now()};
		this.partial.set(key, partial);
		this.perSource.set(source, (this.perSource.get(source) ?? 0) + 1);
		if (this.partial.size > this.limits.messages) {
			this.dropFromLargest(key);
		}

		return partial;
	}

	/** All partials together over their byte budget: the source holding the most gives way. */
	private makeRoomForBytes(keep: string): void {
		const limit = this.limits.totalBytes ?? Number.POSITIVE_INFINITY;
		while (this.totalBytes > limit && this.partial.size > 1) {
			this.dropFromLargest(keep);
		}
	}

	private dropFromLargest(keep: string): void {
		let largest: string | undefined;
		for (const [source, count] of this.perSource) {
			if (largest === undefined || count >= (this.perSource.get(largest) ?? 0)) {
				largest = source;
			}
		}

		let newest: string | undefined;
		for (const [key, partial] of this.partial) {
			if (partial.source === largest && key !== keep) {
				newest = key;
			}
		}

		this.drop(newest ?? this.partial.keys().next().value ?? '');
	}

	private dropOldestOf(source: string): void {
		for (const [key, partial] of this.partial) {
			if (partial.source === source) {
				this.drop(key);
				return;
			}
		}
	}

	private drop(key: string): void {
		const partial = this.partial.get(key);
		if (partial === undefined) {
			return;
		}

		this.partial.delete(key);
		this.totalBytes -= partial.bytes;
		const left = (this.perSource.get(partial.source) ?? 1) - 1;
		if (left > 0) {
			this.perSource.set(partial.source, left);
		} else {
			this.perSource.delete(partial.source);
		}
	}

	private expire(): void {
		const oldest = this.now() - this.limits.ageMs;
		for (const [key, partial] of this.partial) {
			if (partial.since >= oldest) {
				return;
			}

			this.drop(key);
		}
	}
}
