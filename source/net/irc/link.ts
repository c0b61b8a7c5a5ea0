import type {IrcServer} from '../../domain/irc-server.js';
import {TokenBucket} from '../session/token-bucket.js';
import type {TextCodec} from '../wire/text-codec.js';
import {deadAfterMs, pingAfterMs, registrationWaitMs} from './client-options.js';
import {IrcConnection} from './connection.js';
import {parseMessage, type IrcMessage} from './message.js';

export type LinkEvents = {
	readonly opened: () => void;
	readonly message: (message: IrcMessage) => void;
	/** Once per connection, however it ended. */
	readonly ended: (reason: string, fatal: boolean) => void;
	readonly registered: () => boolean;
	readonly ping: () => void;
	/** A line that could not be handled (said a few times, then quietly). */
	readonly dropped: (why: string) => void;
};

/**
 * The current connection to a network and its clocks: a deadline for the welcome, a ping after silence and
 * a redial after more; a line a handler cannot take is dropped, never fatal.
 */
export class IrcLink {
	private connection: IrcConnection | undefined;
	private lastHeard = Date.now();
	private registrationTimer: NodeJS.Timeout | undefined;
	private readonly keepAlive: NodeJS.Timeout;
	private readonly oddLines = new TokenBucket(3, 0.1);

	constructor(
		private readonly target: {readonly server: IrcServer; readonly codec: TextCodec; readonly ca?: string | Buffer},
		private readonly events: LinkEvents,
	) {
		this.keepAlive = setInterval(() => {
			this.checkAlive();
		}, 15_000);
		this.keepAlive.unref();
	}

	get open(): boolean {
		return this.connection !== undefined;
	}

	dial(): void {
		const {server, codec, ca} = this.target;
		const connection = new IrcConnection(server, codec, {
			open: () => {
				this.lastHeard = Date.now();
				this.events.opened();
				this.registrationTimer = setTimeout(() => {
					connection.destroy(`no welcome from the server ${registrationWaitMs / 1000} s after connecting`, false);
				}, registrationWaitMs);
			},
			line: line => {
				this.lastHeard = Date.now();
				const message = parseMessage(line);
				try {
					if (message !== undefined) {
						this.events.message(message);
					}
				} catch (error) {
					if (this.oddLines.take()) {
						this.events.dropped(error instanceof Error ? error.message : String(error));
					}
				}
			},
			close: (reason, fatal) => {
				if (this.connection === connection) {
					this.connection = undefined;
					clearTimeout(this.registrationTimer);
					this.events.ended(reason, fatal);
				}
			},
		}, ca);
		this.connection = connection;
	}

	/** Registered: the welcome came in time. */
	welcomed(): void {
		clearTimeout(this.registrationTimer);
	}

	write(line: string): void {
		this.connection?.write(line);
	}

	/** Ends after what was written (a QUIT) has gone out. */
	end(): void {
		this.connection?.end();
	}

	destroy(reason: string): void {
		this.connection?.destroy(reason);
	}

	stop(): void {
		clearTimeout(this.registrationTimer);
		clearInterval(this.keepAlive);
	}

	private checkAlive(): void {
		if (!this.events.registered() || this.connection === undefined) {
			return;
		}

		const silent = Date.now() - this.lastHeard;
		if (silent > deadAfterMs) {
			this.connection.destroy(`no answer for ${Math.round(silent / 1000)} s`, false);
		} else if (silent > pingAfterMs) {
			this.events.ping();
		}
	}
}
