import {EventEmitter} from 'node:events';
import {formatEndpoint, type Endpoint} from '../../domain/endpoint.js';
import {resolveAll} from './address.js';
import type {TcpLinkState} from '../../domain/snapshot.js';
import type {TcpConnection, TcpTransport} from './tcp-transport.js';

/** A connection that lasts this long resets the backoff. */
const stableMs = 5000;

export type TcpLinkEvents = {
	connected: [connection: TcpConnection];
	failed: [error: unknown];
	state: [];
};

export type TcpLinkOptions = {
	readonly baseDelayMs: number;
	readonly maxDelayMs: number;
	/** Asked before each retry: a link nobody needs any more stops trying. */
	readonly wanted: () => boolean;
};

/** An outgoing TCP connection to one endpoint that redials with exponential backoff when it drops. */
export class TcpLink extends EventEmitter<TcpLinkEvents> {
	state: TcpLinkState = 'idle';
	connection: TcpConnection | undefined;
	retryAt: number | undefined;
	private delayMs: number;
	private connectedAt = 0;
	private timer: NodeJS.Timeout | undefined;
	private stopped = false;

	constructor(
		readonly endpoint: Endpoint,
		private readonly tcp: TcpTransport,
		private readonly options: TcpLinkOptions,
	) {
		super();
		this.delayMs = options.baseDelayMs;
	}

	get label(): string {
		return formatEndpoint(this.endpoint);
	}

	/** Dials now, unless already connected or dialling. */
	connect(): void {
		if (this.stopped || this.state === 'connecting' || this.state === 'connected') {
			return;
		}

		// Dialling before the backoff is up (someone on that host just connected) does not lengthen it.
		const early = this.state === 'retrying';
		this.clearTimer();
		this.setState('connecting');
		this.retryAt = undefined;
		resolveAll(this.endpoint)
			.then(async addresses => this.dialEach(addresses))
			.then(
				connection => {
					if (this.stopped) {
						this.tcp.disconnect(connection.id);
						return;
					}

					this.connection = connection;
					this.connectedAt = Date.now();
					this.setState('connected');
					this.emit('connected', connection);
				},
				(error: unknown) => {
					if (this.stopped) {
						return;
					}

					if (early) {
						this.delayMs = Math.max(this.options.baseDelayMs, this.delayMs / 2);
					}

					this.retry();
					// After retry(), so the line can say when the next try is (retryAt).
					this.emit('failed', error);
				},
			);
	}

	/** Each address the name resolved to in turn, as nc does; the first one's error if none answers. */
	private async dialEach(addresses: ReadonlyArray<{readonly address: string; readonly port: number}>): Promise<TcpConnection> {
		let first: unknown;
		for (const {address, port} of addresses) {
			try {
				// eslint-disable-next-line no-await-in-loop
				return await this.tcp.connect(address, port);
			} catch (error) {
				first ??= error;
				if (this.stopped) {
					break;
				}
			}
		}

		throw first;
	}

	/** The connection closed: try again after the backoff, if still wanted. */
	lost(): void {
		this.connection = undefined;
		this.retry();
	}

	stop(): void {
		this.stopped = true;
		this.clearTimer();
		if (this.connection) {
			this.tcp.disconnect(this.connection.id);
			this.connection = undefined;
		}

		this.state = 'idle';
	}

	private retry(): void {
		this.connection = undefined;
		if (this.connectedAt > 0 && Date.now() - this.connectedAt > stableMs) {
			// The connection held for a while: the peer was really back, so start the backoff afresh. One that
			// accepts and drops at once (a proxy with nothing behind it) keeps backing off.
			this.delayMs = this.options.baseDelayMs;
		}

		this.connectedAt = 0;
		if (this.stopped || !this.options.wanted()) {
			this.retryAt = undefined;
			this.setState('idle');
			return;
		}

		this.retryAt = Date.now() + this.delayMs;
		this.timer = setTimeout(() => {
			this.timer = undefined;
			this.state = 'idle';
			this.connect();
		}, this.delayMs);
		this.delayMs = Math.min(this.delayMs * 2, this.options.maxDelayMs);
		this.setState('retrying');
	}

	private clearTimer(): void {
		if (this.timer) {
			clearTimeout(this.timer);
			this.timer = undefined;
		}
	}

	private setState(state: TcpLinkState): void {
		this.state = state;
		this.emit('state');
	}
}
