import type {Endpoint, Protocol} from '../../domain/endpoint.js';
import {conversationName, type Conversation} from './conversations.js';
import type {Peer} from './peers.js';

/** Where a message typed to a conversation goes, or why it cannot go anywhere. */
export type Route =
	| {readonly kind: 'udp'; readonly endpoint: Endpoint}
	/** An open connection. */
	| {readonly kind: 'tcp'; readonly peer: Peer}
	/** A connection to dial (or being dialled): the message waits in the outbox until it is up. */
	| {readonly kind: 'link'; readonly endpoint: Endpoint}
	| {readonly kind: 'none'; readonly why: string};

/** The protocol a conversation's messages take: a room is TCP; otherwise its own choice, or the default. */
export function protocolOf(conversation: Conversation | undefined, fallback: Protocol): Protocol {
	if (conversation?.kind === 'room') {
		return 'tcp';
	}

	return conversation?.protocol ?? fallback;
}

/** Pure: the conversation, the protocol it uses, and its open connection if it has one. */
export function route(conversation: Conversation, protocol: Protocol, connection: Peer | undefined): Route {
	const name = conversationName(conversation);
	if (protocol === 'udp') {
		return conversation.endpoint
			? {kind: 'udp', endpoint: conversation.endpoint}
			: {kind: 'none', why: `${name} can only be reached over its TCP connection: Ctrl+T switches to TCP.`};
	}

	if (connection) {
		return {kind: 'tcp', peer: connection};
	}

	return conversation.endpoint
		? {kind: 'link', endpoint: conversation.endpoint}
		: {
				kind: 'none',
				why: `Not sent: ${name} closed its connection, and it connected from a passing port, so it cannot be dialled back; it has to connect again (or greet from tui-netchat, which says where it listens).`,
			};
}
