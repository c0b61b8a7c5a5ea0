/** The last N message ids seen, so a retransmitted message shows once. Oldest forgotten first. */
export class SeenIds {
	private readonly ids = new Set<string>();

	constructor(private readonly capacity = 20_000) {}

	has(id: string): boolean {
		return this.ids.has(id);
	}

	/** Ids are kept as "<conversation>|<id>": when two conversations become one, the ids seen follow. */
	moveConversation(from: string, into: string): void {
		const prefix = `${from}|`;
		for (const key of [...this.ids]) {
			if (key.startsWith(prefix)) {
				this.ids.delete(key);
				this.ids.add(`${into}|${key.slice(prefix.length)}`);
			}
		}
	}

	/** True the first time an id is seen. */
	add(id: string): boolean {
		if (this.ids.has(id)) {
			return false;
		}

		this.ids.add(id);
		if (this.ids.size > this.capacity) {
			const oldest = this.ids.values().next().value;
			if (oldest !== undefined) {
				this.ids.delete(oldest);
			}
		}

		return true;
	}
}
