import {randomBytes} from 'node:crypto';

/** Conversations whose id prefix is remembered; one forgotten just gets a new prefix. */
const maxPrefixes = 2048;
const prefixes = new Map<string, string>();
let sequence = 0;

/**
 * "<prefix>-<sequence number>": what acknowledgements, retransmission and de-duplication go by. The
 * prefix is random per conversation and per run, so ids seen by one peer tell nothing of the ids another
 * peer will get, and ids stay unique across restarts.
 */
export function newMessageId(conversation: string): string {
	let prefix = prefixes.get(conversation);
	if (prefix === undefined) {
		prefix = randomBytes(6).toString('base64url');
		prefixes.set(conversation, prefix);
		if (prefixes.size > maxPrefixes) {
			const oldest = prefixes.keys().next().value;
			if (oldest !== undefined) {
				prefixes.delete(oldest);
			}
		}
	}

	sequence++;
	return `${prefix}-${sequence}`;
}
