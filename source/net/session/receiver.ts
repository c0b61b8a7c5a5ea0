import type {ChatLine} from '../../domain/snapshot.js';
import type {ChatHistory} from '../history/history.js';
import {sanitizeLines} from '../wire/multiline.js';
import {sanitize} from '../wire/sanitize.js';
import type {Conversation} from './conversations.js';
import type {FloodGate} from './flood-gate.js';
import type {Notices} from './notices.js';
import {peerAddress, peerName, type Peer} from './peers.js';
import type {Targeting} from './target.js';

/** Longer text is cut in the pane (the log keeps all of it): laying out megabytes would stall typing. */
const maxShownChars = 8192;
/** Combining marks on one character beyond these are not shown: thousands on one make every keystroke slow. */
const tooManyMarks = /(\p{M}{4})\p{M}+/gu;
// eslint-disable-next-line no-control-regex
const asciiOnly = /^[\u0000-\u007F]*$/;

/** multiline: a tui-netchat's message of several lines (wire/multiline.ts), each line sanitized on its own. */
export type ReceiveOptions = {readonly action?: boolean; readonly from?: string; readonly multiline?: boolean};

/** A received message into the history: sanitized, logged, held to the flood limit, cut for the pane. */
export class Receiver {
	private timer: NodeJS.Timeout | undefined;

	constructor(
		private readonly history: ChatHistory,
		private readonly floodGate: FloodGate,
		private readonly targeting: Targeting,
		private readonly notices: Notices,
	) {}

	receive(peer: Peer, conversation: Conversation, text: string, {action = false, from, multiline = false}: ReceiveOptions = {}): void {
		this.targeting.heardFrom(conversation.id);
		this.history.countIncoming();
		const admitted = this.admit(peer);
		if (!admitted && this.history.log === undefined) {
			// Over the flood limit and nowhere to log it: counted, and nothing else to do (a flood makes no garbage).
			return;
		}

		const cut = admitted && text.length > maxShownChars ? `${text.slice(0, maxShownChars)} [… ${text.length - maxShownChars} more characters${this.history.log ? ' in the log' : ''}]` : text;
		// Marks are not ASCII: most lines are, and skip the Unicode scan.
		const shown = admitted && !asciiOnly.test(cut) ? cut.replace(tooManyMarks, '$1') : cut;
		const line: ChatLine = {
			id: admitted ? this.history.newId() : 0,
			time: Date.now(),
			conversation: conversation.id,
			kind: 'in',
			transport: peer.transport,
			from: from === undefined ? peerName(peer) : sanitize(from),
			address: peerAddress(peer),
			text: multiline ? sanitizeLines(shown) : sanitize(shown),
			action,
		};
		if (!admitted) {
			// Over the flood limit: logged, counted, not shown.
			this.history.log?.write(line);
			return;
		}

		if (multiline) {
			// The log keeps every line; the pane shows so many.
			const whole = sanitizeLines(text, Number.POSITIVE_INFINITY);
			this.history.append(line, whole === line.text ? undefined : whole);
			return;
		}

		this.history.append(line, text === shown ? undefined : sanitize(text));
	}

	close(): void {
		clearTimeout(this.timer);
	}

	/** The flood limit, per host and transport: a flood from many ports or connections is one flood. */
	private admit(peer: Peer): boolean {
		if (this.floodGate.admit(peer.floodKey, peerName(peer))) {
			return true;
		}

		this.timer ??= setTimeout(() => {
			this.timer = undefined;
			const logged = this.history.log ? ' (all are in the log)' : '';
			for (const {name, dropped} of this.floodGate.takeDrops()) {
				this.notices.say('flood', name, `${dropped} messages from ${name} dropped: too many too fast${logged}.`, 'error');
			}
		}, 1000);
		return false;
	}
}
