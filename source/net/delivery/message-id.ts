import {randomBytes} from 'node:crypto';

/** This run's prefix for message ids: ids stay unique across restarts and across peers. */
const session = randomBytes(6).toString('base64url');
let sequence = 0;

/** "<session>-<sequence number>": what acknowledgements, retransmission and de-duplication go by. */
export function newMessageId(): string {
	sequence++;
	return `${session}-${sequence}`;
}
