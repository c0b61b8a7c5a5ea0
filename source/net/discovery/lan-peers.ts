/** A peer seen on the LAN: who, where it chats, and where we saw it. */
export type LanPeer = {
	readonly id: string;
	nick: string;
	/** Its address and chat port. */
	host: string;
	port: number;
	/** Our interface and local address it was seen on. */
	interfaceName: string;
	localAddress: string;
	intervalS: number;
	lastSeen: number;
};

/** Peers remembered at once; a LAN with more is not followed further (the oldest seen goes). */
const maxPeers = 256;
/** A peer silent for this many of its announced intervals is gone. */
const missedIntervals = 3;

/** The peers heard on the LAN, aged out when they fall silent. Pure: the caller says what was heard and when. */
export class LanPeers {
	private readonly byId = new Map<string, LanPeer>();

	get size(): number {
		return this.byId.size;
	}

	list(): LanPeer[] {
		return [...this.byId.values()].sort((a, b) => a.nick.localeCompare(b.nick) || a.id.localeCompare(b.id));
	}

	/** Remembers what a peer announced; true when it is new (the caller says so once). */
	heard(peer: LanPeer): boolean {
		const known = this.byId.get(peer.id);
		if (known) {
			Object.assign(known, peer);
			this.byId.delete(peer.id);
			this.byId.set(peer.id, known);
			return false;
		}

		if (this.byId.size >= maxPeers) {
			const oldest = this.byId.keys().next().value;
			if (oldest !== undefined) {
				this.byId.delete(oldest);
			}
		}

		this.byId.set(peer.id, {...peer});
		return true;
	}

	/** It said goodbye. */
	left(id: string): LanPeer | undefined {
		const peer = this.byId.get(id);
		this.byId.delete(id);
		return peer;
	}

	/** The peers silent past their interval, removed. */
	expire(now: number): LanPeer[] {
		const gone = [...this.byId.values()].filter(peer => now - peer.lastSeen > peer.intervalS * 1000 * missedIntervals);
		for (const peer of gone) {
			this.byId.delete(peer.id);
		}

		return gone;
	}
}
