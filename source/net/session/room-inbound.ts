import {parseGreeting, type Greeting} from '../wire/greeting.js';
import type {IncomingLine} from '../wire/incoming.js';
import {sanitize} from '../wire/sanitize.js';
import type {Conversation} from './conversations.js';
import type {InboundParts} from './inbound.js';
import type {Peer} from './peers.js';
import {RelayReader} from './relay-reader.js';

/** Who is speaking on each connection to an ncat --chat relay. */
export class RoomState {
	private readonly readers = new Map<string, RelayReader>();

	readerFor(peer: Peer): RelayReader {
		let reader = this.readers.get(peer.key);
		if (reader === undefined) {
			reader = new RelayReader();
			this.readers.set(peer.key, reader);
		}

		return reader;
	}

	forget(peer: Peer): void {
		this.readers.delete(peer.key);
	}
}

/** The connection turned out to be a relay: several people there, plain text only from now on. */
function becomeRoom(parts: InboundParts, peer: Peer, conversation: Conversation, room: 'chat' | 'broker'): void {
	peer.room = room;
	peer.tnc = false;
	conversation.kind = 'room';
	conversation.tnc = false;
	const how =
		room === 'chat'
			? 'each line shows who wrote it'
			: 'it passes on lines from several people without saying whose, so they show as from the room';
	parts.history.system(`${conversation.address} is a room (${room === 'chat' ? 'ncat --chat' : 'a relay like ncat --broker'}): ${how}; you send plain text there.`, 'info', conversation.id);
	parts.changed();
}

/** A room's members remembered at once; the one that spoke least recently goes first. */
const maxMembers = 256;

function setMember(conversation: Conversation, speaker: string, nick: string | undefined): void {
	conversation.members.delete(speaker);
	conversation.members.set(speaker, nick);
	if (conversation.members.size > maxMembers) {
		const oldest = conversation.members.keys().next().value;
		if (oldest !== undefined) {
			conversation.members.delete(oldest);
		}
	}
}

function noteMember(parts: InboundParts, conversation: Conversation, speaker: string, nick: string): void {
	if (conversation.members.get(speaker) !== nick) {
		setMember(conversation, speaker, nick);
		parts.history.relabelSpeaker(conversation.id, speaker, nick);
		const text = speaker === nick ? `${nick} is in the room, on tui-netchat.` : `<${speaker}> is ${nick}, on tui-netchat.`;
		parts.notices.say('greeting', conversation.id, text, 'info', conversation.id);
		parts.changed();
	}
}

function greetingInRoom(parts: InboundParts, peer: Peer, conversation: Conversation, greeting: Greeting): void {
	if (peer.room === undefined) {
		becomeRoom(parts, peer, conversation, 'broker');
	}

	const nick = sanitize(greeting.nick);
	noteMember(parts, conversation, nick, nick);
}

function relay(parts: InboundParts, peer: Peer, conversation: Conversation, {raw}: Extract<IncomingLine, {kind: 'relay'}>): void {
	const event = parts.rooms.readerFor(peer).read(raw);
	switch (event.kind) {
		case 'message': {
			const greeting = parseGreeting(event.text);
			if (greeting && event.speaker !== undefined) {
				noteMember(parts, conversation, event.speaker, sanitize(greeting.nick));
				return;
			}

			const from = event.speaker === undefined ? conversation.address : (conversation.members.get(event.speaker) ?? event.speaker);
			parts.receiver.receive(peer, conversation, event.text, {from});
			return;
		}

		case 'joined': {
			if (!event.self) {
				setMember(conversation, event.speaker, undefined);
			}

			break;
		}

		case 'left': {
			conversation.members.delete(event.speaker);
			break;
		}

		case 'present': {
			for (const member of event.members) {
				setMember(conversation, member.speaker, undefined);
			}

			break;
		}

		case 'notice': {
			break;
		}
	}

	const you = event.kind === 'joined' && event.self ? ' (you)' : '';
	parts.notices.say('announce', conversation.id, `ncat: ${sanitize(raw.replace(/^<announce> /, ''))}${you}`, 'info', conversation.id);
	parts.changed();
}

/** A tui-netchat behind a proxy, not a relay: one person, a direct conversation again. */
function notARoom(parts: InboundParts, peer: Peer, conversation: Conversation): void {
	peer.room = undefined;
	conversation.kind = 'peer';
	conversation.members.clear();
	parts.history.system(`${conversation.address} is not a room after all: one tui-netchat, through a proxy or port forward.`, 'info', conversation.id);
}

export const roomHandlers = {
	greetingInRoom,
	notARoom,
	relay,
	/** ncat's first announcement on a connection: it is a --chat room. */
	announce(parts: InboundParts, peer: Peer, conversation: Conversation, line: Extract<IncomingLine, {kind: 'ncat-announce'}>): void {
		becomeRoom(parts, peer, conversation, 'chat');
		relay(parts, peer, conversation, {kind: 'relay', raw: `<announce> ${line.text}`});
	},
};
