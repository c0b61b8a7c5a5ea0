import {formatEndpoint, type Endpoint, type Protocol} from '../../domain/endpoint.js';
import type {Encoding} from '../../domain/encoding.js';

export type Conversation = {
	readonly id: string;
	/** For /peers and /query N: stable while the program runs. */
	readonly number: number;
	kind: 'peer' | 'room';
	/** Where it listens (a room: its relay): what UDP sends to and a new TCP connection dials. */
	endpoint: Endpoint | undefined;
	/** The endpoint as people write it, or the passing address of a client that connected to us. */
	address: string;
	nick: string | undefined;
	/** It greeted us: another tui-netchat, which reads tags and acknowledges. */
	tnc: boolean;
	/** Set with Ctrl+T in its own buffer; undefined follows the default protocol. A room is always TCP. */
	protocol: Protocol | undefined;
	/** Transports it was heard over, most recent first. */
	transports: Protocol[];
	lastHeard: number;
	/** A room's speakers: ncat's "user5" (or the relay's address) -> the nick it greeted with, if it did. */
	readonly members: Map<string, string | undefined>;
	/** The token the instance gave us for this conversation (session/identity.ts): what a new connection must show. */
	peerToken: string | undefined;
	/** Its other end said "@direct" once: a proxy in front of one tui-netchat, so later connections are too. */
	direct: boolean;	/** Set by /encoding in its buffer; undefined follows the default (--encoding). */
	encoding?: Encoding | undefined;
	/** The hint that its text reads as GBK was given (once per conversation). */
	encodingHinted?: boolean;
};

/** Conversations remembered at once; beyond that the least recently heard one without a connection goes. */
const maxConversations = 1024;
const trimBatch = 64;

/**
 * Who is who. One tui-netchat instance is one conversation whatever transport it speaks and whatever port
 * its connection comes from; a plain peer is its address; a room is the relay we dialled.
 */
export class ConversationBook {
	private readonly byId = new Map<string, Conversation>();
	/** "127.0.0.1:7852" (and names it was reached by, like "localhost:7852") -> its conversation. */
	private readonly byEndpoint = new Map<string, Conversation>();
	private next = 1;
	private lastHeard: Conversation | undefined;

	get(id: string | undefined): Conversation | undefined {
		return id === undefined ? undefined : this.byId.get(id);
	}

	list(): Conversation[] {
		return [...this.byId.values()];
	}

	/** Every endpoint each conversation (by id) was reached at ("127.0.0.1:7852" beside "localhost:7852"), in one pass. */
	endpointsByConversation(): Map<string, string[]> {
		const labels = new Map<string, string[]>();
		for (const [label, conversation] of this.byEndpoint) {
			const known = labels.get(conversation.id);
			if (known === undefined) {
				labels.set(conversation.id, [label]);
			} else {
				known.push(label);
			}
		}

		return labels;
	}

	at(endpoint: Endpoint): Conversation | undefined {
		return this.byEndpoint.get(formatEndpoint(endpoint));
	}

	/** The conversation with whoever listens at endpoint, begun if new (with a number reserved for it, if given). */
	forEndpoint(endpoint: Endpoint, number?: number): Conversation {
		return this.at(endpoint) ?? this.begin(endpoint, formatEndpoint(endpoint), number);
	}

	/** A client that connected from a passing port: a conversation of its own until it says where it listens. */
	forClient(address: string): Conversation {
		return this.begin(undefined, address);
	}

	/**
	 * Another name for the same place, e.g. the address "localhost:7852" resolved to. When another
	 * conversation was already there (the instance wrote first), it is absorbed into this one and returned,
	 * for the caller to move what belonged to it.
	 */
	alias(conversation: Conversation, endpoint: Endpoint): Conversation | undefined {
		const label = formatEndpoint(endpoint);
		const other = this.byEndpoint.get(label);
		if (other === conversation) {
			return undefined;
		}

		if (other !== undefined) {
			this.absorb(conversation, other);
		}

		this.byEndpoint.set(label, conversation);
		return other;
	}

	/**
	 * The conversation learnt where it listens. When another conversation is already there (the same
	 * instance, heard over UDP or an earlier connection), that one is kept and returned: the caller moves
	 * what belonged to the newer one, which is gone.
	 */
	settle(conversation: Conversation, endpoint: Endpoint): Conversation {
		const existing = this.at(endpoint);
		if (existing !== undefined && existing !== conversation) {
			this.absorb(existing, conversation);
			return existing;
		}

		if (conversation.endpoint === undefined) {
			conversation.endpoint = endpoint;
			conversation.address = formatEndpoint(endpoint);
			this.byEndpoint.set(conversation.address, conversation);
		}

		return conversation;
	}

	/** Two conversations are one: `from` goes, what is known of it is kept in `into`, its names point there. */
	absorb(into: Conversation, from: Conversation): void {
		into.tnc ||= from.tnc;
		into.nick = from.nick ?? into.nick;
		into.lastHeard = Math.max(into.lastHeard, from.lastHeard);
		into.transports = mergeTransports(from.transports, into.transports);
		into.peerToken ??= from.peerToken;
		into.direct ||= from.direct;
		into.protocol ??= from.protocol;
		into.encoding ??= from.encoding;
		into.encodingHinted ||= from.encodingHinted;
		this.byId.delete(from.id);
		for (const [label, known] of this.byEndpoint) {
			if (known === from) {
				this.byEndpoint.set(label, into);
			}
		}
	}

	heard(conversation: Conversation, transport: Protocol, now = Date.now()): void {
		conversation.lastHeard = now;
		if (this.lastHeard !== conversation) {
			// Most recently heard last: trim() looks at the front. (A flood from one peer moves nothing.)
			this.lastHeard = conversation;
			this.byId.delete(conversation.id);
			this.byId.set(conversation.id, conversation);
		}

		if (conversation.transports[0] !== transport) {
			conversation.transports = mergeTransports([transport], conversation.transports);
		}
	}

	/**
	 * A peer found on the LAN at a new address (it moved, or its IPv4 address became known): its conversation
	 * follows it, unless another conversation is there already (false then).
	 */
	moveTo(conversation: Conversation, endpoint: Endpoint): boolean {
		const label = formatEndpoint(endpoint);
		const there = this.byEndpoint.get(label);
		if (there !== undefined && there !== conversation) {
			return false;
		}

		for (const [known, each] of this.byEndpoint) {
			if (each === conversation) {
				this.byEndpoint.delete(known);
			}
		}

		conversation.endpoint = endpoint;
		conversation.address = label;
		this.byEndpoint.set(label, conversation);
		return true;
	}

	/** By /peers number, nick or address; the most recently heard wins a tie. */
	find(selector: string): Conversation | undefined {
		const wanted = selector.trim();
		let found: Conversation | undefined;
		for (const conversation of this.byId.values()) {
			const matches = String(conversation.number) === wanted || conversation.nick === wanted || conversation.address === wanted || this.byEndpoint.get(wanted) === conversation;
			if (matches && (found === undefined || conversation.lastHeard > found.lastHeard)) {
				found = conversation;
			}
		}

		return found;
	}

	remove(conversation: Conversation): void {
		this.byId.delete(conversation.id);
		for (const [label, known] of this.byEndpoint) {
			if (known === conversation) {
				this.byEndpoint.delete(label);
			}
		}
	}

	/**
	 * Over the bound, forgets the least recently heard conversations that keep() does not hold on to, a batch
	 * at a time: a flood of new sources costs a scan per batch, not per source.
	 */
	trim(keep: (conversation: Conversation) => boolean): Conversation[] {
		if (this.byId.size <= maxConversations) {
			return [];
		}

		const gone: Conversation[] = [];
		for (const conversation of this.byId.values()) {
			if (this.byId.size - gone.length <= maxConversations - trimBatch) {
				break;
			}

			if (!keep(conversation)) {
				gone.push(conversation);
			}
		}

		for (const conversation of gone) {
			this.remove(conversation);
		}

		return gone;
	}

	/** A number for a conversation kept elsewhere (an IRC channel, a peer on the LAN): numbers stay unique across kinds. */
	reserveNumber(): number {
		return this.next++;
	}

	private begin(endpoint: Endpoint | undefined, address: string, number = this.next++): Conversation {
		const conversation: Conversation = {
			id: `c${number}`,
			number,
			kind: 'peer',
			endpoint,
			address,
			nick: undefined,
			tnc: false,
			protocol: undefined,
			transports: [],
			lastHeard: Date.now(),
			members: new Map(),
			peerToken: undefined,
			direct: false,
		};
		this.byId.set(conversation.id, conversation);
		if (endpoint) {
			this.byEndpoint.set(address, conversation);
		}

		return conversation;
	}
}

function mergeTransports(first: readonly Protocol[], then: readonly Protocol[]): Protocol[] {
	return [...new Set([...first, ...then])];
}

export function conversationName(conversation: Conversation): string {
	return conversation.kind === 'room' ? conversation.address : (conversation.nick ?? conversation.address);
}
