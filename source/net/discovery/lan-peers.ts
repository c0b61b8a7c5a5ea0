/** A peer seen on the LAN: who, where it chats, and where we saw it. */
export type LanPeer = {
	readonly id: string;
	nick: string;
	/** Its address and chat port: IPv4 when it was ever heard over IPv4, else its link-local IPv6 address with %scope. */
	host: string;
	port: number;
	/** Our interface and local address it was seen on (at `host`). */
	interfaceName: string;
	localAddress: string;
	intervalS: number;
	lastSeen: number;
	/** Its link-local IPv6 address with %scope ('fe80::1%eth0'), when heard over IPv6. */
	linkLocal?: string;
};

/** Peers remembered at once; a LAN with more is not followed further (the oldest seen goes). */
const maxPeers = 256;
/** A peer silent for this many of its announced intervals is gone. */
const missedIntervals = 3;
/** An address of a peer not heard for this many intervals gives way to the one it is heard at now. */
const staleAddressIntervals = 1.5;

const isIpv6 = (address: string): boolean => address.includes(':');

/** The peers heard on the LAN, aged out when they fall silent. Pure: the caller says what was heard and when. */
export class LanPeers {
	private readonly byId = new Map<string, LanPeer>();
	/** When each peer was last heard at the address in `host`. */
	private readonly hostSeen = new Map<string, number>();

	get size(): number {
		return this.byId.size;
	}

	list(): LanPeer[] {
		return [...this.byId.values()].sort((a, b) => a.nick.localeCompare(b.nick) || a.id.localeCompare(b.id));
	}

	has(id: string): boolean {
		return this.byId.has(id);
	}

	/** Remembers what a peer announced; true when it is new (the caller says so once). */
	heard(peer: LanPeer): boolean {
		const known = this.byId.get(peer.id);
		if (known) {
			this.update(known, peer);
			this.byId.delete(peer.id);
			this.byId.set(peer.id, known);
			return false;
		}

		if (this.byId.size >= maxPeers) {
			const oldest = this.byId.keys().next().value;
			if (oldest !== undefined) {
				this.forget(oldest);
			}
		}

		this.byId.set(peer.id, {...peer});
		this.hostSeen.set(peer.id, peer.lastSeen);
		return true;
	}

	/** It said goodbye. */
	left(id: string): LanPeer | undefined {
		const peer = this.byId.get(id);
		this.forget(id);
		return peer;
	}

	/** The peers silent past their interval, removed. */
	expire(now: number): LanPeer[] {
		const gone = [...this.byId.values()].filter(peer => now - peer.lastSeen > peer.intervalS * 1000 * missedIntervals);
		for (const peer of gone) {
			this.forget(peer.id);
		}

		return gone;
	}

	/**
	 * A peer heard over IPv4 and IPv6, or on two of our interfaces, sends the same beacon to each: its chat address
	 * must not flap between them. IPv4 wins over IPv6 for good; otherwise the address kept is the one heard first,
	 * until it falls silent (the peer moved).
	 */
	private update(known: LanPeer, peer: LanPeer): void {
		const same = known.host === peer.host;
		const upgrade = isIpv6(known.host) && !isIpv6(peer.host);
		const stale = isIpv6(known.host) === isIpv6(peer.host) && peer.lastSeen - (this.hostSeen.get(known.id) ?? 0) > known.intervalS * 1000 * staleAddressIntervals;
		if (same || upgrade || stale) {
			known.host = peer.host;
			known.interfaceName = peer.interfaceName;
			known.localAddress = peer.localAddress;
			this.hostSeen.set(known.id, peer.lastSeen);
		}

		known.nick = peer.nick;
		known.port = peer.port;
		known.intervalS = peer.intervalS;
		known.lastSeen = Math.max(known.lastSeen, peer.lastSeen);
		if (peer.linkLocal !== undefined) {
			known.linkLocal = peer.linkLocal;
		}
	}

	private forget(id: string): void {
		this.byId.delete(id);
		this.hostSeen.delete(id);
	}
}
