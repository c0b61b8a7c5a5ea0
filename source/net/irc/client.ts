import {formatIrcServer, type IrcServer} from '../../domain/irc-server.js';
import type {TextCodec} from '../wire/text-codec.js';
import {Batches} from './batches.js';
import {Channels} from './channels.js';
import {IrcConnection} from './connection.js';
import {formatCtcp} from './ctcp.js';
import {Echoes} from './echoes.js';
import {handleMessage} from './handlers.js';
import {defaultSupport, isChannel, type ServerSupport} from './isupport.js';
import {formatMessage, parseMessage} from './message.js';
import {Registration} from './registration.js';
import {SendQueue, type SendRate} from './send-queue.js';
import {splitMessage} from './split-message.js';
import type {IrcPlace, IrcSink} from './sink.js';

export type IrcClientOptions = {
	readonly server: IrcServer;
	readonly nick: string;
	readonly password: string | undefined;
	readonly codec: TextCodec;
	readonly sink: IrcSink;
	readonly rate?: SendRate;
	/** First reconnect delay; it doubles up to a minute. */
	readonly retryBaseMs?: number;
	/** Extra certificate authorities for ircs:// (tests; people use NODE_EXTRA_CA_CERTS). */
	readonly ca?: string | Buffer;
	readonly version: string;
};

export type IrcState = 'connecting' | 'registered' | 'retrying' | 'closed';

type Held = {readonly target: string; readonly text: string; readonly action: boolean; readonly lineId: number};

/**
 * inspircd takes 10 lines at once and then one a second, and closes a client with more than 4 KiB waiting
 * ("RecvQ exceeded"); ngircd takes 3 at once, then 2-3 a second, and stops reading the rest. Five at once
 * (at most 2.5 KiB) and then one a second stays under both, as irssi's and weechat's pacing does.
 */
const defaultRate: SendRate = {burst: 5, intervalMs: 1000};
const maxHeld = 500;
const maxRetryMs = 60_000;
/** Silence after which we ask the server if it is there, and after which we give up on it. */
const pingAfterMs = 90_000;
const deadAfterMs = 180_000;

/**
 * One IRC network: the connection and its registration, reconnecting with backoff and rejoining every
 * channel; channels and who is in them; own messages paced, cut to fit 512 bytes and confirmed by echo.
 */
export class IrcClient {
	state: IrcState = 'connecting';
	support: ServerSupport = defaultSupport;
	readonly channels = new Channels(() => this.support);
	readonly echoes = new Echoes();
	readonly batches = new Batches();
	/** The channels to be in (folded name -> as written, and its key): rejoined after every reconnect. */
	readonly wanted = new Map<string, {readonly name: string; readonly key: string | undefined}>();
	registration: Registration;
	retryAt: number | undefined;
	/** nick!user@host as the server shows us: what it prefixes our messages with. */
	selfPrefix: string | undefined;
	private connection: IrcConnection | undefined;
	private readonly queue: SendQueue;
	private held: Held[] = [];
	private retries = 0;
	private retryTimer: NodeJS.Timeout | undefined;
	private readonly keepAlive: NodeJS.Timeout;
	private lastHeard = Date.now();
	private quitting = false;
	/** The nick asked for (at start or with /nick): what each new connection tries first. */
	private wantedNick: string;

	constructor(readonly options: IrcClientOptions) {
		this.wantedNick = options.nick;
		this.registration = this.newRegistration(options.nick);
		this.queue = new SendQueue(line => this.connection?.write(line), options.rate ?? defaultRate);
		for (const channel of options.server.channels) {
			this.wanted.set(this.channels.fold(channel), {name: channel, key: undefined});
		}

		this.keepAlive = setInterval(() => {
			this.checkAlive();
		}, 15_000);
		this.keepAlive.unref();
	}

	get nick(): string {
		return this.registration.nick;
	}

	get name(): string {
		return this.support.network ?? this.options.server.host;
	}

	get sink(): IrcSink {
		return this.options.sink;
	}

	get address(): string {
		return formatIrcServer(this.options.server);
	}

	start(): void {
		this.connect();
	}

	isSelf(nick: string): boolean {
		return this.channels.fold(nick) === this.channels.fold(this.nick);
	}

	isChannel(name: string): boolean {
		return isChannel(name, this.support);
	}

	/** A line to the server, paced; `sent` runs once it is written. Urgent lines (PONG) skip the queue. */
	send(command: string, params: readonly string[], options: {readonly urgent?: boolean; readonly tags?: Record<string, string>; readonly sent?: () => void} = {}): void {
		const line = formatMessage(command, params, options.tags);
		if (options.urgent) {
			this.queue.urgent(line);
		} else {
			this.queue.push(line, options.sent);
		}
	}

	/** PRIVMSG, cut at character boundaries so that with the prefix the server adds it fits 512 bytes. */
	say(target: string, text: string, action: boolean, lineId: number): void {
		if (this.state !== 'registered' || (this.isChannel(target) && this.channels.get(target)?.joined !== true)) {
			this.hold({target, text, action, lineId});
			return;
		}

		const {codec} = this.options;
		const framing = action ? codec.byteLength(formatCtcp('ACTION', '')) - 1 : 0;
		const room = this.lineRoom(`PRIVMSG ${target} :`) - framing;
		const pieces = splitMessage(text, Math.max(16, room), codec.byteLength);
		const echo = this.registration.enabled.has('echo-message');
		const labels = this.registration.enabled.has('labeled-response');
		let written = 0;
		for (const piece of pieces) {
			const label = labels ? this.echoes.label() : undefined;
			if (echo) {
				this.echoes.expect(lineId, this.channels.fold(target), piece, label);
			}

			this.send('PRIVMSG', [target, action ? formatCtcp('ACTION', piece) : piece], {
				tags: label === undefined ? undefined : {label},
				sent: () => {
					written++;
					if (written === pieces.length) {
						this.sink.delivery(lineId, 'sent');
					}
				},
			});
		}
	}

	join(channel: string, key?: string): void {
		this.wanted.set(this.channels.fold(channel), {name: channel, key});
		this.channels.ensure(channel);
		if (this.state === 'registered') {
			this.send('JOIN', key === undefined ? [channel] : [channel, key]);
		}
	}

	part(channel: string, reason?: string): void {
		this.wanted.delete(this.channels.fold(channel));
		const joined = this.channels.get(channel)?.joined === true;
		this.failHeld(held => this.channels.fold(held.target) === this.channels.fold(channel));
		if (joined && this.state === 'registered') {
			this.send('PART', reason === undefined ? [channel] : [channel, reason]);
		} else {
			this.channels.forget(channel);
		}
	}

	setNick(nick: string): void {
		this.wantedNick = nick;
		if (this.state === 'registered') {
			this.send('NICK', [nick]);
		} else if (this.connection) {
			// Still registering: the server takes the new nick instead of the one sent first.
			this.registration.nick = nick;
			this.queue.urgent(`NICK ${nick}`);
		}
	}

	/** Sends QUIT and closes; no reconnect follows. Resolves once the line has had its chance to go out. */
	async quit(reason: string): Promise<void> {
		this.quitting = true;
		this.stopTimers();
		this.failHeld(() => true);
		const connection = this.connection;
		if (connection && this.state === 'registered') {
			this.queue.clear();
			this.send('QUIT', [reason], {urgent: true});
			connection.end();
			await new Promise(resolve => {
				setTimeout(resolve, 150);
			});
		}

		this.close();
	}

	close(): void {
		this.quitting = true;
		this.stopTimers();
		this.queue.clear();
		this.connection?.destroy('closed');
		this.connection = undefined;
		this.state = 'closed';
	}

	/** Messages typed before the channel was joined go out now. */
	releaseHeld(channel?: string): void {
		const ready = this.held.filter(held => (channel === undefined ? !this.isChannel(held.target) : this.channels.fold(held.target) === this.channels.fold(channel)));
		this.held = this.held.filter(held => !ready.includes(held));
		for (const held of ready) {
			this.say(held.target, held.text, held.action, held.lineId);
		}
	}

	/** Registered: the channels wanted are joined (one JOIN line for many) and waiting messages follow. */
	welcomed(): void {
		this.state = 'registered';
		this.retries = 0;
		this.retryAt = undefined;
		const channels = [...this.wanted.values()];
		const withKeys = channels.filter(channel => channel.key !== undefined);
		const plain = channels.filter(channel => channel.key === undefined).map(channel => channel.name);
		for (let start = 0; start < plain.length; start += 10) {
			this.send('JOIN', [plain.slice(start, start + 10).join(',')]);
		}

		for (const channel of withKeys) {
			this.send('JOIN', [channel.name, channel.key ?? '']);
		}

		this.releaseHeld();
		this.sink.changed();
	}

	/** Room for a PRIVMSG's text: 512 bytes, less CR LF, the prefix the server adds and the command. */
	private lineRoom(command: string): number {
		const prefix = this.selfPrefix ?? `${this.nick}!~${this.nick.slice(0, 9)}@${'x'.repeat(63)}`;
		const {byteLength} = this.options.codec;
		return this.support.lineLen - 2 - byteLength(`:${prefix} `) - byteLength(command);
	}

	private hold(held: Held): void {
		this.held.push(held);
		if (this.held.length > maxHeld) {
			const dropped = this.held.shift();
			if (dropped) {
				this.sink.delivery(dropped.lineId, 'failed');
			}
		}
	}

	private failHeld(which: (held: Held) => boolean): void {
		for (const held of this.held.filter(which)) {
			this.sink.delivery(held.lineId, 'failed');
		}

		this.held = this.held.filter(held => !which(held));
	}

	private newRegistration(nick: string): Registration {
		const {password} = this.options;
		return new Registration(nick, {
			send: line => this.queue.urgent(line),
			notice: (text, level) => {
				this.sink.info(text, level);
			},
			// The account is the nick configured, not a fallback like alice_ taken after a clash.
			sasl: password === undefined ? undefined : {account: this.options.nick, password},
			realname: `tui-netchat ${this.options.version}`,
		});
	}

	private connect(): void {
		const {server, codec, ca} = this.options;
		this.state = 'connecting';
		this.retryAt = undefined;
		this.registration.stop();
		this.registration = this.newRegistration(this.wantedNick);
		this.sink.info(`Connecting to ${this.address}…`, 'info');
		this.sink.changed();
		const connection = new IrcConnection(server, codec, {
			open: () => {
				this.lastHeard = Date.now();
				this.registration.start();
			},
			line: line => {
				this.lastHeard = Date.now();
				const message = parseMessage(line);
				if (message !== undefined) {
					handleMessage(this, message);
				}
			},
			close: (reason, fatal) => {
				this.disconnected(connection, reason, fatal);
			},
		}, ca);
		this.connection = connection;
	}

	private disconnected(connection: IrcConnection, reason: string, fatal: boolean): void {
		if (this.connection !== connection) {
			return;
		}

		this.connection = undefined;
		this.registration.stop();
		this.queue.clear();
		this.echoes.clear();
		this.batches.clear();
		for (const channel of this.channels.list()) {
			channel.joined = false;
			channel.members.clear();
		}

		if (this.quitting) {
			return;
		}

		if (fatal) {
			this.state = 'closed';
			this.failHeld(() => true);
			this.sink.info(`${this.address}: ${reason}`, 'error');
			this.sink.changed();
			return;
		}

		const delay = Math.min(maxRetryMs, (this.options.retryBaseMs ?? 1000) * 2 ** this.retries) * (0.8 + Math.random() * 0.4);
		this.retries++;
		this.state = 'retrying';
		this.retryAt = Date.now() + delay;
		this.sink.info(`Disconnected from ${this.address}: ${reason}. Reconnecting in ${Math.ceil(delay / 1000)} s; channels are rejoined.`, 'error');
		for (const channel of this.channels.list().filter(channel => this.wanted.has(this.channels.fold(channel.name)))) {
			this.sink.info(`Disconnected: rejoining once ${this.name} is back.`, 'error', {channel: channel.name});
		}

		this.sink.changed();
		this.retryTimer = setTimeout(() => {
			this.retryTimer = undefined;
			this.connect();
		}, delay);
	}

	private checkAlive(): void {
		const silent = Date.now() - this.lastHeard;
		if (this.state !== 'registered' || this.connection === undefined) {
			return;
		}

		if (silent > deadAfterMs) {
			const connection = this.connection;
			this.disconnected(connection, `no answer for ${Math.round(silent / 1000)} s`, false);
			connection.destroy('silent');
		} else if (silent > pingAfterMs) {
			this.send('PING', [`tnc${Date.now()}`], {urgent: true});
		}
	}

	private stopTimers(): void {
		clearTimeout(this.retryTimer);
		clearInterval(this.keepAlive);
		this.registration.stop();
	}

	/** For handlers: where a line naming a target belongs (a channel, or a query with the other person). */
	placeOf(target: string, from: string): IrcPlace {
		return this.isChannel(target) ? {channel: target} : {query: this.isSelf(from) ? target : from};
	}
}
