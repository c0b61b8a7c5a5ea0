import type {Endpoint, Protocol} from '../../domain/endpoint.js';
import {formatEndpoint} from '../../domain/endpoint.js';
import type {Dest} from './greetings.js';

export type Peer = {
	/** "udp:127.0.0.1:7852" for a datagram sender, "tcp:3" for a TCP connection. */
	readonly key: string;
	/** A small number for /query, stable while the program runs. */
	readonly number: number;
	readonly transport: Protocol;
	readonly host: string;
	readonly port: number;
	readonly connectionId: number | undefined;
	readonly direction: 'in' | 'out' | undefined;
	nick: string | undefined;
	/** It greeted us: another tui-netchat, which reads message tags. */
	tnc: boolean;
	/** Its listening port, from its greeting: lets a TCP peer be reached over UDP too. */
	listenPort: number | undefined;
	/** The conversation it speaks in (session/conversations.ts): one instance's UDP address and connections share one. */
	conversation: string;
	/** A relay at the other end of this connection, over which several people speak. */
	room: 'chat' | 'broker' | undefined;
	/** A greeting that made this dialled connection look like a relay; kept in case it was a proxy (see inbound.ts). */
	heldGreeting: {readonly nick: string; readonly version: number; readonly port: number | undefined} | undefined;
	/** The other end said "@direct": one tui-netchat, whatever port its greeting names. */
	direct: boolean;
	/** When it appeared: messages older than a connection to us wait for one we dial (or a proven one). */
	readonly since: number;
	/** A connection to us that showed the token of the instance it claims (session/identity.ts). */
	proven: boolean;
	/** A connection to us that says it is an instance we know, until it shows that instance's token. */
	claim: {readonly conversation: string; readonly nick: string; presented?: string} | undefined;
	lastHeard: number;
	/** It said it leaves (@quit): its connection closing next needs no line of its own. */
	left?: boolean;
	/** Lines refused for want of our --secret. */
	rejected: number;
	/** "127.0.0.1:40312", worked out once: a flood asks for it with every message. */
	readonly address: string;
	/** Its flood-limit bucket: per host and transport, so many ports or connections are one flood. */
	readonly floodKey: string;
};

/** The PeerBook key of a UDP sender ("udp:127.0.0.1:7852") and of a TCP connection ("tcp:3"). */
export function udpPeerKey(endpoint: string): string {
	return `udp:${endpoint}`;
}

export function tcpPeerKey(connectionId: number): string {
	return `tcp:${connectionId}`;
}

export function peerAddress(peer: Peer): string {
	return peer.address;
}

export function peerName(peer: Peer): string {
	return peer.nick ?? peerAddress(peer);
}

/** Where the peer listens: what UDP sends to and what a new TCP connection dials. */
export function peerEndpoint(peer: Peer): Endpoint | undefined {
	if (peer.transport === 'udp' || peer.direction === 'out') {
		return {host: peer.host, port: peer.port};
	}

	return peer.listenPort === undefined ? undefined : {host: peer.host, port: peer.listenPort};
}

/** Where a line to this peer goes: its UDP address, or its connection. */
export function destOf(peer: Peer): Dest {
	return peer.transport === 'udp' ? {kind: 'udp', endpoint: {host: peer.host, port: peer.port}} : {kind: 'tcp', connectionId: peer.connectionId ?? -1};
}

/**
 * Per conversation, the one peer a control line (presence, keepalive) goes to: its connection when it has
 * one, else its UDP address. Only tui-netchat peers outside rooms: plain peers never get control lines.
 */
export function controlRoutes(peers: Iterable<Peer>): Map<string, Peer> {
	const chosen = new Map<string, Peer>();
	for (const peer of peers) {
		if (!peer.tnc || peer.room !== undefined || peer.conversation === '') {
			continue;
		}

		const known = chosen.get(peer.conversation);
		if (known === undefined || (known.transport === 'udp' && peer.transport === 'tcp')) {
			chosen.set(peer.conversation, peer);
		}
	}

	return chosen;
}

/** UDP senders remembered at once; beyond that the one heard from least recently is forgotten. */
const maxUdpPeers = 512;

/** Everyone who sent a datagram or holds a TCP connection. */
export class PeerBook {
	/** In the order they were last heard from (a UDP peer moves to the end with each datagram). */
	private readonly peers = new Map<string, Peer>();
	private udpCount = 0;
	private nextNumber = 1;

	udp(host: string, port: number): Peer {
		const key = udpPeerKey(formatEndpoint({host, port}));
		const known = this.peers.get(key);
		if (known) {
			this.peers.delete(key);
			this.peers.set(key, known);
			return known;
		}

		this.udpCount++;
		if (this.udpCount > maxUdpPeers) {
			this.forgetOldestUdp();
		}

		return this.add({key, transport: 'udp', host, port, connectionId: undefined, direction: undefined});
	}

	tcp(connectionId: number, host: string, port: number, direction: 'in' | 'out'): Peer {
		const key = tcpPeerKey(connectionId);
		return this.peers.get(key) ?? this.add({key, transport: 'tcp', host, port, connectionId, direction});
	}

	get(key: string | undefined): Peer | undefined {
		return key === undefined ? undefined : this.peers.get(key);
	}

	remove(key: string): void {
		if (this.peers.get(key)?.transport === 'udp') {
			this.udpCount--;
		}

		this.peers.delete(key);
	}

	private forgetOldestUdp(): void {
		for (const peer of this.peers.values()) {
			if (peer.transport === 'udp') {
				this.remove(peer.key);
				return;
			}
		}
	}

	list(): Peer[] {
		return [...this.peers.values()];
	}

	/**
	 * The open TCP connection of a conversation, if any. When both sides dialled there are two; always the
	 * same one is chosen (our own dial, then the oldest), so messages never switch connections and overtake
	 * each other.
	 */
	connectionOf(conversation: string): Peer | undefined {
		let best: Peer | undefined;
		for (const peer of this.peers.values()) {
			if (peer.transport === 'tcp' && peer.conversation === conversation) {
				const better = best === undefined || Number(peer.direction === 'out') > Number(best.direction === 'out') || (peer.direction === best.direction && (peer.connectionId ?? 0) < (best.connectionId ?? 0));
				best = better ? peer : best;
			}
		}

		return best;
	}

	/** Peers of a conversation: its UDP address and its connections. */
	of(conversation: string): Peer[] {
		return this.list().filter(peer => peer.conversation === conversation);
	}

	private add(fields: Pick<Peer, 'key' | 'transport' | 'host' | 'port' | 'connectionId' | 'direction'>): Peer {
		const peer: Peer = {
			...fields,
			number: this.nextNumber++,
			nick: undefined,
			tnc: false,
			listenPort: undefined,
			conversation: '',
			room: undefined,
			heldGreeting: undefined,
			direct: false,
			claim: undefined,
			lastHeard: Date.now(),
			since: Date.now(),
			proven: false,
			rejected: 0,
			address: formatEndpoint({host: fields.host, port: fields.port}),
			floodKey: `${fields.transport}-host:${fields.host}`,
		};
		this.peers.set(peer.key, peer);
		return peer;
	}
}
