import {createSocket, type RemoteInfo, type Socket} from 'node:dgram';
import {networkInterfaces} from 'node:os';
import {TokenBucket} from '../session/token-bucket.js';
import type {Sealer} from '../wire/seal.js';
import {announceAt, announceIntervalS, discoveryPort, formatBeacon, parseBeacon, type Beacon} from './beacon.js';
import {LanPeers, type LanPeer} from './lan-peers.js';

/** Where beacons go out: an interface, its address and the broadcast address of its subnet. */
export type LanInterface = {readonly name: string; readonly address: string; readonly broadcast: string; readonly netmask: string};

export type DiscoveryOptions = {
	readonly id: string;
	readonly nick: () => string;
	readonly chatPort: () => number;
	readonly sealer: Sealer | undefined;
	/** Only the interface with this address (--bind). */
	readonly bind: string | undefined;
	/** The port beacons are heard on; tests give their own. */
	readonly port?: number;
	/** The interfaces to announce on; by default every up, non-loopback IPv4 one. */
	readonly interfaces?: () => readonly LanInterface[];
	readonly events: {readonly found: (peer: LanPeer) => void; readonly gone: (peer: LanPeer, why: 'left' | 'silent') => void};
};

function octets(address: string): number[] {
	return address.split('.').map(Number);
}

/** The up, non-loopback IPv4 interfaces, with their subnet's broadcast address. */
export function lanInterfaces(): LanInterface[] {
	return Object.entries(networkInterfaces()).flatMap(([name, addresses]) =>
		(addresses ?? [])
			.filter(address => address.family === 'IPv4' && !address.internal)
			.map(address => {
				const mask = octets(address.netmask);
				const broadcast = octets(address.address).map((part, index) => (part | (~(mask[index] ?? 0) & 255)) & 255).join('.');
				return {name, address: address.address, broadcast, netmask: address.netmask};
			}),
	);
}

function inSubnet(address: string, lan: LanInterface): boolean {
	const [a, mask, net] = [octets(address), octets(lan.netmask), octets(lan.address)];
	return a.length === 4 && a.every((part, index) => (part & (mask[index] ?? 0)) === ((net[index] ?? 0) & (mask[index] ?? 0)));
}

/**
 * LAN discovery: a socket on the discovery port hears broadcasts; a second one, on a port of its own, sends
 * every beacon, so answers come back to this instance even when several run on one host. Announces on
 * every interface with backoff, asks "who is there" once at start, answers questions by unicast (a few a
 * second at most), and ages out peers that fall silent.
 */
export class Discovery {
	readonly peers = new LanPeers();
	private readonly listener: Socket;
	private readonly sender: Socket;
	private readonly answers = new TokenBucket(10, 5);
	private readonly timers = new Set<NodeJS.Timeout>();
	private announced = 0;
	private closed = false;

	constructor(private readonly options: DiscoveryOptions) {
		this.listener = createSocket({type: 'udp4', reuseAddr: true});
		this.sender = createSocket({type: 'udp4'});
		for (const socket of [this.listener, this.sender]) {
			socket.on('message', (data, remote) => {
				this.received(data, remote);
			});
			socket.on('error', () => undefined);
		}
	}

	async start(): Promise<void> {
		await Promise.all([
			new Promise<void>(resolve => {
				this.listener.bind(this.options.port ?? discoveryPort, resolve);
			}),
			new Promise<void>(resolve => {
				this.sender.bind(0, resolve);
			}),
		]);
		this.sender.setBroadcast(true);
		this.broadcast({kind: 'who', id: this.options.id});
		this.scheduleAnnounce();
		const aging = setInterval(() => {
			for (const peer of this.peers.expire(Date.now())) {
				this.options.events.gone(peer, 'silent');
			}
		}, 5000);
		aging.unref();
		this.timers.add(aging as unknown as NodeJS.Timeout);
	}

	/** /who: ask again now. */
	ask(): void {
		this.broadcast({kind: 'who', id: this.options.id});
	}

	close(): void {
		if (this.closed) {
			return;
		}

		this.broadcast({kind: 'bye', id: this.options.id});
		this.closed = true;
		for (const timer of this.timers) {
			clearTimeout(timer);
			clearInterval(timer);
		}

		this.listener.close();
		setTimeout(() => this.sender.close(), 50).unref();
	}

	private interfaces(): readonly LanInterface[] {
		const all = (this.options.interfaces ?? lanInterfaces)();
		return this.options.bind === undefined || this.options.bind === '0.0.0.0' ? all : all.filter(lan => lan.address === this.options.bind);
	}

	private announcement(answer: boolean): Beacon {
		return {kind: 'announce', id: this.options.id, nick: this.options.nick(), port: this.options.chatPort(), intervalS: announceIntervalS, answer};
	}

	private scheduleAnnounce(): void {
		const wait = announceAt(this.announced) - (this.announced === 0 ? 0 : announceAt(this.announced - 1));
		const timer = setTimeout(() => {
			this.timers.delete(timer);
			this.broadcast(this.announcement(false));
			this.announced++;
			this.scheduleAnnounce();
		}, wait);
		timer.unref();
		this.timers.add(timer);
	}

	private broadcast(beacon: Beacon): void {
		if (this.closed) {
			return;
		}

		const data = formatBeacon(beacon, this.options.sealer);
		for (const lan of this.interfaces()) {
			this.sender.send(data, this.options.port ?? discoveryPort, lan.broadcast, () => undefined);
		}
	}

	private received(data: Buffer, remote: RemoteInfo): void {
		const beacon = parseBeacon(data, this.options.sealer);
		if (beacon === undefined || beacon.id === this.options.id || this.closed) {
			return;
		}

		if (beacon.kind === 'bye') {
			const peer = this.peers.left(beacon.id);
			if (peer) {
				this.options.events.gone(peer, 'left');
			}

			return;
		}

		// A question, or a new peer's first announcement: answered to the port it came from, a few a second.
		if ((beacon.kind === 'who' || (beacon.kind === 'announce' && !beacon.answer && !this.peers.list().some(peer => peer.id === beacon.id))) && this.answers.take()) {
			this.sender.send(formatBeacon(this.announcement(true), this.options.sealer), remote.port, remote.address, () => undefined);
		}

		if (beacon.kind === 'announce') {
			const lan = this.interfaces().find(candidate => inSubnet(remote.address, candidate));
			const peer: LanPeer = {id: beacon.id, nick: beacon.nick, host: remote.address, port: beacon.port, interfaceName: lan?.name ?? '?', localAddress: lan?.address ?? '?', intervalS: beacon.intervalS, lastSeen: Date.now()};
			if (this.peers.heard(peer)) {
				this.options.events.found(peer);
			}
		}
	}
}
