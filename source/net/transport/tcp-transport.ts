import {EventEmitter, once} from 'node:events';
import {createServer, Socket, type Server} from 'node:net';
import {inspectHook} from '../inspect/hook.js';
import {endpointLabel} from './address.js';
import {LineDecoder} from './line-decoder.js';
import {errorCode} from './errors.js';
import {localOf, tapEvent, type TappedConnection} from './tcp-tap.js';

export type TcpDirection = 'in' | 'out';

export type TcpConnection = {
	readonly id: number;
	readonly direction: TcpDirection;
	/** The remote end as people write it: 127.0.0.1:40312 or [::1]:7852. */
	readonly label: string;
	readonly remoteAddress: string;
	readonly remotePort: number;
};

export type TcpTransportEvents = {
	open: [connection: TcpConnection];
	/** terminated is false for text the connection's close ended, without a newline. */
	message: [text: string, connection: TcpConnection, terminated: boolean];
	close: [connection: TcpConnection, error: Error | undefined];
	/** A congested connection (see congested()) emptied its send buffer. */
	drain: [connection: TcpConnection];
	/** A connection to us over the limits, closed at once. */
	turnedAway: [address: string];
	error: [error: Error];
};

type Entry = TappedConnection & {readonly info: TcpConnection; error: Error | undefined};

const closeGraceMs = 500;
/** Bytes waiting in a socket's send buffer beyond which we stop writing messages to it until it drains. */
const highWaterBytes = 1024 * 1024;
/** Bytes of anything (acknowledgements and greetings too) a peer may leave unread before it is dropped. */
export const maxUnreadBytes = 4 * 1024 * 1024;

/** Connections to us at once, in all and from one host: beyond these a newcomer is closed at once. */
export const maxIncoming = {total: 512, perHost: 64};

/** The error a connection closes with when we dropped it for not reading. */
export function isDroppedForNotReading(error: unknown): boolean {
	return (error as {dropped?: unknown} | undefined)?.dropped === true;
}

/**
 * A node:net server plus outgoing connections, all speaking newline-delimited text.
 * Every socket error becomes an event; none is thrown.
 */
export class TcpTransport extends EventEmitter<TcpTransportEvents> {
	private server: Server | undefined;
	private ipv6Server: Server | undefined;
	private readonly connections = new Map<number, Entry>();
	private nextId = 1;
	private closed = false;

	constructor(
		private readonly maxLineBytes?: number,
		/** An encoding for every connection, or a line's decoding asked per connection (a conversation's encoding). */
		private readonly encoding: string | ((bytes: Buffer, connection: TcpConnection) => string) = 'utf-8',
	) {
		super();
	}

	get port(): number | undefined {
		const address = this.server?.address();
		return typeof address === 'object' && address !== null ? address.port : undefined;
	}

	get connectionCount(): number {
		return this.connections.size;
	}

	/**
	 * Listens on the port: on the address given, or on IPv4 and then, not awaited, IPv6 beside it (parsing
	 * "::" costs Node a few ms that are better spent after the first frame).
	 */
	async listen(port: number, address?: string): Promise<number> {
		this.server = await this.listenOn(port, address ?? '0.0.0.0', false);
		const bound = this.port ?? port;
		if (address === undefined) {
			void this.listenOn(bound, '::', true).then(
				server => {
					this.ipv6Server = server;
				},
				() => undefined,
			);
		}

		return bound;
	}

	private async listenOn(port: number, host: string, ipv6Only: boolean): Promise<Server> {
		const server = createServer(socket => {
			this.adopt(socket, 'in');
		});
		server.listen({port, host, exclusive: true, ipv6Only});
		try {
			await once(server, 'listening');
		} catch (error) {
			server.close();
			throw error;
		}

		if (this.closed || (ipv6Only && this.server === undefined)) {
			server.close();
			throw new Error('closed while listening');
		}

		server.on('error', error => this.emit('error', error));
		return server;
	}

	/** Resolves once connected; rejects with the socket's error (ECONNREFUSED, EHOSTUNREACH, ...). */
	async connect(address: string, port: number, timeoutMs = 10_000): Promise<TcpConnection> {
		const socket = new Socket();
		socket.setTimeout(timeoutMs);
		const timedOut = once(socket, 'timeout').then(() => {
			throw Object.assign(new Error(`connect ETIMEDOUT ${endpointLabel(address, port)}`), {code: 'ETIMEDOUT'});
		});
		socket.connect({port, host: address});
		try {
			await Promise.race([once(socket, 'connect'), timedOut]);
		} catch (error) {
			socket.destroy();
			inspectHook.tap?.event('tcp', 'out', '-', endpointLabel(address, port), 'error', errorCode(error));
			throw error;
		} finally {
			timedOut.catch(() => undefined);
			socket.setTimeout(0);
		}

		return this.adopt(socket, 'out');
	}

	async write(id: number, data: Uint8Array | string): Promise<void> {
		const entry = this.connections.get(id);
		if (entry === undefined || entry.socket.destroyed || !entry.socket.writable) {
			throw Object.assign(new Error('the TCP connection is closed'), {code: 'EPIPE'});
		}

		if (entry.socket.writableLength > maxUnreadBytes) {
			// Every write counts, control lines too: a peer that never reads cannot make us hold more.
			entry.error = Object.assign(new Error(`it left ${maxUnreadBytes / 1024 / 1024} MiB unread`), {code: 'EAGAIN', dropped: true});
			entry.socket.destroy();
			throw entry.error;
		}

		inspectHook.tap?.data('tcp', 'out', localOf(entry), entry.info.label, typeof data === 'string' ? Buffer.from(data) : data);
		await new Promise<void>((resolve, reject) => {
			entry.socket.write(data, error => {
				if (error) {
					reject(error);
				} else {
					resolve();
				}
			});
		});
	}

	/** True while the peer is not reading fast enough: write nothing more until 'drain'. */
	congested(id: number): boolean {
		const socket = this.connections.get(id)?.socket;
		return socket !== undefined && socket.writableLength > highWaterBytes;
	}

	/** Stops the server but keeps connections; used when the UDP half of a port could not be had. */
	unlisten(): void {
		this.server?.close();
		this.ipv6Server?.close();
		this.server = undefined;
		this.ipv6Server = undefined;
	}

	disconnect(id: number): void {
		const entry = this.connections.get(id);
		if (entry) {
			entry.socket.end();
			setTimeout(() => entry.socket.destroy(), closeGraceMs).unref();
		}
	}

	/**
	 * Ends every connection after what is written (a FIN, not a reset) and waits, waitMs at most, for each peer
	 * to close its side too; then close(). A peer still writing to us (a greeting back) gets no ECONNRESET.
	 */
	async end(waitMs: number): Promise<void> {
		const closing = [...this.connections.values()].map(async ({socket}) => new Promise<void>(resolve => {
			if (socket.destroyed) {
				resolve();
				return;
			}

			socket.once('close', () => {
				resolve();
			});
			socket.end();
		}));
		await Promise.race([Promise.all(closing), new Promise(resolve => setTimeout(resolve, waitMs).unref())]);
		this.close();
	}

	close(): void {
		if (this.closed) {
			return;
		}

		this.closed = true;
		this.server?.close();
		this.ipv6Server?.close();
		for (const {socket} of this.connections.values()) {
			socket.destroy();
		}

		this.connections.clear();
	}

	private overLimits(remoteAddress: string): boolean {
		let total = 0;
		let fromHost = 0;
		for (const {info} of this.connections.values()) {
			if (info.direction === 'in') {
				total++;
				fromHost += info.remoteAddress === remoteAddress ? 1 : 0;
			}
		}

		return total >= maxIncoming.total || fromHost >= maxIncoming.perHost;
	}

	private adopt(socket: Socket, direction: TcpDirection): TcpConnection {
		const remoteAddress = socket.remoteAddress ?? '?';
		const remotePort = socket.remotePort ?? 0;
		const info: TcpConnection = {
			id: this.nextId++,
			direction,
			label: endpointLabel(remoteAddress, remotePort),
			remoteAddress,
			remotePort,
		};
		if (this.closed) {
			socket.destroy();
			return info;
		}

		if (direction === 'in' && this.overLimits(remoteAddress)) {
			// So many connections cannot all be people: file descriptors and memory stay for the ones we have.
			socket.destroy();
			this.emit('turnedAway', remoteAddress);
			return info;
		}

		const {encoding} = this;
		const decoder = new LineDecoder(this.maxLineBytes, typeof encoding === 'string' ? encoding : bytes => encoding(bytes, info));
		const entry: Entry = {info, socket, error: undefined};
		socket.setNoDelay(true);
		socket.on('data', chunk => {
			inspectHook.tap?.data('tcp', 'in', localOf(entry), info.label, chunk);
			for (const line of decoder.push(chunk)) {
				this.emit('message', line, info, true);
			}
		});
		socket.on('end', () => {
			tapEvent(entry, 'end');
			const lines = decoder.end();
			for (const [index, line] of lines.entries()) {
				this.emit('message', line, info, index < lines.length - 1 || !decoder.endedUnterminated);
			}
		});
		socket.on('error', error => {
			entry.error ??= error;
			tapEvent(entry, errorCode(error) === 'ECONNRESET' ? 'reset' : 'error', errorCode(error));
		});
		socket.on('drain', () => {
			this.emit('drain', info);
		});
		socket.on('close', () => {
			tapEvent(entry, 'close', errorCode(entry.error));
			if (this.connections.delete(info.id)) {
				this.emit('close', info, entry.error);
			}
		});
		this.connections.set(info.id, entry);
		tapEvent(entry, direction === 'in' ? 'accept' : 'connect');
		this.emit('open', info);
		return info;
	}
}
