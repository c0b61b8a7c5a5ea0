/** The last N message ids seen, so a retransmitted message shows once. Oldest forgotten first. */
export class SeenIds {
	private readonly ids = new Set<string>();

	constructor(private readonly capacity = 20_000) {}

	has(id: string): boolean {
		return this.ids.has(id);
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
