import type {ChatHistory} from '../history/history.js';
import type {Delivery} from '../delivery/delivery.js';
import type {Greeting} from '../wire/greeting.js';
import type {Tags} from '../wire/tags.js';
import {directLine, readIncoming, type IncomingLine} from '../wire/incoming.js';
import {multilineTag, unescapeBreaks} from '../wire/multiline.js';
import {sanitize} from '../wire/sanitize.js';
import {ackedIds, type Acks} from './acks.js';
import type {Conversation, ConversationBook} from './conversations.js';
import type {Dest, Greetings} from './greetings.js';
import {holdClaim, mustProve, onToken} from './identity.js';
import type {Notices} from './notices.js';
import {onPresence, type PresenceInbound} from './presence.js';
import {destOf, peerAddress, peerEndpoint, type Peer} from './peers.js';
import type {Reassembler} from './reassembler.js';
import type {Receiver} from './receiver.js';
import {roomHandlers, type RoomState} from './room-inbound.js';
import type {SeenIds} from './seen-ids.js';
import type {Targeting} from './target.js';

export type InboundParts = {
	readonly conversations: ConversationBook;
	readonly greetings: Greetings;
	readonly delivery: Delivery;
	readonly history: ChatHistory;
	readonly receiver: Receiver;
	readonly targeting: Targeting;
	readonly seen: SeenIds;
	readonly reassembler: Reassembler;
	/** A control line, to where it is due. */
	readonly sendControl: (dest: Dest, line: string) => void;
	readonly acks: Acks;
	/** System lines a peer causes, held to a few a window. */
	readonly notices: Notices;
	/** Connections to us waiting to prove they are the instance of this conversation. */
	readonly claimants: (conversation: string) => Peer[];
	/** Our token for whoever is at dest, if it is a known tui-netchat on our own channel. */
	readonly tokenFor: (dest: Dest) => string | undefined;
	/** Two conversations turned out to be one instance: what belonged to `from` moves to `into`. */
	readonly merge: (from: Conversation, into: Conversation) => void;
	/** Messages waiting for the conversation go out on this connection. */
	readonly flush: (peer: Peer, conversation: Conversation) => void;
	readonly changed: () => void;
	/** Per connection to an ncat --chat relay: who is speaking. */
	readonly rooms: RoomState;
	/** Away and liveness (session/presence.ts, liveness.ts): who talked, who is heard, who greeted anew. */
	readonly presence: PresenceInbound;
	/** File offers and their answers (net/files/): a line about files is theirs; a greeting may resume one. */
	readonly files?: {readonly onLine: (peer: Peer, conversation: string, tags: Tags) => boolean; readonly greeted: (peer: Peer, conversation: string) => void};
};

type Handler<K extends IncomingLine['kind']> = (parts: InboundParts, peer: Peer, conversation: Conversation, line: Extract<IncomingLine, {kind: K}>) => void;
type HandlerTable = {readonly [K in IncomingLine['kind']]: Handler<K>};

export {destOf} from './peers.js';

/** "2/5" -> the second of five pieces. */
function parsePart(value: string): {index: number; count: number} | undefined {
	const match = /^(\d{1,4})\/(\d{1,4})$/.exec(value);
	const index = Number(match?.[1]) - 1;
	const count = Number(match?.[2]);
	return match && count >= 1 && index >= 0 && index < count ? {index, count} : undefined;
}

/**
 * A connection we dialled greets with another port than the one we dialled: a relay passed on someone
 * else's greeting (ncat --broker), where several people speak and nothing tells their lines apart; or a
 * proxy or port forward in front of one tui-netchat. It is taken for a room (plain text only, so nobody
 * there ever sees tags) until the other end says "@direct": a tui-netchat that accepted a connection
 * knows only two programs are on it, and says so after its greeting. A relay never accepts on our behalf.
 */
function isRelayedGreeting(peer: Peer, conversation: Conversation, greeting: Greeting): boolean {
	return peer.transport === 'tcp' && peer.direction === 'out' && !peer.direct && !conversation.direct && greeting.port !== peer.port;
}

/**
 * Greets back when it is new to us (our earlier greeting may have gone to a program that was not running
 * yet, or to this peer before it restarted); on a connection to us, says it is direct (see above).
 */
function answer(parts: InboundParts, peer: Peer, isNew: boolean): boolean {
	const greeted = parts.greetings.answer(destOf(peer), isNew);
	if (isNew && peer.direction === 'in') {
		parts.sendControl(destOf(peer), directLine);
	}

	return greeted;
}

function onGreeting(parts: InboundParts, peer: Peer, conversation: Conversation, {greeting}: Extract<IncomingLine, {kind: 'greeting'}>): void {
	if (peer.room !== undefined || isRelayedGreeting(peer, conversation, greeting)) {
		peer.heldGreeting ??= greeting;
		roomHandlers.greetingInRoom(parts, peer, conversation, greeting);
		return;
	}

	const nick = sanitize(greeting.nick);
	const old = conversation.tnc ? conversation.nick : undefined;
	const isNew = !peer.tnc;
	peer.tnc = true;
	peer.nick = nick;
	peer.listenPort = greeting.port ?? peer.listenPort;
	let current = conversation;
	const endpoint = peerEndpoint(peer);
	if (endpoint) {
		const existing = parts.conversations.at(endpoint);
		if (mustProve(peer, conversation, existing)) {
			// Its token comes right after its greeting; until then (or if it never does) it is someone else.
			holdClaim(peer, conversation, existing, nick);
			answer(parts, peer, isNew);
			parts.changed();
			return;
		}

		current = parts.conversations.settle(conversation, endpoint);
		if (current !== conversation) {
			parts.merge(conversation, current);
		}

		parts.delivery.rememberPeer(endpoint);
	}

	current.tnc = true;
	current.nick = nick;
	if (old === undefined && (current === conversation || isNew)) {
		parts.history.relabel(peerAddress(peer), nick);
		if (current === conversation) {
			parts.notices.say('greeting', peer.host, `${peerAddress(peer)} is ${nick}, on tui-netchat.`, 'info', current.id);
		}
	} else if (old !== undefined && old !== nick) {
		parts.notices.say('renamed', peer.host, `${old} is now known as ${nick}.`, 'info', current.id);
	}

	parts.targeting.greetedBy(current.id);
	if (answer(parts, peer, isNew) && isNew) {
		// After our greeting, so it reads the tags: that we keep alive, and that we are away if we are. Only
		// when that greeting went: a flood of spoofed greetings gets no more of these than of greetings.
		parts.presence.greeted(peer);
	}
	if (peer.transport === 'tcp' && endpoint) {
		parts.flush(peer, current);
	}

	parts.files?.greeted(peer, current.id);
	parts.changed();
}

function onTagged(parts: InboundParts, peer: Peer, conversation: Conversation, line: Extract<IncomingLine, {kind: 'tagged'}>): void {
	const dest = destOf(peer);
	const untagged = Object.keys(line.tags).length === 0;
	if (line.recognised) {
		peer.tnc = true;
		conversation.tnc = true;
		if (typeof line.tags['id'] === 'string') {
			// A message from a tui-netchat that knew us before we restarted: it should know us again. A bare
			// acknowledgement gets no greeting (that would answer 15 bytes with 50).
			parts.greetings.recognised(dest);
		}
	} else if (untagged) {
		parts.greetings.untagged(dest);
	}

	const {tags, text} = line;
	const token = tags['token'];
	if (typeof token === 'string') {
		onToken(parts, peer, conversation, token, peerEndpoint(peer));
		return;
	}

	if (tags['token-please'] === true) {
		// Answered over the same UDP, to the address it came from: only that address's own token goes back.
		const answer = peer.transport === 'udp' ? parts.tokenFor(dest) : undefined;
		if (answer !== undefined) {
			parts.sendControl(dest, answer);
		}

		return;
	}

	if (tags['direct'] === true) {
		const held = peer.heldGreeting;
		peer.direct = true;
		conversation.direct = true;
		if (peer.room === 'broker' && held) {
			roomHandlers.notARoom(parts, peer, conversation);
			onGreeting(parts, peer, conversation, {kind: 'greeting', greeting: held});
		}

		return;
	}

	if (onPresence(parts.notices, peer, conversation, tags) || parts.files?.onLine(peer, conversation.id, tags) === true) {
		return;
	}

	const ack = tags['ack'];
	if (typeof ack === 'string') {
		for (const msgid of ackedIds(ack)) {
			if (parts.delivery.outbox.get(msgid)?.conversation === conversation.id) {
				parts.presence.talked(conversation, true);
			}

			parts.delivery.acknowledged(msgid, conversation.id);
		}

		return;
	}

	const id = tags['id'];
	if (typeof id !== 'string' && text === '') {
		// A control line of a newer tui-netchat that this one does not know: nothing to show.
		return;
	}

	let whole = text;
	if (typeof id === 'string') {
		const seenKey = `${conversation.id}|${id}`;
		if (parts.seen.has(seenKey)) {
			// Our acknowledgement was lost and the message came again: acknowledge, do not show twice.
			parts.acks.add(dest, id);
			return;
		}

		const part = typeof tags['part'] === 'string' ? parsePart(tags['part']) : undefined;
		const assembled = part ? parts.reassembler.add(`${peer.key}|${id}`, part.index, part.count, text) : text;
		if (assembled === undefined) {
			// More pieces to come; the acknowledgement waits for the whole message.
			return;
		}

		whole = assembled;
		parts.seen.add(seenKey);
		parts.acks.add(dest, id);
		parts.presence.talked(conversation, false);
	}

	// Several lines as one (wire/multiline.ts): put back only once the pieces are whole, since a cut may fall inside an escape.
	const multiline = tags[multilineTag] === true;
	// A tui-netchat that has not read our greeting yet writes to us as to a plain peer: its /me is "* NICK text".
	const plainAction = untagged && peer.nick !== undefined ? `* ${peer.nick} ` : undefined;
	if (plainAction !== undefined && whole.startsWith(plainAction) && whole.length > plainAction.length) {
		parts.receiver.receive(peer, conversation, whole.slice(plainAction.length), {action: true});
		return;
	}

	parts.receiver.receive(peer, conversation, multiline ? unescapeBreaks(whole) : whole, {action: tags['me'] === true, multiline});
}

/** Each kind of incoming line to the one function that handles it. */
const handlers: HandlerTable = {
	greeting: onGreeting,
	tagged: onTagged,
	'ncat-announce': roomHandlers.announce,
	'ncat-message'(parts, peer, conversation, line) {
		parts.receiver.receive(peer, conversation, line.text, {from: line.user});
	},
	relay: roomHandlers.relay,
	plain(parts, peer, conversation, line) {
		// In a broker room nothing tells who wrote a line: it is the room's.
		parts.receiver.receive(peer, conversation, line.text, conversation.kind === 'room' ? {from: conversation.address} : {});
	},
};

/** One opened line from a peer: read by what we know of the sender, then handled by its kind. */
export function handleLine(parts: InboundParts, peer: Peer, conversation: Conversation, raw: string): void {
	const now = Date.now();
	peer.lastHeard = now;
	parts.conversations.heard(conversation, peer.transport, now);
	const line = readIncoming(raw, {tnc: peer.tnc, transport: peer.transport, ncat: peer.room === 'chat', room: peer.room});
	parts.presence.heard(conversation, line);
	(handlers[line.kind] as Handler<typeof line.kind>)(parts, peer, conversation, line);
}
