import type {RemoteInfo} from 'node:dgram';
import type {Sealer} from '../wire/seal.js';
import {AnswerLimit, answerablePort} from './answer-limit.js';
import {announceAt, announceIntervalS, discoveryPort, earlyAnnouncements, formatBeacon, parseBeacon, type Beacon} from './beacon.js';
import {arrivalInterface, boundInterfaces, lanInterfaces, lanInterfaces6, type LanInterface, type LanInterface6} from './interfaces.js';
import {LanPeers, type LanPeer} from './lan-peers.js';
import {DiscoverySockets, type Family, type SocketEvents} from './sockets.js';

export {lanInterfaces, lanInterfaces6, type LanInterface, type LanInterface6} from './interfaces.js';

export type DiscoveryOptions = {
	readonly id: string;
	readonly nick: () => string;
	readonly chatPort: () => number;
	readonly sealer: Sealer | undefined;
	/** Only the interface holding this address, IPv4 or IPv6 (--bind); '0.0.0.0' and '::' mean all. */
	readonly bind: string | undefined;
	/** The port beacons are heard on; tests give their own. */
	readonly port?: number;
	/** The interfaces to announce on by IPv4 broadcast; by default every up, non-loopback IPv4 one. */
	readonly interfaces?: () => readonly LanInterface[];
	/**
	 * The interfaces to announce on by IPv6 multicast; by default every one with a link-local address, but none
	 * when `interfaces` is given: a test that keeps IPv4 on loopback must not multicast on the real LAN.
	 */
	readonly interfaces6?: () => readonly LanInterface6[];
	/** Seconds between announcements once the early ones are out (default 30); peers age out after 3 missed. */
	readonly intervalS?: number;
	/** A browser (--discover): only asks "who is there", never announces, answers or says goodbye. */
	readonly listenOnly?: boolean;
	readonly events: {
		readonly found: (peer: LanPeer) => void;
		readonly gone: (peer: LanPeer, why: 'left' | 'silent') => void;
		/** One line about something that does not work (a port held, a network unreachable), once per cause. */
		readonly problem?: (message: string) => void;
	};
};

/** The interfaces as last read (at most once a second: a flood of datagrams must not mean a flood of getifaddrs). */
type View = {readonly all4: readonly LanInterface[]; readonly all6: readonly LanInterface6[]; readonly bound: ReadonlySet<string> | undefined; readonly at: number};

/** A newcomer heard first over IPv6 on an interface with IPv4 too waits this long for its IPv4 copy, to be found at that address. */
const ipv4GraceMs = 150;

/**
 * LAN discovery: sockets on the discovery port hear IPv4 broadcasts and IPv6 link-local multicasts; a second
 * socket per family, on a port of its own, sends every beacon, so answers come back to this instance even when
 * several run on one host. Announces on every interface on a backoff schedule, asks "who is there" at start,
 * answers questions and newcomers by unicast (rate-limited), and ages out peers that fall silent.
 */
export class Discovery {
	readonly peers = new LanPeers();
	private readonly sockets: DiscoverySockets;
	private readonly answers = new AnswerLimit();
	private readonly problems = new Set<string>();
	private readonly timers = new Set<NodeJS.Timeout>();
	private readonly waitingForIpv4 = new Set<string>();
	private readonly intervalS: number;
	private cached: View | undefined;
	private closed = false;

	constructor(private readonly options: DiscoveryOptions) {
		this.intervalS = Math.min(3600, Math.max(1, Math.round(options.intervalS ?? announceIntervalS)));
		this.sockets = new DiscoverySockets(this.port, {
			message: (data, remote, family) => {
				this.received(data, remote, family);
			},
			failed: what => {
				this.failed(what);
			},
		});
	}

	private get port(): number {
		return this.options.port ?? discoveryPort;
	}

	async start(): Promise<void> {
		await this.sockets.open();
		if (this.closed) {
			return;
		}

		if (!this.options.listenOnly) {
			void this.broadcast({kind: 'who', id: this.options.id});
		}

		this.beacon(0);
		this.age();
	}

	/** /who: ask again now. */
	ask(): void {
		void this.broadcast({kind: 'who', id: this.options.id});
	}

	/** A new nick: said at once, as an answer (nobody answers it back). */
	announce(): void {
		if (!this.options.listenOnly) {
			void this.broadcast(this.announcement(true));
		}
	}

	/** Says goodbye and closes; resolves once the goodbye is out (a program about to exit waits for it). */
	async close(): Promise<void> {
		if (this.closed) {
			return;
		}

		const said = this.options.listenOnly ? Promise.resolve() : this.broadcast({kind: 'bye', id: this.options.id});
		this.closed = true;
		for (const timer of this.timers) {
			clearTimeout(timer);
		}

		this.sockets.close(said);
		await said;
	}

	private failed({family, role, code, to}: Parameters<SocketEvents['failed']>[0]): void {
		// A machine without IPv6 refuses udp6 sockets: nothing to say when there is no IPv6 interface to use.
		if (family === 6 && this.view().all6.length === 0) {
			return;
		}

		if (to !== undefined) {
			// One cause per error, not per address: a flood of sources must not make a flood of lines (the first is named).
			this.problem(`send:${family}:${code}`, `discovery: cannot send to ${to} (${code})`);
		} else if (code === 'EADDRINUSE' && role === 'listener') {
			this.problem(`held:${family}`, `discovery: UDP port ${this.port} (IPv${family}) is held by another program (EADDRINUSE): peers are found only by asking`);
		} else {
			this.problem(`${role}:${family}:${code}`, `discovery: IPv${family} ${role} failed: ${code}`);
		}
	}

	private problem(cause: string, message: string): void {
		if (this.problems.has(cause) || this.problems.size >= 64) {
			return;
		}

		this.problems.add(cause);
		try {
			this.options.events.problem?.(message);
		} catch {
			// A reporter's own failure must not break discovery.
		}
	}

	private later(ms: number, run: () => void): void {
		const timer = setTimeout(() => {
			this.timers.delete(timer);
			run();
		}, ms);
		timer.unref();
		this.timers.add(timer);
	}

	/** Announcement (or, listening only, question) number n, then the next one on the schedule. */
	private beacon(n: number): void {
		// The early ones ask to be answered ('new'), the periodic ones after them do not: see earlyAnnouncements.
		void this.broadcast(this.options.listenOnly ? {kind: 'who', id: this.options.id} : this.announcement(n >= earlyAnnouncements));
		this.later(announceAt(n + 1, this.intervalS) - announceAt(n, this.intervalS), () => {
			this.beacon(n + 1);
		});
	}

	/** Often enough for the shortest interval heard (a test's 1 s), at least every 5 s. */
	private age(): void {
		for (const peer of this.peers.expire(Date.now())) {
			this.options.events.gone(peer, 'silent');
		}

		const shortest = Math.min(this.intervalS, ...this.peers.list().map(peer => peer.intervalS));
		this.later(Math.max(250, Math.min(5000, shortest * 500)), () => {
			this.age();
		});
	}

	private view(): View {
		const now = Date.now();
		if (this.cached && now - this.cached.at < 1000) {
			return this.cached;
		}

		const all4 = (this.options.interfaces ?? lanInterfaces)();
		const all6 = (this.options.interfaces6 ?? (this.options.interfaces ? () => [] : lanInterfaces6))();
		const bound = boundInterfaces(this.options.bind, [...all4, ...all6]);
		if (bound?.size === 0) {
			this.problem('bind', `discovery: no interface has the address ${this.options.bind ?? ''} (--bind): nothing is announced`);
		}

		this.cached = {all4, all6, bound, at: now};
		return this.cached;
	}

	private announcement(answer: boolean): Beacon {
		return {kind: 'announce', id: this.options.id, nick: this.options.nick(), port: this.options.chatPort(), intervalS: this.intervalS, answer};
	}

	/** To every allowed interface, by IPv4 broadcast and IPv6 multicast; resolves when every send is done. */
	private async broadcast(beacon: Beacon): Promise<void> {
		if (this.closed) {
			return;
		}

		const data = formatBeacon(beacon, this.options.sealer);
		const {all4, all6, bound} = this.view();
		const allowed = (lan: {readonly name: string}): boolean => !bound || bound.has(lan.name);
		const sends = [...all4.filter(allowed).map(async lan => this.sockets.send(4, data, this.port, lan.broadcast)), ...all6.filter(allowed).map(async lan => this.sockets.multicast(data, lan.name))];
		await Promise.all(sends);
	}

	private received(data: Buffer, remote: RemoteInfo, family: Family): void {
		if (this.closed) {
			return;
		}

		const beacon = parseBeacon(data, this.options.sealer);
		const {all4, all6, bound} = this.view();
		// Only neighbours: a source in one of our IPv4 subnets or IPv6 link-local on one of our interfaces.
		const where = arrivalInterface(remote.address, all4, all6);
		if (beacon === undefined || beacon.id === this.options.id || where === undefined || (bound && !bound.has(where.interfaceName))) {
			return;
		}

		if (beacon.kind === 'bye') {
			this.waitingForIpv4.delete(beacon.id);
			const peer = this.peers.left(beacon.id);
			if (peer) {
				this.options.events.gone(peer, 'left');
			}

			return;
		}

		// Every question is answered, and every announcement asking for one ('new': a newcomer's early ones), even
		// from a peer we know (a lost answer is made up by the next one); the periodic ones ('answer') are not. An
		// answer goes by unicast to the address and port the beacon came from, so it leaves by the interface that
		// peer is on, unless that port is one no sender of ours uses (answerablePort: a spoofed one).
		const asks = beacon.kind === 'who' || !beacon.answer;
		const announcedChatPort = beacon.kind === 'announce' ? beacon.port : undefined;
		if (asks && !this.options.listenOnly && answerablePort(remote.port, {discoveryPort: this.port, chatPort: this.options.chatPort(), announcedChatPort}) && this.answers.take(remote.address)) {
			void this.sockets.send(family, formatBeacon(this.announcement(true), this.options.sealer), remote.port, remote.address);
		}

		if (beacon.kind === 'announce') {
			const peer: LanPeer = {id: beacon.id, nick: beacon.nick, host: remote.address, port: beacon.port, ...where, intervalS: beacon.intervalS, lastSeen: Date.now(), ...(family === 6 ? {linkLocal: remote.address} : {})};
			this.heard(peer, family === 6 && all4.some(lan => lan.name === where.interfaceName));
		}
	}

	/** Both copies of a beacon come within a millisecond or so: the found line should name the IPv4 address, not flap to it. */
	private heard(peer: LanPeer, waitForIpv4: boolean): void {
		if (waitForIpv4 && !this.peers.has(peer.id) && this.waitingForIpv4.size < 64) {
			if (!this.waitingForIpv4.has(peer.id)) {
				this.waitingForIpv4.add(peer.id);
				this.later(ipv4GraceMs, () => {
					if (this.waitingForIpv4.delete(peer.id)) {
						this.heard(peer, false);
					}
				});
			}

			return;
		}

		if (this.peers.heard(peer)) {
			this.options.events.found(peer);
		}
	}
}
