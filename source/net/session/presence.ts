import {aliveLine, type IncomingLine} from '../wire/incoming.js';
import {formatTagged, type Tags} from '../wire/tags.js';
import type {Conversation, ConversationBook} from './conversations.js';
import type {Dest} from './greetings.js';
import {defaultLivenessMs, Liveness} from './liveness.js';
import type {Notices} from './notices.js';
import {controlRoutes, destOf, peerName, type Peer, type PeerBook} from './peers.js';

// Presence between tui-netchat peers, as control lines in the tag form of the wire format (readme "Wire
// format"), sent only to peers that greeted us, so plain peers get nothing:
//   @quit=gone\sfor\slunch    we leave (the reason is optional: "@quit")
//   @away=in\sa\smeeting      we are away; "@back" when we are back (a peer that greets us later is told too)
//   @alive;ack=               still here (session/liveness.ts)

/** A reason or away text longer than this is cut: it is one line in someone else's pane. */
const maxTextLength = 300;
/** How long /quit waits for its lines to go before it closes the sockets anyway. */
const quitWaitMs = 500;

export type PresenceParts = {
	readonly peers: PeerBook;
	readonly conversations: ConversationBook;
	/** A line in the status buffer. */
	readonly say: (text: string) => void;
	/** Lines peers cause, held to a few a window. */
	readonly notices: Notices;
	readonly send: (dest: Dest, line: string) => Promise<void>;
	/** Nothing sent to a tui-netchat peer we talked with for this long: a keepalive goes (default 30 s). */
	readonly livenessMs?: number | undefined;
};

/** What inbound (session/inbound.ts) tells presence of what a peer sent. */
export type PresenceInbound = Pick<Presence, 'heard' | 'talked' | 'greeted'>;

function cut(text: string | undefined): string | undefined {
	const trimmed = text?.trim();
	return trimmed === undefined || trimmed === '' ? undefined : [...trimmed].slice(0, maxTextLength).join('');
}

/** The control line for leaving, going away (with text) or coming back (without). */
export function presenceLine(kind: 'quit' | 'away', text?: string): string {
	const said = cut(text);
	const tags: Tags = kind === 'quit' ? {quit: said ?? true} : said === undefined ? {back: true} : {away: said};
	return formatTagged({tags, text: ''});
}

/**
 * Tells every tui-netchat conversation once (over its connection when it has one, else over UDP), and
 * keeps alive those we talked with (session/liveness.ts).
 */
export class Presence {
	private awayText: string | undefined;
	private readonly liveness: Liveness;

	constructor(private readonly parts: PresenceParts) {
		const {peers, conversations, notices, send} = parts;
		this.liveness = new Liveness({peers, conversations, notices, send, intervalMs: parts.livenessMs ?? defaultLivenessMs});
	}

	get away(): string | undefined {
		return this.awayText;
	}

	/** /away TEXT, or (without text) back: said here, and told to every tui-netchat peer. */
	setAway(text: string | undefined): void {
		const said = cut(text);
		if (said === this.awayText) {
			return;
		}

		this.awayText = said;
		const told = this.tell(presenceLine('away', said)).length;
		const peers = told === 1 ? '1 tui-netchat peer was told' : `${told} tui-netchat peers were told`;
		this.parts.say(said === undefined ? `You are back (${peers}).` : `You are away: ${said} (${peers}).`);
	}

	/** /quit: tells them we leave, and waits (a moment at most) until the lines are out. */
	async quit(reason: string | undefined): Promise<void> {
		// No keepalive may follow the quit: the peer would take us for back.
		this.liveness.close();
		const sending = this.tell(presenceLine('quit', reason));
		await Promise.race([Promise.allSettled(sending), new Promise(resolve => setTimeout(resolve, quitWaitMs).unref())]);
	}

	/**
	 * A new tui-netchat peer greeted us and has our greeting: it learns we keep alive, and that we are away
	 * if we are (it was not there when we said so).
	 */
	greeted(peer: Peer): void {
		const dest = destOf(peer);
		if (!this.liveness.closed) {
			void this.parts.send(dest, aliveLine).catch(() => undefined);
		}

		if (this.awayText !== undefined) {
			void this.parts.send(dest, presenceLine('away', this.awayText)).catch(() => undefined);
		}
	}

	/** A message went either way in the conversation: from now on it is kept alive. */
	talked(conversation: Conversation, acknowledgedOurs: boolean): void {
		this.liveness.talked(conversation, acknowledgedOurs);
	}

	/** Any line from the conversation (before it is handled). */
	heard(conversation: Conversation, line: IncomingLine): void {
		this.liveness.heard(conversation, line);
	}

	/** A line went to dest: no keepalive is due there for a while. */
	sent(dest: Dest): void {
		this.liveness.sent(dest);
	}

	merged(from: Conversation, into: Conversation): void {
		this.liveness.merged(from, into);
	}

	close(): void {
		this.liveness.close();
	}

	private tell(line: string): Array<Promise<void>> {
		return [...controlRoutes(this.parts.peers.list()).values()].map(async peer => this.parts.send(destOf(peer), line).catch(() => undefined));
	}
}

/**
 * A presence line from a tui-netchat peer: "alice left (reason)", "alice is away: text", "alice is back"
 * in its conversation. True when the tags were one (nothing else to do with the line).
 */
export function onPresence(notices: Notices, peer: Peer, conversation: Conversation, tags: Tags): boolean {
	const text = (value: string | true | undefined) => (typeof value === 'string' ? cut(value) : undefined);
	const who = conversation.nick ?? peerName(peer);
	let said: string;
	if (tags['quit'] !== undefined) {
		const reason = text(tags['quit']);
		peer.left = true;
		said = reason === undefined ? `${who} left.` : `${who} left (${reason}).`;
	} else if (tags['away'] !== undefined) {
		const away = text(tags['away']);
		said = away === undefined ? `${who} is away.` : `${who} is away: ${away}`;
	} else if (tags['back'] === true) {
		said = `${who} is back.`;
	} else if (tags['alive'] === true) {
		// A keepalive: liveness has noted it (Presence.heard), nothing to show.
		return true;
	} else {
		return false;
	}

	notices.say('presence', peer.host, said, 'info', conversation.id);
	return true;
}
