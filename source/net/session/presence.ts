import {formatTagged, type Tags} from '../wire/tags.js';
import type {Conversation} from './conversations.js';
import type {Dest} from './greetings.js';
import type {Notices} from './notices.js';
import {peerName, type Peer, type PeerBook} from './peers.js';

// Presence between tui-netchat peers, as control lines in the tag form of the wire format (readme "Wire
// format"), sent only to peers that greeted us, so plain peers get nothing:
//   @quit=gone\sfor\slunch    we leave (the reason is optional: "@quit")
//   @away=in\sa\smeeting      we are away; "@back" when we are back

/** A reason or away text longer than this is cut: it is one line in someone else's pane. */
const maxTextLength = 300;
/** How long /quit waits for its lines to go before it closes the sockets anyway. */
const quitWaitMs = 500;

export type PresenceParts = {
	readonly peers: PeerBook;
	/** A line in the status buffer. */
	readonly say: (text: string) => void;
	readonly send: (dest: Dest, line: string) => Promise<void>;
};

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

/** Tells every tui-netchat conversation once (over its connection when it has one, else over UDP). */
export class Presence {
	private awayText: string | undefined;

	constructor(private readonly parts: PresenceParts) {}

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
		const sending = this.tell(presenceLine('quit', reason));
		await Promise.race([Promise.allSettled(sending), new Promise(resolve => setTimeout(resolve, quitWaitMs).unref())]);
	}

	private tell(line: string): Array<Promise<void>> {
		const chosen = new Map<string, Peer>();
		for (const peer of this.parts.peers.list()) {
			if (!peer.tnc || peer.room !== undefined || peer.conversation === '') {
				continue;
			}

			const known = chosen.get(peer.conversation);
			if (known === undefined || (known.transport === 'udp' && peer.transport === 'tcp')) {
				chosen.set(peer.conversation, peer);
			}
		}

		return [...chosen.values()].map(async peer => {
			const dest: Dest = peer.transport === 'udp' ? {kind: 'udp', endpoint: {host: peer.host, port: peer.port}} : {kind: 'tcp', connectionId: peer.connectionId ?? -1};
			return this.parts.send(dest, line).catch(() => undefined);
		});
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
	} else {
		return false;
	}

	notices.say('presence', peer.host, said, 'info', conversation.id);
	return true;
}
