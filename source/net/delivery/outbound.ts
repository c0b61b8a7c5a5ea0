import {endpointFromLabel, formatEndpoint, type Protocol} from '../../domain/endpoint.js';
import type {SendOptions} from '../../domain/actions.js';
import type {ChatHistory} from '../history/history.js';
import type {Conversation, ConversationBook} from '../session/conversations.js';
import type {Dest} from '../session/greetings.js';
import {peerName, tcpPeerKey, type Peer, type PeerBook} from '../session/peers.js';
import {protocolOf, route} from '../session/router.js';
import type {Targeting} from '../session/target.js';
import {plainAddress} from '../transport/address.js';
import type {TcpConnection} from '../transport/tcp-transport.js';
import type {Delivery} from './delivery.js';
import type {Links} from './links.js';
import type {StoredMessage} from './outbox-store.js';
import type {TcpSender} from './tcp-sender.js';
import type {UdpSender} from './udp-sender.js';

export type OutboundParts = {
	readonly conversations: ConversationBook;
	readonly peers: PeerBook;
	readonly targeting: Targeting;
	readonly delivery: Delivery;
	readonly udpSender: UdpSender;
	readonly tcpSender: TcpSender;
	readonly links: () => Links;
	readonly history: ChatHistory;
	readonly defaultProtocol: () => Protocol;
	/** Two conversations are one instance: what belonged to `from` moves to `into`. */
	readonly unite: (from: Conversation, into: Conversation) => void;
};

/** A typed message to where it goes: the conversation, its protocol, then UDP, an open connection or a link to dial. */
export class Outbound {
	constructor(private readonly parts: OutboundParts) {}

	send(text: string, {action = false, conversation: id}: SendOptions = {}): void {
		const {conversations, targeting, history, delivery, peers} = this.parts;
		const conversation = conversations.get(id ?? targeting.current()?.conversation);
		if (conversation === undefined) {
			history.system(
				id === undefined ? 'Nobody to send to yet: start with --peer HOST:PORT, /connect HOST:PORT, or wait until someone writes to you.' : 'That conversation is over: /peers lists who is known.',
				'error',
			);
			return;
		}

		const protocol = protocolOf(conversation, this.parts.defaultProtocol());
		const next = route(conversation, protocol, peers.connectionOf(conversation.id));
		switch (next.kind) {
			case 'udp': {
				this.parts.udpSender.send(conversation.id, next.endpoint, text, action);
				return;
			}

			case 'tcp': {
				const entry = this.queueTcp(conversation, text, action, next.peer);
				if (next.peer.direction === 'in' && !next.peer.proven) {
					// Behind older messages that may have to wait for our own dial.
					this.flush(next.peer, conversation);
				} else {
					this.parts.tcpSender.flush(next.peer, [entry]);
				}

				return;
			}

			case 'link': {
				this.queueTcp(conversation, text, action, undefined);
				const link = this.parts.links().to(conversation.id, next.endpoint);
				const linked = link.connection ? peers.get(tcpPeerKey(link.connection.id)) : undefined;
				if (link.state === 'connected' && linked) {
					this.flush(linked, conversation);
				} else if (link.state === 'idle') {
					// While retrying, the countdown in the status bar says when; typing does not make it wait longer.
					link.connect();
				}

				return;
			}

			case 'none': {
				// Shown as not sent, so nothing typed is lost from sight, with the reason beside it.
				delivery.settle(delivery.queue({protocol, conversation: conversation.id, endpoint: undefined, text, action, to: conversation.address, tnc: false}), 'failed');
				history.system(next.why, 'error', conversation.id);
			}
		}
	}

	/**
	 * Writes what waits for a conversation on one of its connections, in the order it was typed. Messages
	 * older than a connection made to us, which has not proven it is the instance (session/identity.ts), go
	 * only where it listens: we dial there, and the rest waits behind them, in order.
	 */
	flush(peer: Peer, conversation: Conversation): void {
		const entries = this.parts.delivery.outbox.of(conversation.id, 'tcp').filter(entry => entry.peerKey === undefined || entry.peerKey === peer.key);
		const listening = conversation.endpoint;
		const unproven = peer.direction === 'in' && !peer.proven && listening !== undefined;
		// In the same millisecond counts as older: the safe side.
		if (unproven && entries.some(entry => entry.state === 'pending' && entry.createdAt <= peer.since)) {
			this.parts.links().to(conversation.id, listening).connect();
			return;
		}

		this.parts.tcpSender.flush(peer, entries);
	}

	/** A greeting held back on a connection went out: what was typed meanwhile follows it now. */
	released(dest: Dest): void {
		const peer = dest.kind === 'tcp' ? this.parts.peers.get(tcpPeerKey(dest.connectionId)) : undefined;
		const conversation = this.parts.conversations.get(peer?.conversation);
		if (peer && conversation) {
			this.flush(peer, conversation);
		}
	}

	/** With TCP chosen, dial now rather than at the first message. */
	prepare(conversation: Conversation | undefined): void {
		if (conversation?.endpoint && protocolOf(conversation, this.parts.defaultProtocol()) === 'tcp' && this.parts.peers.connectionOf(conversation.id) === undefined) {
			this.parts.links().to(conversation.id, conversation.endpoint).connect();
		}
	}

	/** A peer that had connected to us left with messages unacknowledged or waiting: reach it where it listens. */
	redialIfWaiting(conversation: Conversation): void {
		if (conversation.endpoint && this.parts.delivery.outbox.of(conversation.id, 'tcp').length > 0 && this.parts.peers.connectionOf(conversation.id) === undefined) {
			this.parts.links().to(conversation.id, conversation.endpoint).connect();
		}
	}

	/** A link is worth redialling while messages wait for it, or while TCP is what its conversation uses. */
	linkWanted(id: string): boolean {
		const conversation = this.parts.conversations.get(id);
		if (conversation === undefined) {
			return false;
		}

		const waiting = this.parts.delivery.outbox.of(id, 'tcp').length > 0;
		const chosen = this.parts.targeting.current()?.conversation === id || conversation.kind === 'room';
		return waiting || (chosen && protocolOf(conversation, this.parts.defaultProtocol()) === 'tcp');
	}

	/** Our dial is up: the connection belongs to the conversation we dialled, and what waits goes out. */
	linkConnected(id: string, connection: TcpConnection): void {
		const conversation = this.parts.conversations.get(id);
		const peer = this.parts.peers.get(tcpPeerKey(connection.id));
		if (conversation === undefined || peer === undefined) {
			return;
		}

		peer.conversation = conversation.id;
		const other = this.parts.conversations.alias(conversation, {host: plainAddress(connection.remoteAddress), port: connection.remotePort});
		if (other) {
			this.parts.unite(other, conversation);
		}

		this.flush(peer, conversation);
	}

	/** Messages still waiting for a link that never connected would wait for ever once the target moves on. */
	abandonUnanswered(conversation: Conversation | undefined, next: Conversation): void {
		const link = this.parts.links().get(conversation?.id);
		if (conversation === undefined || conversation === next || link === undefined || link.state === 'connected') {
			return;
		}

		const stranded = this.parts.delivery.outbox.of(conversation.id, 'tcp').filter(entry => entry.state === 'pending');
		this.parts.delivery.abandon(stranded, `for ${link.label} not sent: it never answered.`);
		this.parts.links().stop(conversation.id);
	}

	/** Closes the link we dialled for a conversation; what it had not acknowledged stays in the outbox. */
	hangUp(conversation: Conversation): void {
		this.parts.links().stop(conversation.id);
	}

	/** Messages left from last time: shown again, and sent once their peer answers. */
	resume(messages: readonly StoredMessage[]): void {
		if (messages.length > 0) {
			this.parts.history.system(`${messages.length} undelivered ${messages.length === 1 ? 'message' : 'messages'} from last time: they go out when the peer is back.`);
		}

		for (const message of messages) {
			const endpoint = endpointFromLabel(message.endpoint);
			if (endpoint !== undefined) {
				const conversation = this.parts.conversations.forEndpoint(endpoint);
				const entry = this.parts.delivery.requeue(message, conversation.id);
				if (entry.protocol === 'udp') {
					this.parts.udpSender.resend(entry);
				} else {
					this.parts.links().to(conversation.id, endpoint).connect();
				}
			}
		}
	}

	private queueTcp(conversation: Conversation, text: string, action: boolean, peer: Peer | undefined) {
		const {delivery} = this.parts;
		const inRoom = conversation.kind === 'room';
		const tnc = !inRoom && ((peer?.tnc ?? false) || delivery.knows(conversation));
		const to = peer ? peerName(peer) : conversation.endpoint ? formatEndpoint(conversation.endpoint) : conversation.address;
		return delivery.queue({protocol: 'tcp', conversation: conversation.id, endpoint: conversation.endpoint, peerKey: conversation.endpoint ? undefined : peer?.key, text, action, to, tnc});
	}
}
