import type {Delivery} from '../delivery/delivery.js';
import type {Links} from '../delivery/links.js';
import type {Outbound} from '../delivery/outbound.js';
import type {ChatHistory} from '../history/history.js';
import {plainAddress} from '../transport/address.js';
import {explainError} from '../transport/errors.js';
import {isDroppedForNotReading, type TcpConnection, type TcpTransport} from '../transport/tcp-transport.js';
import type {UdpTransport} from '../transport/udp-transport.js';
import {formatEndpoint} from '../../domain/endpoint.js';
import type {Framer} from '../wire/framer.js';
import type {Conversation, ConversationBook} from './conversations.js';
import type {Encodings} from './encodings.js';
import type {Greetings} from './greetings.js';
import {handleLine, type InboundParts} from './inbound.js';
import type {Notices} from './notices.js';
import {peerAddress, tcpPeerKey, udpPeerKey, type Peer, type PeerBook} from './peers.js';
import type {Targeting} from './target.js';

export type ArrivalParts = {
	readonly udp: UdpTransport;
	readonly tcp: TcpTransport;
	readonly framer: Framer;
	readonly peers: PeerBook;
	readonly conversations: ConversationBook;
	readonly history: ChatHistory;
	readonly greetings: Greetings;
	readonly delivery: Delivery;
	readonly links: Links;
	readonly outbound: Outbound;
	readonly targeting: Targeting;
	readonly inbound: InboundParts;
	readonly notices: Notices;
	readonly closed: () => boolean;
	readonly encodings: Encodings;
};

/** What the transports report, turned into peers, conversations and incoming lines. */
export class Arrivals {
	/** UDP endpoints that answered with ICMP port unreachable, until they write again. */
	private readonly refused = new Set<string>();

	constructor(private readonly parts: ArrivalParts) {
		const {udp, tcp, history} = parts;
		udp.on('message', (data, remote) => {
			this.onDatagram(data, plainAddress(remote.address), remote.port);
		});
		udp.on('error', error => {
			history.system(`UDP: ${explainError(error)}`, 'error');
		});
		udp.on('refused', (address, port) => {
			this.onRefused(plainAddress(address), port);
		});
		tcp.on('open', connection => {
			this.onOpen(connection);
		});
		tcp.on('message', (text, connection, terminated) => {
			const peer = parts.closed() ? undefined : parts.peers.get(tcpPeerKey(connection.id));
			// A tui-netchat line cut by a dropped connection is resent whole; only plain peers end text by closing.
			if (peer && (terminated || !peer.tnc)) {
				this.onWireLine(peer, text);
				parts.encodings.hint(peer);
			}
		});
		tcp.on('close', (connection, error) => {
			this.onClose(connection, error);
		});
		tcp.on('drain', connection => {
			const peer = parts.peers.get(tcpPeerKey(connection.id));
			if (peer) {
				parts.outbound.flush(peer, this.conversationOf(peer));
			}
		});
		tcp.on('turnedAway', address => {
			parts.notices.say('turned-away', address, `TCP: turned away a connection from ${plainAddress(address)}: it has too many open already.`, 'error');
		});
		tcp.on('error', error => {
			history.system(`TCP: ${explainError(error)}`, 'error');
		});
	}

	/** The conversation a peer speaks in, begun when it has none (yet, or any more). */
	conversationOf(peer: Peer): Conversation {
		const known = this.parts.conversations.get(peer.conversation);
		if (known) {
			return known;
		}

		const {conversations} = this.parts;
		const endpoint = {host: peer.host, port: peer.port};
		const conversation = peer.transport === 'tcp' && peer.direction === 'in' ? conversations.forClient(peer.address) : conversations.forEndpoint(endpoint);
		peer.conversation = conversation.id;
		const {peers, delivery, links, targeting} = this.parts;
		const target = targeting.current()?.conversation;
		const kept = (candidate: Conversation) =>
			candidate === conversation ||
			candidate.id === target ||
			links.get(candidate.id) !== undefined ||
			peers.connectionOf(candidate.id) !== undefined ||
			delivery.outbox.of(candidate.id, 'tcp').length + delivery.outbox.of(candidate.id, 'udp').length > 0;
		for (const gone of conversations.trim(kept)) {
			targeting.forget(gone.id);
		}

		return conversation;
	}

	private onDatagram(data: Buffer, host: string, port: number): void {
		const peer = this.parts.peers.udp(host, port);
		this.refused.delete(peerAddress(peer));
		for (const line of this.parts.encodings.datagramLines(data, peer)) {
			this.onWireLine(peer, line);
		}

		this.parts.encodings.hint(peer);
	}

	/** With --secret, only lines sealed with the same secret get through; the rest are counted, never shown. */
	private onWireLine(peer: Peer, raw: string): void {
		if (raw === '' || raw === '\r') {
			// An empty datagram, or Enter alone in netcat: nothing to show.
			return;
		}

		if (!this.parts.framer.sealed) {
			handleLine(this.parts.inbound, peer, this.conversationOf(peer), raw);
			return;
		}

		const opened = this.parts.framer.open(raw);
		if (opened.ok) {
			handleLine(this.parts.inbound, peer, this.conversationOf(peer), opened.line);
			return;
		}

		peer.rejected++;
		if (peer.rejected === 1) {
			const why = {
				replayed: 'a replayed message',
				'wrong-secret-or-tampered': 'sealed with another secret, or tampered with',
				'bad-format': 'a damaged or cut sealed line',
				'not-sealed': 'not sealed: that peer has no --secret',
			}[opened.reason];
			this.parts.notices.say('rejected', peer.host, `Rejected data from ${peerAddress(peer)}: ${why}. Nothing from it is shown.`, 'error');
		}
	}

	/** Said once per peer until it answers again: a chat that repeats the same error every line is noise. */
	private onRefused(host: string, port: number): void {
		const endpoint = formatEndpoint({host, port});
		if (this.refused.has(endpoint)) {
			return;
		}

		this.refused.add(endpoint);
		// Nothing heard our greeting there, and whatever answers later must introduce itself again.
		this.parts.greetings.forget({kind: 'udp', endpoint: {host, port}});
		const gone = this.parts.peers.get(udpPeerKey(endpoint));
		if (gone) {
			gone.tnc = false;
		}

		const conversation = this.parts.conversations.at({host, port});
		this.parts.notices.say('refused', host, `UDP to ${endpoint}: ${explainError({code: 'ECONNREFUSED'})}.`, 'error', conversation?.id);
	}

	private onOpen(connection: TcpConnection): void {
		const {peers, conversations, history, links} = this.parts;
		const peer = peers.tcp(connection.id, plainAddress(connection.remoteAddress), connection.remotePort, connection.direction);
		if (connection.direction === 'out') {
			// The link that dialled it says whose it is, a moment later (Outbound.linkConnected).
			peer.conversation = conversations.at({host: peer.host, port: peer.port})?.id ?? '';
		} else {
			const conversation = this.conversationOf(peer);
			this.parts.notices.say('connected', peer.host, `TCP: ${peerAddress(peer)} connected.`, 'info', conversation.id);
			links.hostIsBack(peer.host);
		}

		history.changed();
	}

	private onClose(connection: TcpConnection, error: Error | undefined): void {
		if (this.parts.closed()) {
			return;
		}

		const {peers, conversations, history, greetings, delivery, links, inbound} = this.parts;
		const key = tcpPeerKey(connection.id);
		const peer = peers.get(key);
		peers.remove(key);
		greetings.forget({kind: 'tcp', connectionId: connection.id});
		const conversation = conversations.get(peer?.conversation);
		if (peer) {
			inbound.rooms.forget(peer);
		}

		for (const entry of delivery.outbox.list()) {
			if (entry.peerKey === key) {
				// Bound to this connection, with nowhere else to go.
				delivery.settle(entry, 'failed');
			}
		}

		if (conversation) {
			// Whatever the peer did not acknowledge goes again on the next connection.
			delivery.unsent(delivery.outbox.of(conversation.id, 'tcp'));
		}

		const who = peer?.nick ? `${peer.nick} (${peerAddress(peer)})` : (peer ? peerAddress(peer) : connection.label);
		if (peer?.left && !error) {
			// It said it leaves ("alice left"), and now it has.
		} else if (isDroppedForNotReading(error)) {
			history.system(`TCP: dropped ${who}: it stopped reading (${error?.message ?? ''}); what it did not get waits in the outbox.`, 'error', conversation?.id);
		} else {
			const why = error ? `: ${explainError(error)}` : '';
			this.parts.notices.say('closed', peer?.host ?? connection.label, `TCP: ${who} closed the connection${why}.`, error ? 'error' : 'info', conversation?.id);
		}

		const dialled = links.ofConnection(connection.id);
		if (dialled !== undefined) {
			links.get(dialled)?.lost();
		} else if (conversation) {
			// It had connected to us: what it did not get waits, and goes when we reach where it listens.
			this.parts.outbound.redialIfWaiting(conversation);
		}

		history.changed();
	}
}
