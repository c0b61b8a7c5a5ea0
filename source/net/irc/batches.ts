import type {IrcMessage} from './message.js';

export type Batch = {readonly type: string; readonly params: readonly string[]; readonly label: string | undefined; readonly parent: string | undefined};

/** Open batches at once: a server that opens more without closing them is not followed further. */
const maxOpen = 64;

/** IRCv3 batches: which batch a line belongs to, and what that batch is (chathistory, a labeled response). */
export class Batches {
	private readonly open = new Map<string, Batch>();

	/** BATCH +ref type params / BATCH -ref. */
	handle(message: IrcMessage): void {
		const [reference = '', type = '', ...params] = message.params;
		if (reference.startsWith('+')) {
			// A server that opens batches and never closes them: the oldest is forgotten, not the newest.
			if (this.open.size >= maxOpen) {
				const oldest = this.open.keys().next().value;
				if (oldest !== undefined) {
					this.open.delete(oldest);
				}
			}

			this.open.set(reference.slice(1), {type: type.toLowerCase(), params, label: message.tags.get('label'), parent: message.tags.get('batch')});
		} else if (reference.startsWith('-')) {
			this.open.delete(reference.slice(1));
		}
	}

	/** The batch types a line is inside, innermost first, and the label of a labeled response it answers. */
	of(message: IrcMessage): {readonly types: readonly string[]; readonly label: string | undefined} {
		const types: string[] = [];
		let label = message.tags.get('label');
		let reference = message.tags.get('batch');
		for (let depth = 0; reference !== undefined && depth < maxOpen; depth++) {
			const batch = this.open.get(reference);
			if (batch === undefined) {
				break;
			}

			types.push(batch.type);
			label ??= batch.label;
			reference = batch.parent;
		}

		return {types, label};
	}

	clear(): void {
		this.open.clear();
	}
}
