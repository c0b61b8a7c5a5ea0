import {octalBytes} from '../wire/ncat.js';

/**
 * Reads the lines of one connection to an `ncat --chat` relay (nmap's ncat_listen.c). The relay puts
 * "<userN> " (N: the sender's fd) before every chunk it reads, not before every line, and writes each byte
 * that is not printable ASCII (tab, CR and LF excepted) as a \ooo octal escape. So a chunk of several lines
 * has the prefix on its first line only; a line written in two chunks arrives as "<user5> hel<user5> lo";
 * chunks of two senders, or a chunk and an announcement, can meet in one line: "<user5> hel<user6> hi" then
 * "<user5> lo". The relay's own lines are "<announce> ..."; ncat up to 7.98 writes addresses without a port
 * ("127.0.0.1", "::1"), 7.991 and later with one ("127.0.0.1:54321", "[::1]:54321").
 */

export type RelayEvent =
	| {readonly kind: 'message'; readonly speaker: string | undefined; readonly text: string}
	| {readonly kind: 'joined'; readonly speaker: string; readonly address: string; readonly self: boolean}
	| {readonly kind: 'present'; readonly members: ReadonlyArray<{readonly speaker: string; readonly address: string}>}
	/** `unfinished`: what the speaker sent after its last newline, before it left (the tutorial's client ends so). */
	| {readonly kind: 'left'; readonly speaker: string; readonly unfinished?: string}
	| {readonly kind: 'notice'; readonly text: string};

const prefix = /<(user\d+|announce)> /g;
const joined = /^(.+) is connected as <(user\d+)>\.$/s;
const present = /^already connected: (.*)\.$/s;
const member = /^(.+) as <(user\d+)>$/s;
const left = /^<(user\d+)> is disconnected\.$/;
/** Bytes kept per speaker for a line that has not ended yet, and speakers kept so; more is dropped. */
const maxPending = 65_536;
const maxSpeakers = 256;

/** True for a line as an ncat --chat relay writes it: "<announce> ..." or "<userN> ...". */
export function isNcatChatLine(line: string): boolean {
	return /^<(?:announce|user\d+)> /.test(line);
}

export class RelayReader {
	#self: string | undefined;
	#current: string | undefined;
	#lines = 0;
	/** Bytes of lines that speakers have begun and not ended ('' for text before any prefix). */
	readonly #pending = new Map<string, Buffer>();
	readonly #local: ReturnType<typeof split> | undefined;

	/** `localAddress`: our end of the connection as "127.0.0.1:54321", "[::1]:54321" or a bare host. */
	constructor(localAddress?: string) {
		this.#local = localAddress === undefined ? undefined : split(localAddress);
	}

	/** Our own speaker name ("user5") once the relay has announced us. */
	get self(): string | undefined {
		return this.#self;
	}

	/** One line, without its "\n" (a "\r" before it is dropped). */
	read(line: string): RelayEvent {
		const text = line.endsWith('\r') ? line.slice(0, -1) : line;
		const first = this.#lines++ === 0;
		let speaker = this.#current;
		let start = 0;
		let bodyStart = 0;
		for (const match of text.matchAll(prefix)) {
			const at = match.index;
			// A prefix right after another one is text: a chunk is never empty, so it cannot be a boundary.
			if (at !== 0 && at === bodyStart) {
				continue;
			}

			this.#append(speaker, text.slice(start, at));
			if (match[1] === 'announce') {
				return this.#announce(text.slice(at + match[0].length), first);
			}

			speaker = match[1];
			start = bodyStart = at + match[0].length;
		}

		this.#append(speaker, text.slice(start));
		const key = speaker ?? '';
		const bytes = this.#pending.get(key);
		this.#pending.delete(key);
		this.#current = speaker;
		return {kind: 'message', speaker, text: bytes?.toString('utf8') ?? ''};
	}

	#append(speaker: string | undefined, text: string): void {
		if (text === '') {
			return;
		}

		const key = speaker ?? '';
		const before = this.#pending.get(key);
		const added = octalBytes(text);
		const bytes = before ? Buffer.concat([before, added]) : added;
		this.#pending.set(key, bytes.length > maxPending ? bytes.subarray(0, maxPending) : bytes);
		if (this.#pending.size > maxSpeakers) {
			this.#pending.delete(this.#pending.keys().next().value ?? '');
		}
	}

	#announce(text: string, first: boolean): RelayEvent {
		const join = joined.exec(text);
		if (join?.[1] !== undefined && join[2] !== undefined) {
			const [, address, speaker] = join;
			// ncat announces a newcomer to itself before anything else (whatever NAT made of its address).
			if (this.#self === undefined && (first || this.#matches(address))) {
				this.#self = speaker;
			}

			return {kind: 'joined', speaker, address, self: speaker === this.#self};
		}

		const list = present.exec(text)?.[1];
		const members = list === 'nobody' ? [] : list?.split(', ').map(entry => member.exec(entry));
		if (members?.every(entry => entry !== null)) {
			return {kind: 'present', members: members.map(([, address = '', speaker = '']) => ({speaker, address}))};
		}

		const gone = left.exec(text)?.[1];
		if (gone !== undefined) {
			const bytes = this.#pending.get(gone);
			this.#pending.delete(gone);
			if (this.#current === gone) {
				this.#current = undefined;
			}

			return bytes ? {kind: 'left', speaker: gone, unfinished: bytes.toString('utf8')} : {kind: 'left', speaker: gone};
		}

		return {kind: 'notice', text: octalBytes(text).toString('utf8')};
	}

	#matches(address: string): boolean {
		const announced = split(address);
		const local = this.#local;
		// ncat <= 7.98 writes no port: then only the hosts can be compared.
		return local?.host === announced.host && (announced.port === undefined || local.port === undefined || announced.port === local.port);
	}
}

/** "[::1]:5", "127.0.0.1:5", "::1", "127.0.0.1" as host and port; an IPv4-mapped host unwrapped. */
function split(address: string): {readonly host: string; readonly port: string | undefined} {
	const [, bracketed, v4, port] = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(address) ?? [];
	const host = bracketed ?? v4 ?? address.replace(/^\[(.*)\]$/, '$1');
	return {host: host.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, ''), port};
}

