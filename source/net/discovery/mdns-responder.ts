import {createSocket, type RemoteInfo, type Socket} from 'node:dgram';
import {networkInterfaces} from 'node:os';
import type mDNS from 'multicast-dns';
import {TokenBucket} from '../session/token-bucket.js';
import {inSubnet, type LanInterface} from './interfaces.js';
import {Conflicts} from './mdns-conflicts.js';
import {type Answer, anyType, compareSrv, keyOf, legacyAnswer, legacyPort, lower, mdnsPort, type OwnRecord, ownRecords, type Question, serviceType, serviceTypes} from './mdns-records.js';

// One interface's mDNS/DNS-SD responder for `_tui-netchat._udp` (RFC 6762/6763): probing, announcing,
// answering (bounded), defending its name, renaming on a conflict, goodbyes. mdns.ts runs one per interface.

/**
 * A multicast-dns instance on `socket` (a udp4 socket with SO_REUSEADDR, not yet bound), bound to one interface's
 * address; created by the caller (it lazy-loads the package).
 */
export type CreateMdns = (address: string, socket: Socket) => mDNS.MulticastDNS;

type Destination = {readonly address: string; readonly port: number};

/** An error of a system call (bind, addMembership, send: EADDRINUSE, ENODEV, ...); a malformed packet's never is. */
function systemError(error: unknown): boolean {
	const {errno, syscall} = (error ?? {}) as {errno?: unknown; syscall?: unknown};
	return typeof errno === 'number' && typeof syscall === 'string';
}

/** Advertises on one interface: probes for its name, announces, answers, defends and says goodbye. */
export class Responder {
	private mdns: mDNS.MulticastDNS | undefined;
	private state: 'idle' | 'probing' | 'announced' | 'closed' = 'idle';
	/** The instance name for each attempt: 1 first, then 2, 3, ... after conflicts. */
	private name: (attempt: number) => string = () => '';
	private txt: readonly string[] = [];
	private label = '';
	private attempt = 1;
	private timer: NodeJS.Timeout | undefined;
	private readonly lastMulticast = new Map<string, number>();
	private readonly unicastReplies = new TokenBucket(5, 5);
	private readonly reported = new Set<boolean>();
	private readonly lan: LanInterface | undefined;
	private readonly conflicts: Conflicts;
	/** The size of the datagram being handled (set before multicast-dns decodes it). */
	private received = 0;

	constructor(
		private readonly iface: {readonly name: string; readonly address: string},
		private readonly host: string,
		private readonly port: number,
		private readonly problem: (message: string) => void,
	) {
		const entries = Object.values(networkInterfaces()).flat();
		const netmask = entries.find(entry => entry?.family === 'IPv4' && entry.address === iface.address)?.netmask;
		// inSubnet reads the address and netmask only.
		this.lan = netmask === undefined ? undefined : {name: iface.name, address: iface.address, netmask, broadcast: ''};
		this.conflicts = new Conflicts(iface.name, problem);
	}

	async start(create: CreateMdns): Promise<void> {
		const socket = createSocket({type: 'udp4', reuseAddr: true});
		// First of the socket's listeners: multicast-dns decodes the datagram and emits the query in its own.
		socket.on('message', (message: Buffer) => {
			this.received = message.length;
		});
		try {
			this.mdns = create(this.iface.address, socket);
		} catch (error) {
			socket.close();
			this.trouble(error, true);
			return;
		}

		const mdns = this.mdns;
		mdns.on('error', error => this.trouble(error, true));
		mdns.on('warning', error => this.trouble(error, false));
		mdns.on('query', (packet, from) => this.onQuery(packet, from));
		mdns.on('response', (packet, from) => this.onResponse(packet, from));
		await new Promise<void>(resolve => {
			mdns.on('ready', resolve);
			mdns.on('error', () => resolve());
			setTimeout(resolve, 2000).unref();
		});
		if (this.state === 'idle') {
			this.probe();
		}
	}

	/** Sets (or changes) what is advertised; a running responder withdraws the old name and probes anew. */
	publish(name: (attempt: number) => string, txt: readonly string[]): void {
		if (this.state === 'announced') {
			const old = this.records();
			void this.respond(this.goodbye([old.ptr, old.srv, old.txt]));
		}

		[this.name, this.txt, this.attempt, this.label] = [name, txt, 1, name(1)];
		if (this.state === 'probing' || this.state === 'announced') {
			this.probe();
		}
	}

	async close(): Promise<void> {
		if (this.state === 'closed') {
			return;
		}

		const [announced, mdns] = [this.state === 'announced', this.mdns];
		this.state = 'closed';
		clearTimeout(this.timer);
		this.conflicts.close();
		if (announced) {
			const all = this.records();
			await this.respond(this.goodbye([all.ptr, all.srv, all.txt, all.a, all.types]));
		}

		this.mdns = undefined;
		await new Promise<void>(resolve => {
			try {
				mdns ? mdns.destroy(resolve) : resolve();
			} catch {
				resolve(); // A socket whose bind failed may be closed already.
			}
		});
	}

	private records() {
		return ownRecords(this.label, this.host, this.port, this.txt, this.iface.address);
	}

	private goodbye(records: readonly OwnRecord[]): mDNS.ResponseOutgoingPacket {
		return {answers: records.map(record => ({...record, ttl: 0}))};
	}

	private after(ms: number, run: () => void): void {
		clearTimeout(this.timer);
		this.timer = setTimeout(run, ms);
	}

	// RFC 6762 8.1: three probes 250 ms apart (the first after 0-250 ms, or `wait`), then two announcements 1 s
	// apart. Probes ask for multicast answers (no QU bit): a unicast answer reaches only one of the sockets sharing
	// port 5353 on a host.
	private probe(sent = 0, wait = Math.random() * 250): void {
		this.state = 'probing';
		this.after(sent === 0 ? wait : 250, () => {
			if (sent === 3) {
				this.announce(2);
				return;
			}

			const own = this.records();
			void this.query({questions: [{name: own.srv.name, type: anyType}], authorities: [own.srv, own.txt]});
			this.probe(sent + 1);
		});
	}

	private announce(times: number): void {
		this.state = 'announced';
		const all = this.records();
		this.multicast([all.ptr, all.srv, all.txt, all.a, all.types], []);
		if (times > 1) {
			this.after(1000, () => this.announce(times - 1));
		}
	}

	/** RFC 6762 9: another name, probed for anew (never giving up: see Conflicts for how often, and the lines). */
	private conflict(): void {
		const taken = this.label;
		this.attempt += 1;
		this.label = this.name(this.attempt);
		this.probe(0, this.conflicts.add(taken, this.label) || Math.random() * 250);
	}

	/** Another host's SRV record for our instance name, with rdata not ours (a goodbye claims nothing); who gives way. */
	private rival(records: readonly Answer[]): {yields: boolean} | undefined {
		const own = this.records().srv;
		for (const record of records) {
			const order = record.type === 'SRV' && lower(record.name) === lower(own.name) && record.ttl !== 0 ? compareSrv(own.data, record.data) : 0;
			if (order !== 0) {
				return {yields: order < 0};
			}
		}

		return undefined;
	}

	/** RFC 6762 11: only packets from this interface's subnet (the socket also hears the machine's other links). */
	private onLink(from: RemoteInfo): boolean {
		return this.lan === undefined || inSubnet(from.address, this.lan);
	}

	private onQuery(packet: mDNS.QueryPacket, from: RemoteInfo): void {
		const own = this.records();
		const fqdn = lower(own.srv.name);
		if (!this.onLink(from) || this.state === 'idle' || this.state === 'closed') {
			return;
		}

		if (this.state === 'probing') {
			// RFC 6762 8.2, simplified: of two hosts probing for one name at once, the earlier SRV rdata gives way.
			if (this.rival(packet.authorities)?.yields) {
				this.conflict();
			}

			return;
		}

		const table: ReadonlyArray<[string, string, OwnRecord, OwnRecord[]]> = [
			[serviceType, 'PTR', own.ptr, [own.srv, own.txt, own.a]],
			[serviceTypes, 'PTR', own.types, []],
			[fqdn, 'SRV', own.srv, [own.a]],
			[fqdn, 'TXT', own.txt, []],
			[lower(this.host), 'A', own.a, []],
		];
		const answers = new Map<string, OwnRecord>();
		const extra = new Map<string, OwnRecord>();
		const asked = new Map<string, Question>();
		for (const question of packet.questions) {
			const asks: string = question.type;
			for (const [name, type, record, more] of table) {
				if (lower(question.name) === name && (asks === type || asks === 'ANY')) {
					answers.set(keyOf(record), record);
					more.forEach(additional => extra.set(keyOf(additional), additional));
					asked.set(`${asks} ${name}`, question);
				}
			}
		}

		// RFC 6762 7.1: a browser that holds our PTR with at least half its TTL left is not told again.
		const known = (record: Answer) =>
			record.type === 'PTR' && lower(record.name) === serviceType && lower(record.data) === fqdn && (record.ttl ?? 0) > own.ptr.ttl / 2;
		if (packet.answers.some(known)) {
			answers.delete(keyOf(own.ptr));
		}

		[...answers.keys()].forEach(key => extra.delete(key));
		if (from.port !== mdnsPort) {
			// Legacy unicast: no bigger than the query, 5 a second at most, never to a port that is not a resolver's.
			const reply = legacyPort(from.port, this.port) ? legacyAnswer(packet.id, [...asked.values()], [...answers.values()], this.received) : undefined;
			if (reply && this.unicastReplies.take()) {
				void this.respond(reply, {address: from.address, port: from.port});
			}
		} else {
			// RFC 6762 6: a record is multicast at most once a second per interface (every 250 ms to defend it
			// against a probe), so however many questions a flood asks, the answers stay a few small packets.
			const gap = packet.authorities.length > 0 ? 250 : 1000;
			const due = [...answers].filter(([key]) => Date.now() - (this.lastMulticast.get(key) ?? 0) >= gap);
			if (due.length > 0) {
				this.multicast(due.map(([, record]) => record), [...extra.values()]);
			}
		}
	}

	private onResponse(packet: mDNS.ResponsePacket, from: RemoteInfo): void {
		const rival = this.rival([...packet.answers, ...packet.additionals]);
		// Once announced, only the earlier SRV rdata gives way, so two owners of one name never both rename.
		if (rival && (this.state === 'probing' || (this.state === 'announced' && rival.yields)) && this.onLink(from)) {
			this.conflict();
		}
	}

	private multicast(answers: OwnRecord[], additionals: OwnRecord[]): void {
		answers.forEach(record => this.lastMulticast.set(keyOf(record), Date.now()));
		void this.respond({answers, additionals});
	}

	/** A response (multicast-dns sets the type and the authoritative-answer flag), multicast unless `to` is given. */
	private respond(packet: mDNS.ResponseOutgoingPacket, to?: Destination): Promise<void> {
		return this.send((mdns, done) => mdns.respond(packet, to, done));
	}

	private query(packet: mDNS.QueryOutgoingPacket): Promise<void> {
		return this.send((mdns, done) => mdns.query(packet, done));
	}

	private send(transmit: (mdns: mDNS.MulticastDNS, done: (error: Error | null) => void) => void): Promise<void> {
		return new Promise(resolve => {
			try {
				this.mdns ? transmit(this.mdns, error => resolve(error ? this.trouble(error, false) : undefined)) : resolve();
			} catch (error) {
				resolve(this.trouble(error, false));
			}
		});
	}

	/** Fatal: binding failed (EADDRINUSE, EACCES), this interface is not advertised on. At most one line of each kind. */
	private trouble(error: unknown, fatal: boolean): void {
		// A warning that is no system call's error is a malformed packet from the LAN (dns-packet's RangeErrors have
		// codes too, ERR_OUT_OF_RANGE and the like, but no errno): never a line, whatever anyone sends.
		if (this.state === 'closed' || (!fatal && !systemError(error)) || this.reported.has(fatal)) {
			return;
		}

		this.reported.add(fatal);
		const what = error instanceof Error ? error.message : String(error);
		this.problem(`mDNS ${fatal ? 'off' : 'trouble'} on ${this.iface.name} (${this.iface.address}): ${what}`);
		if (fatal) {
			void this.close();
		}
	}
}
