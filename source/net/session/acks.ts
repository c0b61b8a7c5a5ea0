import {formatTagged} from '../wire/tags.js';
import {destKey, type Dest} from './greetings.js';

/** Acknowledgements in one line at most this long; more ids go in the next line. */
const maxAckLineBytes = 48 * 1024;

/**
 * Acknowledgements, gathered per destination and sent as one line ("@ack=a,b,c") once the input at hand
 * has been read: a datagram holding thousands of messages gets one datagram back, not thousands.
 */
export class Acks {
	private readonly waiting = new Map<string, {readonly dest: Dest; readonly ids: Set<string>}>();
	private scheduled = false;

	constructor(private readonly send: (dest: Dest, line: string) => void) {}

	add(dest: Dest, id: string): void {
		const key = destKey(dest);
		let batch = this.waiting.get(key);
		if (batch === undefined) {
			batch = {dest, ids: new Set()};
			this.waiting.set(key, batch);
		}

		batch.ids.add(id);
		if (!this.scheduled) {
			this.scheduled = true;
			setImmediate(() => {
				this.flush();
			});
		}
	}

	flush(): void {
		this.scheduled = false;
		for (const {dest, ids} of this.waiting.values()) {
			let line: string[] = [];
			let bytes = 0;
			for (const id of ids) {
				if (bytes + id.length + 1 > maxAckLineBytes && line.length > 0) {
					this.send(dest, formatTagged({tags: {ack: line.join(',')}, text: ''}));
					line = [];
					bytes = 0;
				}

				line.push(id);
				bytes += id.length + 1;
			}

			this.send(dest, formatTagged({tags: {ack: line.join(',')}, text: ''}));
		}

		this.waiting.clear();
	}
}

/** "a,b,c" -> the ids an acknowledgement line names (at most as many as fit in one line). */
export function ackedIds(value: string): string[] {
	return value.split(',', 8192).filter(id => id !== '');
}
