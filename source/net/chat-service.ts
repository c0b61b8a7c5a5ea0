import type {RemoteInfo} from 'node:dgram';
import {formatEndpoint, type ChatOptions, type Endpoint, type Protocol} from '../options.js';
import {endpointLabel, plainAddress, resolveEndpoint} from './address.js';
import type {ChatLine, ChatSnapshot, Delivery, TcpLinkState} from './chat-line.js';
import {errorCode, explainError} from './errors.js';
import {sanitize} from './sanitize.js';
import {TcpTransport, type TcpConnection} from './tcp-transport.js';
import {UdpTransport} from './udp-transport.js';

/** A start-up failure worth one line and a non-zero exit, like a busy --port. */
export class StartError extends Error {
	override name = 'StartError';
}

export type ChatServiceOptions = Pick<ChatOptions, 'port' | 'portExplicit' | 'peer' | 'protocol' | 'nick' | 'bind'> & {
	/** Lines kept in memory for the pane; older ones are dropped. */
	readonly historyLimit?: number;
	readonly frameMs?: number;
};

type OwnMessage = {readonly id: number; readonly text: string};

type TcpLink = {
	readonly endpoint: Endpoint;
	state: TcpLinkState;
	connection: TcpConnection | undefined;
	queue: OwnMessage[];
	retryDelayMs: number;
	retryAt: number | undefined;
	timer: NodeJS.Timeout | undefined;
};

const autoPortAttempts = 20;
const maxRetryDelayMs = 30_000;

/**
 * The socket service: one UDP port and one TCP server on the same number, outgoing TCP links, the
 * active protocol and the message history. The UI reads it through subscribe/getSnapshot and writes
 * through send/toggleProtocol; it never touches a socket.
 */
export class ChatService {
	private readonly udp = new UdpTransport();
	private readonly tcp = new TcpTransport();
	private readonly listeners = new Set<() => void>();
	private readonly historyLimit: number;
	private readonly frameMs: number;
	private protocol: Protocol;
	private readonly nick: string;
	private peer: Endpoint | undefined;
	private lastUdpSender: Endpoint | undefined;
	private lastTcpSenderId: number | undefined;
	private link: TcpLink | undefined;
	private lines: ChatLine[] = [];
	private nextLineId = 1;
	private countIn = 0;
	private countOut = 0;
	private localPort = 0;
	private portNote: string | undefined;
	private snapshot: ChatSnapshot;
	private flushTimer: NodeJS.Timeout | undefined;
	private lastFlush = 0;
	private closed = false;

	constructor(private readonly options: ChatServiceOptions) {
		this.protocol = options.protocol;
		this.nick = options.nick;
		this.peer = options.peer;
		this.historyLimit = options.historyLimit ?? 5000;
		this.frameMs = options.frameMs ?? 33;
		this.snapshot = this.buildSnapshot();
		this.udp.on('message', (data, remote) => {
			this.onDatagram(data, remote);
		});
		this.udp.on('error', error => {
			this.system(`UDP: ${explainError(error)}`, 'error');
		});
		this.tcp.on('message', (text, connection) => {
			this.onTcpLine(text, connection);
		});
		this.tcp.on('open', connection => {
			if (connection.direction === 'in') {
				this.system(`TCP: ${connection.label} connected`);
			}

			this.changed();
		});
		this.tcp.on('close', (connection, error) => {
			this.onTcpClose(connection, error);
		});
		this.tcp.on('error', error => {
			this.system(`TCP: ${explainError(error)}`, 'error');
		});
	}

	/** Binds UDP and TCP on one port; a busy default port gives way to a free one. */
	async start(): Promise<void> {
		const {port, portExplicit, bind} = this.options;
		try {
			await this.bindBoth(port);
		} catch (error) {
			if (errorCode(error) !== 'EADDRINUSE' || portExplicit) {
				throw new StartError(this.startMessage(error, port));
			}

			await this.bindFreePort(error);
			this.portNote = `port ${port} was busy`;
		}

		const where = bind === undefined ? 'all interfaces' : bind;
		this.system(
			`Listening on UDP and TCP port ${this.localPort} (${where}). ${this.portNote ? `Port ${port} was busy. ` : ''}Ctrl+T switches protocol, Ctrl+C quits.`,
		);
		if (this.peer) {
			this.system(`Messages go to ${formatEndpoint(this.peer)} over ${this.protocol.toUpperCase()}.`);
		} else {
			this.system('No --peer given: replies go to whoever wrote last.');
		}

		if (this.protocol === 'tcp') {
			this.prepareTcpLink();
		}

		this.flush();
	}

	subscribe = (listener: () => void): (() => void) => {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	};

	getSnapshot = (): ChatSnapshot => this.snapshot;

	toggleProtocol(): void {
		this.setProtocol(this.protocol === 'udp' ? 'tcp' : 'udp');
	}

	setProtocol(protocol: Protocol): void {
		if (protocol === this.protocol) {
			return;
		}

		this.protocol = protocol;
		this.system(`Protocol is now ${protocol.toUpperCase()}.`);
		if (protocol === 'tcp') {
			this.prepareTcpLink();
		}

		this.changed();
	}

	send(rawText: string): void {
		const text = rawText.replace(/[\r\n]+$/, '');
		if (text === '' || this.closed) {
			return;
		}

		if (this.protocol === 'udp') {
			this.sendUdp(text);
		} else {
			this.sendTcp(text);
		}
	}

	async close(): Promise<void> {
		if (this.closed) {
			return;
		}

		this.closed = true;
		if (this.flushTimer) {
			clearTimeout(this.flushTimer);
			this.flushTimer = undefined;
		}

		this.dropLink();
		this.udp.close();
		this.tcp.close();
		this.listeners.clear();
	}

	private async bindBoth(port: number): Promise<void> {
		const {bind} = this.options;
		const tcpPort = await this.tcp.listen(port, bind);
		try {
			await this.udp.bind(tcpPort, bind);
		} catch (error) {
			this.tcp.unlisten();
			throw error;
		}

		this.localPort = tcpPort;
	}

	private async bindFreePort(firstError: unknown): Promise<void> {
		let lastError = firstError;
		for (let attempt = 0; attempt < autoPortAttempts; attempt++) {
			try {
				await this.bindBoth(0);
				return;
			} catch (error) {
				lastError = error;
			}
		}

		throw new StartError(this.startMessage(lastError, 0));
	}

	private startMessage(error: unknown, port: number): string {
		const code = errorCode(error);
		const where = `${this.options.bind ?? ''}${this.options.bind ? ':' : 'port '}${port}`;
		if (code === 'EADDRINUSE') {
			return `--port ${port}: the port is already in use (UDP or TCP); choose another, or leave --port out to take a free one`;
		}

		if (code === 'EACCES') {
			return `--port ${port}: permission denied; ports below 1024 need privileges, use a higher one`;
		}

		if (code === 'EADDRNOTAVAIL') {
			return `--bind ${this.options.bind ?? ''}: that address does not belong to this machine`;
		}

		return `cannot listen on ${where}: ${explainError(error)}`;
	}

	private onDatagram(data: Buffer, remote: RemoteInfo): void {
		this.lastUdpSender = {host: plainAddress(remote.address), port: remote.port};
		let text = new TextDecoder('utf-8').decode(data);
		if (text.endsWith('\n')) {
			text = text.slice(0, text.endsWith('\r\n') ? -2 : -1);
		}

		this.receive('udp', endpointLabel(remote.address, remote.port), text);
	}

	private onTcpLine(text: string, connection: TcpConnection): void {
		this.lastTcpSenderId = connection.id;
		this.receive('tcp', connection.label, text);
	}

	private receive(transport: Protocol, from: string, text: string): void {
		this.countIn++;
		this.append({id: this.nextLineId++, time: Date.now(), kind: 'in', transport, from: sanitize(from), text: sanitize(text)});
	}

	private sendUdp(text: string): void {
		const target = this.peer ?? this.lastUdpSender;
		if (target === undefined) {
			this.system('Nobody to send to yet: start with --peer HOST:PORT, or wait until someone writes to you.', 'error');
			return;
		}

		const line = this.ownLine('udp', text, formatEndpoint(target), 'pending');
		resolveEndpoint(target)
			.then(async resolved => this.udp.send(Buffer.from(`${text}\n`), resolved.address, resolved.port))
			.then(
				() => {
					this.countOut++;
					this.setDelivery(line.id, 'sent');
				},
				(error: unknown) => {
					this.setDelivery(line.id, 'failed');
					this.system(`UDP to ${formatEndpoint(target)}: ${explainError(error)}`, 'error');
				},
			);
	}

	private sendTcp(text: string): void {
		const connection = this.tcpConnectionTarget();
		if (connection) {
			const line = this.ownLine('tcp', text, connection.label, 'pending');
			this.writeTcp(connection, {id: line.id, text});
			return;
		}

		const link = this.prepareTcpLink();
		if (link === undefined) {
			this.system('Nobody to send to yet: start with --peer HOST:PORT, or wait until someone writes to you.', 'error');
			return;
		}

		const line = this.ownLine('tcp', text, formatEndpoint(link.endpoint), 'pending');
		if (link.state === 'connected' && link.connection) {
			this.writeTcp(link.connection, {id: line.id, text});
		} else {
			link.queue.push({id: line.id, text});
			if (link.state === 'retrying') {
				this.connectLink(link);
			}
		}
	}

	/** An existing connection to answer on, when there is no --peer: whoever wrote last over TCP. */
	private tcpConnectionTarget(): TcpConnection | undefined {
		if (this.peer) {
			return undefined;
		}

		const last = this.lastTcpSenderId === undefined ? undefined : this.tcp.get(this.lastTcpSenderId);
		if (last) {
			return last;
		}

		const open = this.tcp.list();
		return open.at(-1);
	}

	private writeTcp(connection: TcpConnection, message: OwnMessage): void {
		this.tcp.write(connection.id, `${message.text}\n`).then(
			() => {
				this.countOut++;
				this.setDelivery(message.id, 'sent');
			},
			(error: unknown) => {
				this.setDelivery(message.id, 'failed');
				this.system(`TCP to ${connection.label}: ${explainError(error)}`, 'error');
			},
		);
	}

	/** The outgoing link for TCP: to --peer, or else back to the last UDP sender's port. */
	private prepareTcpLink(): TcpLink | undefined {
		if (this.closed) {
			return undefined;
		}

		const endpoint = this.peer ?? (this.tcp.list().length === 0 ? this.lastUdpSender : undefined);
		if (endpoint === undefined) {
			return this.link;
		}

		if (this.link && formatEndpoint(this.link.endpoint) === formatEndpoint(endpoint)) {
			if (this.link.state === 'idle') {
				this.connectLink(this.link);
			}

			return this.link;
		}

		this.dropLink();
		this.link = {endpoint, state: 'idle', connection: undefined, queue: [], retryDelayMs: 1000, retryAt: undefined, timer: undefined};
		this.connectLink(this.link);
		return this.link;
	}

	private connectLink(link: TcpLink): void {
		if (link.timer) {
			clearTimeout(link.timer);
			link.timer = undefined;
		}

		link.state = 'connecting';
		link.retryAt = undefined;
		this.changed();
		const label = formatEndpoint(link.endpoint);
		resolveEndpoint(link.endpoint)
			.then(async resolved => this.tcp.connect(resolved.address, resolved.port))
			.then(
				connection => {
					if (this.link !== link || this.closed) {
						this.tcp.disconnect(connection.id);
						return;
					}

					link.state = 'connected';
					link.connection = connection;
					link.retryDelayMs = 1000;
					this.system(`TCP: connected to ${label}.`);
					const queued = link.queue;
					link.queue = [];
					for (const message of queued) {
						this.writeTcp(connection, message);
					}
				},
				(error: unknown) => {
					if (this.link !== link || this.closed) {
						return;
					}

					this.system(`TCP to ${label}: ${explainError(error)}`, 'error');
					this.scheduleRetry(link);
				},
			);
	}

	private scheduleRetry(link: TcpLink): void {
		link.connection = undefined;
		if (this.protocol !== 'tcp' && link.queue.length === 0) {
			link.state = 'idle';
			this.changed();
			return;
		}

		link.state = 'retrying';
		link.retryAt = Date.now() + link.retryDelayMs;
		link.timer = setTimeout(() => {
			link.timer = undefined;
			this.connectLink(link);
		}, link.retryDelayMs);
		link.retryDelayMs = Math.min(link.retryDelayMs * 2, maxRetryDelayMs);
		this.changed();
	}

	private dropLink(): void {
		const link = this.link;
		if (link === undefined) {
			return;
		}

		if (link.timer) {
			clearTimeout(link.timer);
		}

		if (link.connection) {
			this.tcp.disconnect(link.connection.id);
		}

		for (const message of link.queue) {
			this.setDelivery(message.id, 'failed');
		}

		this.link = undefined;
	}

	private onTcpClose(connection: TcpConnection, error: Error | undefined): void {
		if (this.closed) {
			return;
		}

		const why = error ? `: ${explainError(error)}` : '';
		this.system(`TCP: ${connection.label} closed the connection${why}.`, error ? 'error' : 'info');
		if (this.link?.connection?.id === connection.id) {
			this.scheduleRetry(this.link);
		}

		this.changed();
	}

	private ownLine(transport: Protocol, text: string, to: string, delivery: Delivery): ChatLine {
		const line: ChatLine = {id: this.nextLineId++, time: Date.now(), kind: 'out', transport, from: this.nick, to, text, delivery};
		this.append(line);
		return line;
	}

	private setDelivery(id: number, delivery: Delivery): void {
		for (let index = this.lines.length - 1; index >= 0; index--) {
			const line = this.lines[index];
			if (line?.id === id) {
				if (line.kind === 'out') {
					this.lines[index] = {...line, delivery};
					this.changed();
				}

				return;
			}
		}
	}

	private system(text: string, level: 'info' | 'error' = 'info'): void {
		this.append({id: this.nextLineId++, time: Date.now(), kind: 'system', level, text: sanitize(text)});
	}

	private append(line: ChatLine): void {
		this.lines.push(line);
		if (this.lines.length > this.historyLimit * 1.25) {
			this.lines = this.lines.slice(-this.historyLimit);
		}

		this.changed();
	}

	/** Listeners hear of changes at most once a frame, however fast datagrams arrive. */
	private changed(): void {
		if (this.closed || this.flushTimer) {
			return;
		}

		const wait = this.lastFlush + this.frameMs - Date.now();
		if (wait <= 0) {
			this.flush();
			return;
		}

		this.flushTimer = setTimeout(() => {
			this.flushTimer = undefined;
			this.flush();
		}, wait);
	}

	private flush(): void {
		this.lastFlush = Date.now();
		this.snapshot = this.buildSnapshot();
		for (const listener of this.listeners) {
			listener();
		}
	}

	private buildSnapshot(): ChatSnapshot {
		const target = this.describeTarget();
		return {
			protocol: this.protocol,
			nick: this.nick,
			localPort: this.localPort,
			portNote: this.portNote,
			target: target?.label,
			targetSource: target?.source ?? 'none',
			tcp: {
				link: this.link?.state ?? 'idle',
				retryInMs: this.link?.retryAt === undefined ? undefined : Math.max(0, this.link.retryAt - Date.now()),
				connections: this.tcp.list().length,
			},
			counts: {in: this.countIn, out: this.countOut},
			lines: this.lines.slice(),
		};
	}

	private describeTarget(): {label: string; source: 'peer' | 'last-sender'} | undefined {
		if (this.peer) {
			return {label: formatEndpoint(this.peer), source: 'peer'};
		}

		if (this.protocol === 'tcp') {
			const connection = this.tcpConnectionTarget();
			if (connection) {
				return {label: connection.label, source: 'last-sender'};
			}

			if (this.link) {
				return {label: formatEndpoint(this.link.endpoint), source: 'last-sender'};
			}
		}

		return this.lastUdpSender ? {label: formatEndpoint(this.lastUdpSender), source: 'last-sender'} : undefined;
	}
}
