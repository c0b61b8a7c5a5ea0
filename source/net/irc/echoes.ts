/** What was sent, waiting for the server to echo it back (echo-message): one entry per PRIVMSG line. */
type Waiting = {readonly lineId: number; readonly target: string; readonly text: string; readonly label: string | undefined};

/** Echoes waited for at once; past that the oldest is given up (it stays "sent"). */
const maxWaiting = 1000;

/**
 * Own messages the server has not echoed yet. A message cut into several lines is confirmed once every line
 * came back. With labeled-response an echo names its line; without, it is the first one waiting with the
 * same target and text.
 */
export class Echoes {
	private waiting: Waiting[] = [];
	private readonly piecesLeft = new Map<number, number>();
	private nextLabel = 1;

	label(): string {
		return `tnc${this.nextLabel++}`;
	}

	expect(lineId: number, target: string, text: string, label: string | undefined): void {
		this.waiting.push({lineId, target, text, label});
		this.piecesLeft.set(lineId, (this.piecesLeft.get(lineId) ?? 0) + 1);
		if (this.waiting.length > maxWaiting) {
			// The oldest line is given up whole: a piece of it echoed later must not confirm it.
			const dropped = this.waiting[0]?.lineId;
			this.waiting = this.waiting.filter(entry => entry.lineId !== dropped);
			if (dropped !== undefined) {
				this.piecesLeft.delete(dropped);
			}
		}
	}

	/** The line the echo confirms, once all of its pieces are back; undefined when it is not ours or not the last piece. */
	echoed(target: string, text: string, label: string | undefined): {readonly ours: boolean; readonly complete: number | undefined} {
		const index = this.waiting.findIndex(entry => entry.target === target && (label !== undefined && entry.label !== undefined ? entry.label === label : entry.text === text));
		const entry = this.waiting[index];
		if (entry === undefined) {
			return {ours: false, complete: undefined};
		}

		this.waiting.splice(index, 1);
		const left = (this.piecesLeft.get(entry.lineId) ?? 1) - 1;
		if (left > 0) {
			this.piecesLeft.set(entry.lineId, left);
			return {ours: true, complete: undefined};
		}

		this.piecesLeft.delete(entry.lineId);
		return {ours: true, complete: entry.lineId};
	}

	/** The connection is gone: the lines still waiting were written, and stay "sent". */
	clear(): void {
		this.waiting = [];
		this.piecesLeft.clear();
	}
}
