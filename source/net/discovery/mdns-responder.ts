import type {RemoteInfo} from 'node:dgram';
import {networkInterfaces} from 'node:os';
import type mDNS from 'multicast-dns';
import {TokenBucket} from '../session/token-bucket.js';

// One interface's mDNS/DNS-SD responder for `_tui-netchat._udp` (RFC 6762/6763): probing, announcing,
// answering (bounded), defending its name, renaming on a conflict, goodbyes. mdns.ts runs one per interface.

/** A multicast-dns instance, bound to one interface's address; created by the caller (it lazy-loads the package). */
export type CreateMdns = (address: string) => mDNS.MulticastDNS;

type Answer = mDNS.FullPacket['answers'][number];
type Question = mDNS.FullPacket['questions'][number];
/** What this responder sends: any record but EDNS's OPT pseudo-record (which has no TTL). */
type OwnRecord = Exclude<Answer, {type: 'OPT'}>;
type Destination = {readonly address: string; readonly port: number};

// @types/dns-packet is narrower than dns-packet: a question's type is one of its RecordType names, which lack
// 'ANY' (255), though dns-packet encodes it and decodes it (and an unknown type as 'UNKNOWN_<n>'). So incoming
// question types are compared as strings, and the probe's 'ANY' goes through string.
const anyType = 'ANY' as string as Question['type'];

const mdnsPort = 5353;
const serviceType = '_tui-netchat._udp.local';
const serviceTypes = '_services._dns-sd._udp.local';
const maxRenames = 20;
const lower = (name: string) => name.toLowerCase();
const keyOf = (record: {readonly type: string; readonly name: string}) => `${record.type} ${lower(record.name)}`;
const srvTarget = (record: Answer) => (record.type === 'SRV' ? lower(record.data.target) : '');

function inSubnet(address: string, network: string, netmask: string): boolean {
	const [a, n, m] = [address, network, netmask].map(text => text.split('.').map(Number));
	return a?.length === 4 && a.every((part, index) => (part & (m?.[index] ?? 0)) === ((n?.[index] ?? 0) & (m?.[index] ?? 0)));
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
	private readonly netmask: string | undefined;

	constructor(
		private readonly iface: {readonly name: string; readonly address: string},
		private readonly host: string,
		private readonly port: number,
		private readonly problem: (message: string) => void,
	) {
		const entries = Object.values(networkInterfaces()).flat();
		this.netmask = entries.find(entry => entry?.family === 'IPv4' && entry.address === iface.address)?.netmask;
	}

	async start(create: CreateMdns): Promise<void> {
		try {
			this.mdns = create(this.iface.address);
		} catch (error) {
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
		const fqdn = `${this.label}.${serviceType}`;
		return {
			ptr: {name: serviceType, type: 'PTR', ttl: 4500, data: fqdn},
			types: {name: serviceTypes, type: 'PTR', ttl: 4500, data: serviceType},
			srv: {name: fqdn, type: 'SRV', ttl: 120, flush: true, data: {port: this.port, target: this.host, priority: 0, weight: 0}},
			txt: {name: fqdn, type: 'TXT', ttl: 4500, flush: true, data: [...this.txt]},
			a: {name: this.host, type: 'A', ttl: 120, flush: true, data: this.iface.address},
		} satisfies Record<string, OwnRecord>;
	}

	private goodbye(records: readonly OwnRecord[]): mDNS.ResponseOutgoingPacket {
		return {answers: records.map(record => ({...record, ttl: 0}))};
	}

	private after(ms: number, run: () => void): void {
		clearTimeout(this.timer);
		this.timer = setTimeout(run, ms);
	}

	// RFC 6762 8.1: three probes 250 ms apart, then two announcements 1 s apart. Probes ask for multicast
	// answers (no QU bit): a unicast answer reaches only one of the sockets sharing port 5353 on a host.
	private probe(sent = 0): void {
		this.state = 'probing';
		this.after(sent === 0 ? Math.random() * 250 : 250, () => {
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

	private conflict(): void {
		const taken = this.label;
		this.attempt += 1;
		if (this.attempt > maxRenames) {
			this.problem(`mDNS: gave up on ${this.iface.name} after ${maxRenames} name conflicts (last: "${taken}")`);
			void this.close();
			return;
		}

		this.label = this.name(this.attempt);
		this.problem(`mDNS: the name "${taken}" is taken on ${this.iface.name}; advertising as "${this.label}"`);
		this.probe();
	}

	/** RFC 6762 11: only packets from this interface's subnet (the socket also hears the machine's other links). */
	private onLink(from: RemoteInfo): boolean {
		return this.netmask === undefined || inSubnet(from.address, this.iface.address, this.netmask);
	}

	private onQuery(packet: mDNS.QueryPacket, from: RemoteInfo): void {
		const own = this.records();
		const fqdn = lower(own.srv.name);
		if (!this.onLink(from) || this.state === 'idle' || this.state === 'closed') {
			return;
		}

		if (this.state === 'probing') {
			// RFC 6762 8.2, simplified: of two hosts probing for one name at once, the earlier SRV target gives way.
			const rival = packet.authorities.find(record => record.type === 'SRV' && lower(record.name) === fqdn);
			if (rival && srvTarget(rival) !== lower(this.host) && lower(this.host) < srvTarget(rival)) {
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
		if (from.port !== mdnsPort && answers.size > 0 && this.unicastReplies.take()) {
			// RFC 6762 6.7, legacy unicast (dig and the like): the query's id and questions, short TTLs, no flush bit.
			const short = [...answers.values()].map(record => ({...record, ttl: Math.min(record.ttl ?? 0, 10), flush: false}));
			void this.respond({id: packet.id, questions: [...asked.values()], answers: short}, {address: from.address, port: from.port});
		} else if (from.port === mdnsPort) {
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
		const fqdn = lower(`${this.label}.${serviceType}`);
		const rival = [...packet.answers, ...packet.additionals].find(
			record => record.type === 'SRV' && lower(record.name) === fqdn && record.ttl !== 0 && srvTarget(record) !== lower(this.host),
		);
		// Once announced, only the earlier SRV target gives way, so two owners of one name never both rename.
		const yields = this.state === 'probing' || (this.state === 'announced' && rival !== undefined && lower(this.host) < srvTarget(rival));
		if (rival && yields && this.onLink(from)) {
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
		// A warning without an errno code is a malformed packet from the LAN: not worth a line.
		const errno = typeof (error as {code?: unknown} | undefined)?.code === 'string';
		if (this.state === 'closed' || (!fatal && !errno) || this.reported.has(fatal)) {
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
