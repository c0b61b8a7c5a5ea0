import {createConnection, type Socket} from 'node:net';
import {connect as connectTls} from 'node:tls';

// A bare IRC client on node:net for the tests: it speaks only what a test asks for, records every line it
// receives and answers the server's PING by itself. It is a probe of the servers, not a model of our client.

export type IrcEndpoint = {readonly host: string; readonly port: number};

export type RawIrcClientOptions = {
	/** IRCv3 capabilities to ask for with `CAP LS 302` / `CAP REQ` / `CAP END`; those not offered are left out. */
	readonly caps?: readonly string[];
	/** Send `CAP LS 302` (and `CAP END`) even when `caps` is empty, to see the server's offer. */
	readonly capLs?: boolean;
	readonly username?: string;
	readonly realname?: string;
	/** `PASS` sent before `NICK`. */
	readonly password?: string;
	/** Give up on registration (connect to 001) after this many milliseconds (default 15 s). */
	readonly timeoutMs?: number;
	/** Local address to connect from: another 127.x.y.z counts as another host for per-IP limits. */
	readonly localAddress?: string;
	/** Speak TLS (to `IrcServer.tlsPort`); `ca` is the certificate to trust (`IrcNetwork.tlsCertificate`). */
	readonly tls?: {readonly ca?: string; readonly rejectUnauthorized?: boolean};
};

export type IrcLine = {
	readonly tags: ReadonlyMap<string, string>;
	readonly source: string | undefined;
	readonly command: string;
	readonly params: readonly string[];
};

function unescapeTag(value: string): string {
	return value.replace(/\\(.?)/g, (_match, char: string) =>
		char === ':' ? ';' : char === 's' ? ' ' : char === 'r' ? '\r' : char === 'n' ? '\n' : char);
}

/** Splits one IRC line (without CR LF) into IRCv3 tags, source, command and parameters. */
export function parseIrcLine(line: string): IrcLine {
	let rest = line;
	const tags = new Map<string, string>();
	if (rest.startsWith('@')) {
		const end = rest.indexOf(' ');
		const tagText = rest.slice(1, end < 0 ? undefined : end);
		rest = end < 0 ? '' : rest.slice(end + 1).trimStart();
		for (const tag of tagText.split(';')) {
			if (tag === '') {
				continue;
			}

			const equals = tag.indexOf('=');
			tags.set(equals < 0 ? tag : tag.slice(0, equals), equals < 0 ? '' : unescapeTag(tag.slice(equals + 1)));
		}
	}

	let source: string | undefined;
	if (rest.startsWith(':')) {
		const end = rest.indexOf(' ');
		source = rest.slice(1, end < 0 ? undefined : end);
		rest = end < 0 ? '' : rest.slice(end + 1).trimStart();
	}

	const params: string[] = [];
	let command = '';
	while (rest !== '') {
		if (command !== '' && rest.startsWith(':')) {
			params.push(rest.slice(1));
			break;
		}

		const end = rest.indexOf(' ');
		const word = end < 0 ? rest : rest.slice(0, end);
		rest = end < 0 ? '' : rest.slice(end + 1).replace(/^ +/, '');
		if (command === '') {
			command = word.toUpperCase();
		} else {
			params.push(word);
		}
	}

	return {tags, source, command, params};
}

/** The nick part of a `nick!user@host` source. */
export function sourceNick(source: string | undefined): string | undefined {
	return source?.split('!')[0];
}

type Waiter = {
	readonly predicate: (line: string) => boolean;
	readonly resolve: (line: string) => void;
	readonly reject: (error: Error) => void;
	readonly timer: NodeJS.Timeout;
};

/** Numerics that end a JOIN attempt without joining. */
const joinFailures = new Set(['403', '405', '437', '471', '473', '474', '475', '476', '477', '479', '489']);

function lowerIrc(text: string): string {
	return text.toLowerCase().replace(/[[\]\\~]/g, char => ({'[': '{', ']': '}', '\\': '|', '~': '^'})[char] ?? char);
}

export class RawIrcClient {
	/**
	 * Connects, registers (`CAP LS 302` when caps are asked for, `NICK`, `USER`) and resolves once the server
	 * sent 001. Rejects on an error numeric for the nick, an `ERROR`, a closed connection or the timeout.
	 */
	static async connect(server: IrcEndpoint, nick: string, options: RawIrcClientOptions = {}): Promise<RawIrcClient> {
		const client = new RawIrcClient(server, nick, options);
		try {
			await client.register(options);
		} catch (error) {
			client.destroy();
			throw error;
		}

		return client;
	}

	/** Every line received, raw (tags and all), without CR LF, in order. */
	readonly lines: string[] = [];
	/** Every line sent, without CR LF. */
	readonly sent: string[] = [];
	/** The capabilities the server listed in its `CAP LS` reply (name -> value, '' when it has none). */
	readonly offeredCaps = new Map<string, string>();
	/** The capabilities the server acknowledged. */
	readonly enabledCaps = new Set<string>();
	/** Milliseconds from the start of the TCP connect to 001. */
	registrationMs = Number.NaN;
	/** Set once the connection closed (by either side). */
	isClosed = false;
	/** The nick the server registered us under (001's first parameter). */
	nick: string;
	readonly server: IrcEndpoint;

	private readonly socket: Socket;
	private readonly waiters = new Set<Waiter>();
	private partial = '';
	private readonly closedPromise: Promise<void>;
	private closeReason = 'connection closed';

	private constructor(server: IrcEndpoint, nick: string, options: RawIrcClientOptions) {
		this.server = server;
		this.nick = nick;
		const tcp = createConnection({host: server.host, port: server.port, localAddress: options.localAddress});
		if (options.tls === undefined) {
			this.socket = tcp;
		} else {
			// Errors of the TCP socket reach the TLS socket on top of it; this only keeps them from being unhandled.
			tcp.on('error', () => undefined);
			this.socket = connectTls({
				socket: tcp,
				host: server.host,
				ca: options.tls.ca,
				rejectUnauthorized: options.tls.rejectUnauthorized ?? true,
			});
		}

		this.socket.setNoDelay(true);
		this.socket.setEncoding('utf8');
		this.closedPromise = new Promise(resolve => {
			this.socket.once('close', () => {
				this.isClosed = true;
				for (const waiter of [...this.waiters]) {
					this.settle(waiter);
					waiter.reject(new Error(`${this.describe()}: ${this.closeReason} while waiting`));
				}

				resolve();
			});
		});
		this.socket.on('error', error => {
			this.closeReason = `socket error: ${error.message}`;
		});
		this.socket.on('data', (chunk: string) => this.receive(chunk));
	}

	/** The number of lines received so far: pass it to `waitFor` to look only at lines after this point. */
	mark(): number {
		return this.lines.length;
	}

	/** Sends one line; CR LF is added. */
	send(line: string): void {
		if (/[\r\n]/.test(line)) {
			throw new Error(`an IRC line cannot hold CR or LF: ${JSON.stringify(line)}`);
		}

		this.sent.push(line);
		this.socket.write(`${line}\r\n`);
	}

	/** Sends several lines in one write, back to back. */
	sendBurst(lines: readonly string[]): void {
		for (const line of lines) {
			if (/[\r\n]/.test(line)) {
				throw new Error(`an IRC line cannot hold CR or LF: ${JSON.stringify(line)}`);
			}
		}

		this.sent.push(...lines);
		this.socket.write(lines.map(line => `${line}\r\n`).join(''));
	}

	/**
	 * Resolves with the first line, at index `from` or later of `lines` (default 0: also lines already
	 * received), that satisfies `predicate`. Rejects after `timeoutMs` or when the connection closes.
	 */
	async waitFor(predicate: (line: string) => boolean, timeoutMs = 10_000, from = 0): Promise<string> {
		for (let index = from; index < this.lines.length; index++) {
			const line = this.lines[index]!;
			if (predicate(line)) {
				return line;
			}
		}

		if (this.isClosed) {
			throw new Error(`${this.describe()}: ${this.closeReason}; no matching line among ${this.lines.length}`);
		}

		return new Promise((resolve, reject) => {
			const waiter: Waiter = {
				predicate,
				resolve,
				reject,
				timer: setTimeout(() => {
					this.settle(waiter);
					const tail = this.lines.slice(-15).map(line => `  < ${line}`).join('\n');
					reject(new Error(`${this.describe()}: no matching line within ${timeoutMs} ms; last lines:\n${tail}`));
				}, timeoutMs),
			};
			this.waiters.add(waiter);
		});
	}

	/** Like `waitFor` on the parsed line. */
	async waitForMessage(predicate: (message: IrcLine) => boolean, timeoutMs = 10_000, from = 0): Promise<IrcLine> {
		return parseIrcLine(await this.waitFor(line => predicate(parseIrcLine(line)), timeoutMs, from));
	}

	/** Joins and resolves on the end of NAMES (366) for the channel; rejects on a JOIN error numeric. */
	async join(channel: string, timeoutMs = 10_000): Promise<void> {
		const from = this.mark();
		const wanted = lowerIrc(channel);
		this.send(`JOIN ${channel}`);
		const line = await this.waitFor(raw => {
			const {command, params} = parseIrcLine(raw);
			const target = params[1];
			return (command === '366' || joinFailures.has(command)) && target !== undefined && lowerIrc(target) === wanted;
		}, timeoutMs, from);
		const {command} = parseIrcLine(line);
		if (command !== '366') {
			throw new Error(`${this.describe()}: JOIN ${channel} refused: ${line}`);
		}
	}

	/** Sends QUIT, then closes; destroys the socket if the server has not closed it within `timeoutMs`. */
	async close(timeoutMs = 2000): Promise<void> {
		if (!this.isClosed) {
			if (this.socket.writable) {
				this.socket.write('QUIT :bye\r\n');
				this.socket.end();
			}

			const timer = setTimeout(() => this.socket.destroy(), timeoutMs);
			await this.closedPromise;
			clearTimeout(timer);
		}
	}

	/** Drops the connection at once, without QUIT. */
	destroy(): void {
		this.socket.destroy();
	}

	/** Resolves when the connection has closed. */
	async closed(): Promise<void> {
		return this.closedPromise;
	}

	private describe(): string {
		return `raw IRC client ${this.nick} on ${this.server.host}:${this.server.port}`;
	}

	private settle(waiter: Waiter): void {
		clearTimeout(waiter.timer);
		this.waiters.delete(waiter);
	}

	private receive(chunk: string): void {
		this.partial += chunk;
		let newline = this.partial.indexOf('\n');
		while (newline >= 0) {
			const line = this.partial.slice(0, newline).replace(/\r$/, '');
			this.partial = this.partial.slice(newline + 1);
			this.handle(line);
			newline = this.partial.indexOf('\n');
		}
	}

	private handle(line: string): void {
		this.lines.push(line);
		const message = parseIrcLine(line);
		if (message.command === 'PING') {
			this.send(message.params.length > 0 ? `PONG :${message.params.at(-1)!}` : 'PONG');
		} else if (message.command === 'ERROR') {
			this.closeReason = `server said ${line}`;
		}

		for (const waiter of [...this.waiters]) {
			let matched = false;
			try {
				matched = waiter.predicate(line);
			} catch (error) {
				this.settle(waiter);
				waiter.reject(error instanceof Error ? error : new Error(String(error)));
				continue;
			}

			if (matched) {
				this.settle(waiter);
				waiter.resolve(line);
			}
		}
	}

	private async register(options: RawIrcClientOptions): Promise<void> {
		const started = Date.now();
		const timeoutMs = options.timeoutMs ?? 15_000;
		const deadline = () => Math.max(1, started + timeoutMs - Date.now());
		const wantCaps = options.caps ?? [];
		const negotiate = wantCaps.length > 0 || options.capLs === true;
		const lines: string[] = [];
		if (options.password !== undefined) {
			lines.push(`PASS ${options.password}`);
		}

		if (negotiate) {
			lines.push('CAP LS 302');
		}

		lines.push(`NICK ${this.nick}`, `USER ${options.username ?? 'rawtest'} 0 * :${options.realname ?? 'raw test client'}`);
		this.sendBurst(lines);

		const isFailure = (message: IrcLine) =>
			message.command === 'ERROR' || ['431', '432', '433', '436', '437', '465', '464'].includes(message.command);
		if (negotiate) {
			// CAP LS 302 may come in several lines: `CAP * LS * :caps...` continues, `CAP * LS :caps` ends.
			let index = 0;
			for (;;) {
				const line = await this.waitFor(raw => {
					const message = parseIrcLine(raw);
					return (message.command === 'CAP' && message.params[1] === 'LS') || isFailure(message);
				}, deadline(), index);
				index = this.lines.indexOf(line, index) + 1;
				const message = parseIrcLine(line);
				if (isFailure(message)) {
					throw new Error(`${this.describe()}: registration refused: ${line}`);
				}

				for (const cap of (message.params.at(-1) ?? '').split(' ')) {
					if (cap !== '') {
						const equals = cap.indexOf('=');
						this.offeredCaps.set(equals < 0 ? cap : cap.slice(0, equals), equals < 0 ? '' : cap.slice(equals + 1));
					}
				}

				if (message.params[2] !== '*') {
					break;
				}
			}

			const request = wantCaps.filter(cap => this.offeredCaps.has(cap));
			if (request.length > 0) {
				const from = this.mark();
				this.send(`CAP REQ :${request.join(' ')}`);
				const reply = parseIrcLine(await this.waitFor(raw => {
					const message = parseIrcLine(raw);
					return message.command === 'CAP' && (message.params[1] === 'ACK' || message.params[1] === 'NAK');
				}, deadline(), from));
				if (reply.params[1] === 'ACK') {
					for (const cap of (reply.params.at(-1) ?? '').split(' ')) {
						if (cap !== '' && !cap.startsWith('-')) {
							this.enabledCaps.add(cap);
						}
					}
				}
			}

			this.send('CAP END');
		}

		const welcome = parseIrcLine(await this.waitFor(raw => {
			const message = parseIrcLine(raw);
			return message.command === '001' || isFailure(message);
		}, deadline()));
		if (welcome.command !== '001') {
			throw new Error(`${this.describe()}: registration refused: ${welcome.command} ${welcome.params.join(' ')}`);
		}

		this.registrationMs = Date.now() - started;
		this.nick = welcome.params[0] ?? this.nick;
	}
}
