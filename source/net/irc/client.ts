import {formatIrcServer} from '../../domain/irc-server.js';
import {Batches} from './batches.js';
import {Channels} from './channels.js';
import {Echoes} from './echoes.js';
import {handleMessage} from './handlers.js';
import {defaultSupport, isChannel, type ServerSupport} from './isupport.js';
import {Backoff} from './backoff.js';
import {defaultRate, type IrcClientOptions, type IrcState} from './client-options.js';
import {HeldMessages, type Held} from './held.js';
import {IrcLink} from './link.js';
import {formatMessage} from './message.js';
import {reportOutage} from './outage.js';
import {say} from './say.js';
import {registrationFor, type Registration} from './registration.js';
import {SendQueue} from './send-queue.js';
import {WantedChannels} from './wanted.js';

export type {IrcClientOptions, IrcState} from './client-options.js';
import type {IrcSink} from './sink.js';

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
	/** The channels to be in: rejoined after every reconnect. */
	readonly wanted = new WantedChannels(name => this.channels.fold(name));
	registration: Registration;
	retryAt: number | undefined;
	/** nick!user@host as the server shows us: what it prefixes our messages with. */
	selfPrefix: string | undefined;
	private readonly link: IrcLink;
	private readonly queue: SendQueue;
	readonly held: HeldMessages;
	private readonly backoff: Backoff;
	private quitting = false;
	private toldChannels = false;
	/** The nick asked for (at start or with /nick): what each new connection tries first. */
	private wantedNick: string;

	constructor(readonly options: IrcClientOptions) {
		this.wantedNick = options.nick;
		this.held = new HeldMessages(options.sink);
		this.backoff = new Backoff(options.retryBaseMs ?? 1000);
		this.registration = this.newRegistration(options.nick);
		this.queue = new SendQueue(line => this.link.write(line), options.rate ?? defaultRate);
		for (const channel of options.server.channels) {
			this.wanted.add(channel);
		}

		this.link = new IrcLink(options, {
			opened: () => {
				this.registration.start();
			},
			message: message => {
				handleMessage(this, message);
			},
			ended: (reason, fatal) => {
				this.disconnected(reason, fatal);
			},
			registered: () => this.state === 'registered',
			ping: () => {
				this.send('PING', [`tnc${Date.now()}`], {urgent: true});
			},
			dropped: why => {
				this.sink.info(`A line from the server could not be read and was dropped (${why}).`, 'error');
			},
		});
	}

	get nick(): string {
		return this.registration.nick;
	}

	/** NETWORK= when the server says it, else host:port (two networks on one host stay apart). */
	get name(): string {
		return this.support.network ?? `${this.options.server.host}:${this.options.server.port}`;
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

	/** The server changed its CASEMAPPING: channels, the wanted list and the conversations are keyed anew. */
	refold(): void {
		this.channels.refold();
		this.wanted.refold();

		this.sink.refolded();
	}

	isSelf(nick: string): boolean {
		return this.channels.fold(nick) === this.channels.fold(this.nick);
	}

	isChannel(name: string): boolean {
		return isChannel(name, this.support);
	}

	/**
	 * A line to the server, paced; `sent` runs once it is written, `lost` if the connection goes first. Urgent
	 * lines (PONG) skip the queue. False, and nothing sent, when the parameters cannot make a line (a space in
	 * a middle one, a line break): what a server or a user hands us must never throw.
	 */
	send(command: string, params: readonly string[], options: {readonly urgent?: boolean; readonly tags?: Record<string, string>; readonly sent?: () => void; readonly lost?: () => void} = {}): boolean {
		let line: string;
		try {
			line = formatMessage(command, params, options.tags);
		} catch {
			return false;
		}

		if (options.urgent) {
			this.queue.urgent(line);
		} else {
			this.queue.push(line, options.sent, options.lost);
		}

		return true;
	}

	/** PRIVMSG, cut at character boundaries so that with the prefix the server adds it fits 512 bytes. */
	/** A message to a channel or nick: now, held until we are in, or failed with a line saying why. */
	say(target: string, text: string, action: boolean, lineId: number): void {
		say(this, {target, text, action, lineId});
	}

	/** Messages waiting for a channel that will not be joined (kicked, banned) fail, as does all on quit. */
	failHeld(which: (held: Held) => boolean): void {
		this.held.fail(which);
	}

	/** Messages typed before the channel was joined go out now (without a channel: those to people). */
	releaseHeld(channel?: string): void {
		const ready = this.held.take(held => (channel === undefined ? !this.isChannel(held.target) : this.channels.fold(held.target) === this.channels.fold(channel)));
		for (const held of ready) {
			this.say(held.target, held.text, held.action, held.lineId);
		}
	}

	join(channel: string, key?: string): void {
		this.wanted.add(channel, key);
		this.channels.ensure(channel);
		if (this.state === 'registered') {
			this.send('JOIN', key === undefined ? [channel] : [channel, key]);
		}
	}

	part(channel: string, reason?: string): void {
		this.wanted.delete(channel);
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
		} else if (this.link.open) {
			// Still registering: the server takes the new nick instead of the one sent first.
			this.registration.nick = nick;
			this.queue.urgent(`NICK ${nick}`);
		}
	}

	/** Sends QUIT and closes; no reconnect follows. Resolves once the line has had its chance to go out. */
	async quit(reason: string): Promise<void> {
		if (this.quitting) {
			return;
		}

		this.quitting = true;
		this.stopTimers();
		const open = this.link.open;
		this.queue.clear();
		this.held.fail(() => true);
		if (open && this.state === 'registered') {
			this.send('QUIT', [reason], {urgent: true});
			this.link.end();
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
		this.held.fail(() => true);
		this.link.destroy('closed');
		this.state = 'closed';
		this.retryAt = undefined;
		this.sink.changed();
	}

	/** Registered: the channels wanted are joined (one JOIN line for many) and waiting messages follow. */
	welcomed(): void {
		this.state = 'registered';
		this.link.welcomed();
		this.backoff.registered();
		this.retryAt = undefined;
		for (const params of this.wanted.joinLines()) {
			this.send('JOIN', params);
		}

		this.releaseHeld();
		this.sink.changed();
	}

	private newRegistration(nick: string): Registration {
		return registrationFor(this.options, nick, line => this.queue.urgent(line));
	}

	private connect(): void {
		this.state = 'connecting';
		this.retryAt = undefined;
		this.registration.stop();
		this.registration = this.newRegistration(this.wantedNick);
		this.sink.info(`Connecting to ${this.address}…`, 'info');
		this.sink.changed();
		this.link.dial();
	}

	private disconnected(reason: string, fatal: boolean): void {
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
			this.held.fail(() => true);
			this.sink.info(`${this.address}: ${reason}`, 'error');
			this.sink.changed();
			return;
		}

		const was = this.state;
		const delay = this.backoff.next();
		this.state = 'retrying';
		this.retryAt = Date.now() + delay;
		// Each channel's buffer hears it once an outage (and once the first time it cannot connect), not per attempt.
		const tellChannels = was === 'registered' || !this.toldChannels;
		this.toldChannels = true;
		reportOutage(this, {connected: was === 'registered', reason, delay, tellChannels});
		this.sink.changed();
		this.backoff.schedule(delay, () => {
			this.connect();
		});
	}

	private stopTimers(): void {
		this.backoff.cancel();
		this.link.stop();
		this.registration.stop();
	}
}
