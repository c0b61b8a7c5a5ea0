import type {IrcSink} from './sink.js';

/** A message typed while it cannot go yet: not connected, or its channel not joined yet. */
export type Held = {readonly target: string; readonly text: string; readonly action: boolean; readonly lineId: number};

/** Messages held at once; past that the oldest fails. */
const maxHeld = 500;

/** What was typed while it could not go out: sent once the channel is joined, failed when it will not be. */
export class HeldMessages {
	private held: Held[] = [];

	constructor(private readonly sink: IrcSink) {}

	hold(held: Held): void {
		this.held.push(held);
		if (this.held.length > maxHeld) {
			const dropped = this.held.shift();
			if (dropped) {
				this.sink.delivery(dropped.lineId, 'failed');
			}
		}
	}

	fail(which: (held: Held) => boolean): void {
		for (const held of this.held.filter(which)) {
			this.sink.delivery(held.lineId, 'failed');
		}

		this.held = this.held.filter(held => !which(held));
	}

	/** Takes out (in the order typed) the messages that may go now. */
	take(which: (held: Held) => boolean): Held[] {
		const ready = this.held.filter(which);
		this.held = this.held.filter(held => !which(held));
		return ready;
	}
}
