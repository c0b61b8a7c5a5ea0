/** A bounded FIFO: push is O(1), the oldest item goes once it is full. */
export class Ring<T> {
	private readonly items: Array<T | undefined>;
	private start = 0;
	private count = 0;

	constructor(readonly capacity: number) {
		this.items = Array.from({length: capacity});
	}

	get size(): number {
		return this.count;
	}

	push(item: T): void {
		if (this.count < this.capacity) {
			this.items[(this.start + this.count) % this.capacity] = item;
			this.count++;
			return;
		}

		this.items[this.start] = item;
		this.start = (this.start + 1) % this.capacity;
	}

	/** Oldest first. */
	toArray(): T[] {
		const out: T[] = [];
		for (let index = 0; index < this.count; index++) {
			out.push(this.items[(this.start + index) % this.capacity] as T);
		}

		return out;
	}

	clear(): void {
		this.items.fill(undefined);
		this.start = 0;
		this.count = 0;
	}
}
