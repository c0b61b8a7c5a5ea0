import {randomBytes} from 'node:crypto';
import {formatEndpoint} from '../../domain/endpoint.js';
import type {ChatHistory} from '../history/history.js';
import type {Conversation, ConversationBook} from '../session/conversations.js';
import type {Notices} from '../session/notices.js';
import {createSealer} from '../wire/seal.js';
import {discoveryPort} from './beacon.js';
import {Discovery, type LanInterface} from './discovery.js';
import {boundInterfaces, lanInterfaces} from './interfaces.js';
import {MdnsAdvertiser} from './mdns.js';
import type {LanPeer} from './lan-peers.js';

/** How discovery runs: the defaults suit a LAN; tests give their own port, interfaces and interval. */
export type DiscoveryConfig = {
	readonly port?: number;
	readonly interfaces?: () => readonly LanInterface[];
	readonly intervalS?: number;
	/** Also advertise over mDNS/DNS-SD (default true). */
	readonly mdns?: boolean;
};

export type LanParts = {
	readonly config: DiscoveryConfig;
	readonly history: ChatHistory;
	readonly notices: Notices;
	readonly conversations: ConversationBook;
	readonly nick: () => string;
	readonly chatPort: () => number;
	readonly secret: string | undefined;
	readonly bind: string | undefined;
};

/** A LAN peer as /peers shows it: its number picks it (/query N, /connect N). */
export type LanPeerView = LanPeer & {readonly number: number; readonly address: string; readonly conversation: Conversation | undefined};

/** Numbers remembered for peers gone from the LAN, so one that comes back keeps its number. */
const maxNumbers = 1024;

function seconds(ms: number): string {
	return `${Math.max(0, Math.round(ms / 1000))}s`;
}

/**
 * Who is on the LAN, for the chat: discovery's peers numbered beside the conversations, a line when one
 * comes or goes (a few at a time: a LAN full of hostile beacons cannot fill the pane), and picking one,
 * which is the only way a discovered peer is ever written to.
 */
export class LanDiscovery {
	private readonly discovery: Discovery;
	private readonly numbers = new Map<string, number>();
	/** The conversation begun when each peer was picked. */
	private readonly picked = new Map<string, Conversation>();
	/** Why discovery does not run, when it cannot. */
	private off: string | undefined;
	private mdns: MdnsAdvertiser | undefined;
	private closed = false;

	private readonly id = randomBytes(8).toString('hex');

	constructor(private readonly parts: LanParts) {
		const {config} = parts;
		this.discovery = new Discovery({
			id: this.id,
			nick: parts.nick,
			chatPort: parts.chatPort,
			sealer: parts.secret === undefined ? undefined : createSealer(parts.secret),
			bind: parts.bind,
			port: config.port,
			interfaces: config.interfaces,
			intervalS: config.intervalS,
			events: {
				found: peer => {
					this.found(peer);
				},
				gone: (peer, why) => {
					this.gone(peer, why);
				},
				// Discovery says each cause once: a port another program holds, an interface gone, a --bind it cannot use.
				problem: message => {
					parts.history.system(`LAN ${message}`, 'error');
				},
			},
		});
	}

	async start(): Promise<void> {
		if (this.parts.chatPort() === (this.parts.config.port ?? discoveryPort)) {
			this.off = `LAN discovery is off: the chat's port ${discoveryPort} is discovery's own; choose another --port to find and be found.`;
			this.parts.history.system(this.off, 'error');
			return;
		}

		await this.discovery.start();
		if (this.parts.config.mdns !== false && !this.closed) {
			// Advertised for avahi-browse, dns-sd and zeroconf; started after the chat is up (it loads its library then).
			const all = (this.parts.config.interfaces ?? lanInterfaces)();
			const bound = boundInterfaces(this.parts.bind, all);
			this.mdns = new MdnsAdvertiser({
				id: this.id,
				nick: this.parts.nick(),
				port: this.parts.chatPort(),
				sealed: this.parts.secret !== undefined,
				interfaces: all.filter(lan => bound === undefined || bound.has(lan.name)),
				// Chat goes on without mDNS: its troubles are said, not errors.
				problem: message => {
					this.parts.history.system(message);
				},
			});
			void this.mdns.start();
		}
	}

	/** /who: ask the LAN again. */
	who(): void {
		if (this.off !== undefined) {
			this.parts.history.system(this.off, 'error');
			return;
		}

		this.discovery.ask();
		this.parts.history.system(`Asking the LAN who is there (${this.discovery.peers.size} known): answers show here and in /peers.`);
	}

	/** /nick: the LAN hears the new one now, not at the next announcement. */
	renamed(): void {
		this.discovery.announce();
		this.mdns?.rename(this.parts.nick());
	}

	/** Peers present now. */
	get count(): number {
		return this.discovery.peers.size;
	}

	list(): LanPeerView[] {
		return this.discovery.peers.list().map(peer => {
			const endpoint = {host: peer.host, port: peer.port};
			const conversation = this.conversationOf(peer.id, endpoint);
			return {...peer, address: formatEndpoint(endpoint), conversation, number: conversation?.number ?? this.numberOf(peer.id)};
		});
	}

	/** /peers: the LAN part, one line a peer. */
	lines(now = Date.now()): string[] {
		const peers = this.list();
		if (peers.length === 0) {
			return [this.off ?? 'Nobody found on the LAN yet (/who asks again).'];
		}

		return [
			`On the LAN (/query N or /connect N to chat):`,
			...peers.map(peer => `  ${peer.number}. ${peer.nick} ${peer.address} on ${peer.interfaceName} (${peer.localAddress}), last seen ${seconds(now - peer.lastSeen)} ago${peer.conversation ? ', chatting' : ''}`),
		];
	}

	/**
	 * /query N, /connect N: the conversation with a LAN peer chosen by number (the one /peers shows, or the one
	 * its found line gave), else by address, else by nick; begun if new.
	 */
	pick(selector: string): Conversation | undefined {
		const wanted = selector.trim();
		const peers = this.list();
		const peer =
			peers.find(each => String(each.number) === wanted || String(this.numbers.get(each.id)) === wanted) ??
			peers.find(each => each.address === wanted) ??
			peers.find(each => each.nick === wanted);
		if (peer === undefined) {
			return undefined;
		}

		const conversation = peer.conversation ?? this.parts.conversations.forEndpoint({host: peer.host, port: peer.port}, this.numberOf(peer.id));
		conversation.nick ??= peer.nick;
		this.remember(peer.id, conversation);
		return conversation;
	}

	/** The conversation with a peer: at its address now, or the one picked for it, which follows it to a new address. */
	private conversationOf(id: string, endpoint: {host: string; port: number}): Conversation | undefined {
		const {conversations} = this.parts;
		const here = conversations.at(endpoint);
		const picked = this.picked.get(id);
		if (here !== undefined || picked === undefined || conversations.get(picked.id) !== picked) {
			return here;
		}

		return conversations.moveTo(picked, endpoint) ? picked : undefined;
	}

	private remember(id: string, conversation: Conversation): void {
		if (this.picked.size >= maxNumbers) {
			const oldest = this.picked.keys().next().value;
			if (oldest !== undefined) {
				this.picked.delete(oldest);
			}
		}

		this.picked.set(id, conversation);
	}

	async close(): Promise<void> {
		this.closed = true;
		await Promise.all([this.discovery.close(), this.mdns?.close()]);
	}

	private numberOf(id: string): number {
		let number = this.numbers.get(id);
		if (number === undefined) {
			number = this.parts.conversations.reserveNumber();
			if (this.numbers.size >= maxNumbers) {
				const oldest = this.numbers.keys().next().value;
				if (oldest !== undefined) {
					this.numbers.delete(oldest);
				}
			}

			this.numbers.set(id, number);
		}

		return number;
	}

	private found(peer: LanPeer): void {
		const address = formatEndpoint({host: peer.host, port: peer.port});
		const number = this.conversationOf(peer.id, {host: peer.host, port: peer.port})?.number ?? this.numberOf(peer.id);
		this.parts.notices.say('lan-found', peer.host, `${peer.nick} is on the LAN at ${address} (${peer.interfaceName}): /query ${number} to chat.`);
		this.parts.history.changed();
	}

	private gone(peer: LanPeer, why: 'left' | 'silent'): void {
		const address = formatEndpoint({host: peer.host, port: peer.port});
		const text = why === 'left' ? `${peer.nick} (${address}) left the LAN.` : `${peer.nick} (${address}) is gone from the LAN: not heard for ${seconds(Date.now() - peer.lastSeen)}.`;
		this.parts.notices.say('lan-gone', peer.host, text);
		this.parts.history.changed();
	}
}
