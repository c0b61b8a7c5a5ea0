import {statusConversation} from '../../domain/conversation.js';
import type {ChatLine} from '../../domain/snapshot.js';

/** Filtered once per lines array and buffer: a snapshot comes up to 30 times a second, a key far more often. */
const cache = new WeakMap<readonly ChatLine[], Map<string, readonly ChatLine[]>>();

/** What a buffer shows: everything in buffer 1, a conversation's own lines in its buffer. */
export function bufferLines(lines: readonly ChatLine[], id: string): readonly ChatLine[] {
	if (id === statusConversation) {
		return lines;
	}

	let byBuffer = cache.get(lines);
	if (!byBuffer) {
		byBuffer = new Map();
		cache.set(lines, byBuffer);
	}

	let shown = byBuffer.get(id);
	if (!shown) {
		shown = lines.filter(line => line.conversation === id);
		byBuffer.set(id, shown);
	}

	return shown;
}
