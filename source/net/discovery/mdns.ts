import {hostname} from 'node:os';
import {sanitize} from '../wire/sanitize.js';
import {type CreateMdns, Responder} from './mdns-responder.js';
import {utf8Prefix} from '../../text/utf8-prefix.js';

// mDNS/DNS-SD advertisement of `_tui-netchat._udp` (RFC 6762/6763), one responder (mdns-responder.ts) per IPv4
// interface. multicast-dns gives the group membership on the responder's socket and the DNS codec (dns-packet);
// probing, announcing, answering and goodbyes are done here, because bonjour-service's Registry and responder
// (built on the same two), measured in namespaces:
// - answer each question of a query with its own multicast response, with no rate limit: one 1,415-byte
//   query of 230 compressed questions drew 166+ responses, 43.8 KB, sent to the whole link;
// - put the A/AAAA records of every interface of the machine into every announcement;
// - on a name conflict stop the service and console.log() an Error (that would tear an Ink screen);
// - do not break the tie when two hosts probe for the same name at the same time.

export type MdnsOptions = {
	/** 16 hex chars, this instance. */
	readonly id: string;
	readonly nick: string;
	/** The chat port (UDP and TCP). */
	readonly port: number;
	/** --secret: the nick appears nowhere in mDNS (name, TXT, host). */
	readonly sealed: boolean;
	/** IPv4 interfaces to advertise on, one responder each. */
	readonly interfaces: readonly {readonly name: string; readonly address: string}[];
	/** One clear line, never a throw. */
	readonly problem?: (message: string) => void;
};


/** A DNS-SD instance name: printable, at most 63 bytes of UTF-8, ` (n)` appended after a conflict. */
export function instanceName(base: string, attempt: number): string {
	const suffix = attempt > 1 ? ` (${attempt})` : '';
	// dns-packet splits names at every dot and cannot escape one inside a label.
	return utf8Prefix(sanitize(base).replace(/[.\\]/g, '-'), 63 - Buffer.byteLength(suffix)) + suffix;
}

/** Advertises this instance as `_tui-netchat._udp` on each given interface. */
export class MdnsAdvertiser {
	private readonly responders: Responder[] = [];
	private readonly problem: (message: string) => void;
	private nick: string;
	private starting: Promise<void> | undefined;
	private closing: Promise<void> | undefined;

	constructor(private readonly options: MdnsOptions) {
		this.nick = options.nick;
		this.problem = options.problem ?? (() => undefined);
	}

	/** Never rejects; resolves once the sockets are bound (the name shows after its probes, about 1 s). */
	start(): Promise<void> {
		this.starting ??= this.run();
		return this.starting;
	}

	rename(nick: string): void {
		if (nick !== this.nick && !this.options.sealed) {
			this.nick = nick;
			this.responders.forEach(responder => this.publish(responder));
		}
	}

	/** Goodbyes (TTL 0) and closed sockets; never rejects, idempotent, at most about 1 s. */
	close(): Promise<void> {
		this.closing ??= new Promise<void>(resolve => {
			const timer = setTimeout(resolve, 900);
			const done = () => resolve(clearTimeout(timer));
			void Promise.all(this.responders.map(async responder => responder.close())).then(done, done);
		});
		return this.closing;
	}

	private async run(): Promise<void> {
		let create: CreateMdns;
		try {
			// Loaded at first use, so a start without mDNS parses none of it.
			const {default: multicastDns} = await import('multicast-dns');
			// In a network namespace (and on a multi-homed host) mDNS only works with the interface given. The socket
			// is the responder's: it sees each datagram's size (a legacy-unicast answer is never bigger than its query).
			create = (address, socket) => multicastDns({interface: address, bind: '0.0.0.0', socket});
		} catch (error) {
			this.problem(`mDNS off: cannot load multicast-dns: ${error instanceof Error ? error.message : String(error)}`);
			return;
		}

		for (const iface of this.closing ? [] : this.options.interfaces) {
			const responder = new Responder(iface, `tnc-${this.options.id}.local`, this.options.port, this.problem);
			this.publish(responder);
			this.responders.push(responder);
		}

		await Promise.all(this.responders.map(async responder => responder.start(create)));
	}

	private publish(responder: Responder): void {
		const {id, port, sealed} = this.options;
		const base = sealed ? `tui-netchat ${id.slice(0, 6)}` : `${this.nick} on ${hostname().split('.')[0] ?? ''}`;
		const txt = ['v=1', `id=${id}`, ...(sealed ? [] : [`nick=${utf8Prefix(sanitize(this.nick), 200)}`]), `tcp=${port}`];
		responder.publish(attempt => instanceName(base, attempt), txt);
	}
}
