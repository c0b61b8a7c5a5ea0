import type {RemoteInfo} from 'node:dgram';
import {formatEndpoint, type ChatOptions, type Endpoint, type Protocol} from '../options.js';
import {plainAddress, resolveEndpoint} from './address.js';
import {ChatLog} from './chat-log.js';
import type {ChatLine, ChatSnapshot, Delivery, PeerSummary, TcpLinkState} from './chat-line.js';
import {errorCode, explainError} from './errors.js';
import {PeerBook, peerAddress, peerEndpoint, peerName, type Peer} from './peers.js';
import {sanitize} from './sanitize.js';
import {splitForDatagram} from './split-datagram.js';
import {TcpTransport, type TcpConnection} from './tcp-transport.js';
import {loadCodec, utf8Codec, type Encoding, type TextCodec} from './text-codec.js';
import {UdpTransport} from './udp-transport.js';
import {formatGreeting, formatTagged, parseGreeting, parseNcatLine, parseTagged, type Greeting, type Tags} from './wire.js';

/** A start-up failure worth one line and a non-zero exit, like a busy --port. */
export class StartError extends Error {
	override name = 'StartError';
}

export type ChatServiceOptions = Pick<ChatOptions, 'port' | 'portExplicit' | 'peer' | 'protocol' | 'nick' | 'bind'> & {
	readonly encoding?: Encoding;
	/** The largest UDP datagram to send, newline included; longer messages are split. */
	readonly maxDatagram?: number;
	readonly logPath?: string;
	/** Lines kept in memory for the pane; older ones are dropped (the log keeps everything). */
	readonly historyLimit?: number;
	readonly frameMs?: number;
};

export type SendOptions = {readonly action?: boolean};

type OwnMessage = {readonly lineId: number; readonly text: string; readonly action: boolean};

type Target =
	| {readonly kind: 'endpoint'; readonly endpoint: Endpoint; readonly source: 'peer' | 'chosen'}
	| {readonly kind: 'peer'; readonly key: string};

type Destination =
	| {readonly kind: 'udp'; readonly endpoint: Endpoint}
	| {readonly kind: 'tcp'; readonly peer: Peer}
	| {readonly kind: 'link'; readonly endpoint: Endpoint};

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
/** Longer text is cut in the pane (the log keeps all of it): laying out megabytes would stall typing. */
const maxShownChars = 8192;

/**
 * The socket service: one UDP port and one TCP server on the same number, outgoing TCP links, the
 * peers, the active protocol and the message history. The UI reads it through subscribe/getSnapshot and
 * writes through send/setProtocol/...; it never touches a socket.
 */
export class ChatService {
	private readonly udp = new UdpTransport();
	private readonly tcp: TcpTransport;
	private readonly peers = new PeerBook();
	private readonly listeners = new Set<() => void>();
	private readonly lineListeners = new Set<(line: ChatLine) => void>();
	private readonly inFlight = new Set<Promise<unknown>>();
	/** Destinations that have had our greeting: "udp:host:port" or "tcp:id". */
	private readonly greeted = new Set<string>();
	private readonly historyLimit: number;
	private readonly frameMs: number;
	private readonly maxDatagram: number;
	private codec: TextCodec = utf8Codec;
	private log: ChatLog | undefined;
	private protocol: Protocol;
	private nick: string;
	private target: Target | undefined;
	private lastSenderKey: string | undefined;
	private link: TcpLink | undefined;
	private lines: ChatLine[] = [];
	private nextLineId = 1;
	private nextMessageId = 1;
	private countIn = 0;
	private countOut = 0;
	private localPort = 0;
	private portNote: string | undefined;
	private snapshot: ChatSnapshot;
	private flushTimer: NodeJS.Timeout | undefined;
	private lastFlush = 0;
	private closed = false;
	/** UDP sends go one after another, so a host name lookup never reorders messages. */
	private udpChain: Promise<void> = Promise.resolve();

	constructor(private readonly options: ChatServiceOptions) {
		this.protocol = options.protocol;
		this.nick = options.nick;
		this.target = options.peer ? {kind: 'endpoint', endpoint: options.peer, source: 'peer'} : undefined;
		this.historyLimit = options.historyLimit ?? 5000;
		this.frameMs = options.frameMs ?? 33;
		this.maxDatagram = options.maxDatagram ?? 1024;
		this.tcp = new TcpTransport(undefined, options.encoding === undefined || options.encoding === 'utf8' ? 'utf-8' : options.encoding);
		this.snapshot = this.buildSnapshot();
		this.udp.on('message', (data, remote) => {
			this.onDatagram(data, remote);
		});
		this.udp.on('error', error => {
			this.system(`UDP: ${explainError(error)}`, 'error');
		});
		this.tcp.on('open', connection => {
			this.onTcpOpen(connection);
		});
		this.tcp.on('message', (text, connection) => {
			const peer = this.peers.get(`tcp:${connection.id}`);
			if (peer) {
				this.onLine(peer, text);
			}
		});
		this.tcp.on('close', (connection, error) => {
			this.onTcpClose(connection, error);
		});
		this.tcp.on('error', error => {
			this.system(`TCP: ${explainError(error)}`, 'error');
		});
	}

	/** Binds UDP and TCP on one port (a busy default port gives way to a free one), opens the log. */
	async start(): Promise<void> {
		const {port, portExplicit, bind} = this.options;
		this.codec = await loadCodec(this.options.encoding ?? 'utf8');
		if (this.options.logPath !== undefined) {
			try {
				this.log = new ChatLog(this.options.logPath);
			} catch (error) {
				throw new StartError(`--log ${this.options.logPath}: cannot open it: ${explainError(error)}`);
			}
		}

		try {
			await this.bindBoth(port);
		} catch (error) {
			if (errorCode(error) !== 'EADDRINUSE' || portExplicit) {
				this.log?.close();
				throw new StartError(this.startMessage(error, port));
			}

			await this.bindFreePort(error);
			this.portNote = `port ${port} was busy`;
		}

		const where = bind === undefined ? 'all interfaces' : bind;
		const busy = this.portNote ? ` Port ${port} was busy, so a free one was taken.` : '';
		this.system(`Listening on UDP and TCP port ${this.localPort} (${where}).${busy} /help lists commands; Ctrl+T switches protocol.`);
		if (this.target?.kind === 'endpoint') {
			this.system(`Messages go to ${formatEndpoint(this.target.endpoint)} over ${this.protocol.toUpperCase()}.`);
		} else {
			this.system('No --peer given: replies go to whoever wrote last.');
		}

		if (this.protocol === 'tcp') {
			this.prepareTcp();
		}

		this.flush();
	}

	subscribe = (listener: () => void): (() => void) => {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	};

	getSnapshot = (): ChatSnapshot => this.snapshot;

	/** Every line as it is added, unbatched: for the pipe mode's stdout. */
	onLineAdded(listener: (line: ChatLine) => void): () => void {
		this.lineListeners.add(listener);
		return () => this.lineListeners.delete(listener);
	}

	/** Bytes the text takes in the chat's encoding: what recvfrom(1024) on the other side counts. */
	byteLength = (text: string): number => this.codec.byteLength(text);

	toggleProtocol(): void {
		this.setProtocol(this.protocol === 'udp' ? 'tcp' : 'udp');
	}

	setProtocol(protocol: Protocol): void {
		if (protocol === this.protocol) {
			this.system(`Protocol is already ${protocol.toUpperCase()}.`);
			return;
		}

		this.protocol = protocol;
		this.system(`Protocol is now ${protocol.toUpperCase()}.`);
		if (protocol === 'tcp') {
			this.prepareTcp();
		}

		this.changed();
	}

	setNick(nick: string): void {
		const old = this.nick;
		this.nick = nick;
		this.system(`You are now known as ${nick} (was ${old}).`);
		for (const peer of this.peers.list()) {
			if (peer.tnc) {
				this.greet(peer.key, peer.transport === 'tcp' ? {kind: 'tcp', peer} : {kind: 'udp', endpoint: {host: peer.host, port: peer.port}});
			}
		}

		this.changed();
	}

	/** /connect: messages go to this endpoint from now on. */
	connectTo(endpoint: Endpoint): void {
		this.target = {kind: 'endpoint', endpoint, source: 'chosen'};
		this.system(`Messages now go to ${formatEndpoint(endpoint)} over ${this.protocol.toUpperCase()}.`);
		if (this.protocol === 'tcp') {
			this.prepareTcp();
		}

		this.changed();
	}

	/** /query: messages go to a known peer, chosen by number, nick or address. */
	query(selector: string): boolean {
		const peer = this.peers.find(selector);
		if (peer === undefined) {
			this.system(`No peer "${sanitize(selector)}": /peers lists who is known.`, 'error');
			return false;
		}

		this.target = {kind: 'peer', key: peer.key};
		this.system(`Messages now go to ${peerName(peer)} (${peerAddress(peer)}).`);
		this.changed();
		return true;
	}

	showPeers(): void {
		const peers = this.peerSummaries();
		if (peers.length === 0) {
			this.system('No peers yet. Someone who writes to you, or a --peer you write to, shows up here.');
			return;
		}

		const now = Date.now();
		this.system(`${peers.length} ${peers.length === 1 ? 'peer' : 'peers'} (/query N chooses who gets your messages):`);
		for (const peer of peers) {
			const ago = Math.round((now - peer.lastHeard) / 1000);
			const kind = peer.tnc ? 'tui-netchat' : 'plain';
			this.system(`  ${peer.number}. ${peer.name} ${peer.address} ${peer.transport} ${kind}, last heard ${ago}s ago`);
		}
	}

	notice(text: string, level: 'info' | 'error' = 'info'): void {
		this.system(text, level);
	}

	clearHistory(): void {
		this.lines = [];
		this.changed();
	}

	send(rawText: string, {action = false}: SendOptions = {}): void {
		const text = rawText.replace(/[\r\n]+$/, '');
		if (text === '' || this.closed) {
			return;
		}

		const destination = this.destination();
		if (typeof destination === 'string') {
			this.system(destination, 'error');
			return;
		}

		const to = destination.kind === 'tcp' ? peerName(destination.peer) : formatEndpoint(destination.endpoint);
		const line = this.addOwnLine(destination.kind === 'udp' ? 'udp' : 'tcp', text, to, action);
		const message: OwnMessage = {lineId: line.id, text, action};
		switch (destination.kind) {
			case 'udp': {
				this.udpChain = this.udpChain.then(async () => this.sendUdp(destination.endpoint, message));
				this.track(this.udpChain);
				break;
			}

			case 'tcp': {
				this.track(this.writeTcp(destination.peer, message));
				break;
			}

			case 'link': {
				const link = this.prepareLink(destination.endpoint);
				link.queue.push(message);
				if (link.state === 'connected' && link.connection) {
					this.flushLink(link);
				} else if (link.state === 'retrying') {
					this.connectLink(link);
				}

				break;
			}
		}
	}

	/** Resolves once nothing is being sent: for the pipe mode and --send before they exit. */
	async drain(): Promise<void> {
		for (;;) {
			if (this.inFlight.size > 0) {
				// eslint-disable-next-line no-await-in-loop
				await Promise.allSettled([...this.inFlight]);
				continue;
			}

			const link = this.link;
			if (link && link.queue.length > 0 && (link.state === 'connecting' || link.state === 'connected')) {
				// eslint-disable-next-line no-await-in-loop
				await new Promise(resolve => {
					setTimeout(resolve, 10);
				});
				continue;
			}

			return;
		}
	}

	/** Own messages that did not go out: pending in a queue, or failed. */
	undelivered(): number {
		return this.lines.filter(line => line.kind === 'out' && line.delivery !== 'sent').length;
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
		this.log?.close();
		this.listeners.clear();
		this.lineListeners.clear();
	}

	// ---- start-up

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
				// eslint-disable-next-line no-await-in-loop
				await this.bindBoth(0);
				return;
			} catch (error) {
				lastError = error;
			}
		}

		throw new StartError(this.startMessage(lastError, 0));
	}

	private startMessage(error: unknown, port: number): string {
		switch (errorCode(error)) {
			case 'EADDRINUSE': {
				return `--port ${port}: the port is already in use (UDP or TCP); choose another, or leave --port out to take a free one`;
			}

			case 'EACCES': {
				return `--port ${port}: permission denied; ports below 1024 need privileges, use a higher one`;
			}

			case 'EADDRNOTAVAIL': {
				return `--bind ${this.options.bind ?? ''}: that address does not belong to this machine`;
			}

			default: {
				return `cannot listen on port ${port}: ${explainError(error)}`;
			}
		}
	}

	// ---- receiving

	private onDatagram(data: Buffer, remote: RemoteInfo): void {
		const peer = this.peers.udp(plainAddress(remote.address), remote.port);
		const text = this.codec.decode(data).replace(/\r?\n$/, '');
		for (const line of text.split(/\r?\n/)) {
			this.onLine(peer, line);
		}
	}

	private onTcpOpen(connection: TcpConnection): void {
		const peer = this.peers.tcp(connection.id, plainAddress(connection.remoteAddress), connection.remotePort, connection.direction);
		if (connection.direction === 'in') {
			this.system(`TCP: ${peerAddress(peer)} connected.`);
		}

		this.changed();
	}

	private onLine(peer: Peer, raw: string): void {
		peer.lastHeard = Date.now();
		const greeting = parseGreeting(raw);
		if (greeting) {
			this.onGreeting(peer, greeting);
			return;
		}

		if (peer.tnc) {
			const {tags, text} = parseTagged(raw);
			this.receive(peer, text, {action: tags['me'] === true});
			return;
		}

		if (peer.transport === 'tcp' && (peer.ncat || raw.startsWith('<announce> '))) {
			const ncat = parseNcatLine(raw);
			if (ncat?.kind === 'announce') {
				peer.ncat = true;
				this.system(`ncat: ${sanitize(ncat.text)}`);
				return;
			}

			if (ncat?.kind === 'message') {
				this.receive(peer, ncat.text, {from: ncat.user});
				return;
			}
		}

		this.receive(peer, raw, {});
	}

	private onGreeting(peer: Peer, greeting: Greeting): void {
		const nick = sanitize(greeting.nick);
		const old = peer.tnc ? peer.nick : undefined;
		peer.tnc = true;
		peer.nick = nick;
		peer.listenPort = greeting.port ?? peer.listenPort;
		// One instance can be a UDP peer and a TCP connection at once: announce it once.
		const sameInstance = this.peers
			.list()
			.some(other => other !== peer && other.tnc && other.host === peer.host && other.nick === nick && (other.listenPort ?? other.port) === greeting.port);
		if (old === undefined) {
			this.relabel(peerAddress(peer), nick);
			if (!sameInstance) {
				this.system(`${peerAddress(peer)} is ${nick}, on tui-netchat.`);
			}
		} else if (old !== nick && !sameInstance) {
			this.system(`${old} is now known as ${nick}.`);
		}

		this.lastSenderKey ??= peer.key;
		if (!this.greeted.has(peer.key)) {
			this.greet(peer.key, peer.transport === 'tcp' ? {kind: 'tcp', peer} : {kind: 'udp', endpoint: {host: peer.host, port: peer.port}});
		}

		this.changed();
	}

	/** Lines this peer sent before its greeting (its first message comes first) get its nick too. */
	private relabel(address: string, nick: string): void {
		for (let index = this.lines.length - 1; index >= Math.max(0, this.lines.length - 100); index--) {
			const line = this.lines[index];
			if (line?.kind === 'in' && line.address === address && line.from === address) {
				this.lines[index] = {...line, from: nick};
			}
		}
	}

	private receive(peer: Peer, text: string, {action = false, from}: {action?: boolean; from?: string}): void {
		this.lastSenderKey = peer.key;
		this.countIn++;
		const shown = text.length > maxShownChars ? `${text.slice(0, maxShownChars)} [… ${text.length - maxShownChars} more characters${this.log ? ' in the log' : ''}]` : text;
		this.append(
			{
				id: this.nextLineId++,
				time: Date.now(),
				kind: 'in',
				transport: peer.transport,
				from: sanitize(from ?? peerName(peer)),
				address: peerAddress(peer),
				text: sanitize(shown),
				action,
			},
			text === shown ? undefined : sanitize(text),
		);
	}

	private onTcpClose(connection: TcpConnection, error: Error | undefined): void {
		if (this.closed) {
			return;
		}

		const key = `tcp:${connection.id}`;
		const peer = this.peers.get(key);
		this.peers.remove(key);
		this.greeted.delete(key);
		if (this.lastSenderKey === key) {
			this.lastSenderKey = this.peers.list().sort((a, b) => b.lastHeard - a.lastHeard)[0]?.key;
		}

		const who = peer ? `${peerName(peer)} (${peerAddress(peer)})` : connection.label;
		const why = error ? `: ${explainError(error)}` : '';
		this.system(`TCP: ${who} closed the connection${why}.`, error ? 'error' : 'info');
		if (this.target?.kind === 'peer' && this.target.key === key) {
			const endpoint = peer ? peerEndpoint(peer) : undefined;
			this.target = endpoint ? {kind: 'endpoint', endpoint, source: 'chosen'} : undefined;
		}

		if (this.link?.connection?.id === connection.id) {
			this.scheduleRetry(this.link);
		}

		this.changed();
	}

	// ---- sending

	/** Where the next message goes, or why it cannot go anywhere. */
	private destination(): Destination | string {
		let peer: Peer | undefined;
		let endpoint: Endpoint | undefined;
		if (this.target?.kind === 'endpoint') {
			endpoint = this.target.endpoint;
		} else {
			peer = this.peers.get(this.target?.kind === 'peer' ? this.target.key : this.lastSenderKey);
			endpoint = peer ? peerEndpoint(peer) : undefined;
			if (peer === undefined) {
				return 'Nobody to send to yet: start with --peer HOST:PORT, /connect HOST:PORT, or wait until someone writes to you.';
			}
		}

		if (this.protocol === 'udp') {
			return endpoint
				? {kind: 'udp', endpoint}
				: `${peer ? peerName(peer) : 'That peer'} can only be reached over its TCP connection: Ctrl+T switches to TCP.`;
		}

		if (peer?.transport === 'tcp') {
			return {kind: 'tcp', peer};
		}

		const open = endpoint ? this.peers.connectionTo(endpoint) : undefined;
		if (open) {
			return {kind: 'tcp', peer: open};
		}

		return endpoint ? {kind: 'link', endpoint} : 'Nobody to send to over TCP.';
	}

	private wireText(message: OwnMessage, tnc: boolean): {tags: Tags; text: string} {
		if (!tnc) {
			return {tags: {}, text: message.action ? `* ${this.nick} ${message.text}` : message.text};
		}

		return {tags: message.action ? {id: String(this.nextMessageId++), me: true} : {id: String(this.nextMessageId++)}, text: message.text};
	}

	private async sendUdp(endpoint: Endpoint, message: OwnMessage): Promise<void> {
		try {
			const resolved = await resolveEndpoint(endpoint);
			const key = `udp:${formatEndpoint({host: resolved.address, port: resolved.port})}`;
			const tnc = this.peers.get(key)?.tnc ?? false;
			const {tags, text} = this.wireText(message, tnc);
			const prefix = formatTagged({tags, text: 'x'}).length - 1;
			for (const piece of splitForDatagram(text, this.maxDatagram - 1 - prefix, this.codec.byteLength)) {
				// eslint-disable-next-line no-await-in-loop
				await this.udp.send(this.codec.encode(`${formatTagged({tags, text: piece})}\n`), resolved.address, resolved.port);
			}

			this.delivered(message.lineId, 'sent');
			if (!tnc && !this.greeted.has(key)) {
				this.greet(key, {kind: 'udp', endpoint: {host: resolved.address, port: resolved.port}});
			}
		} catch (error) {
			this.delivered(message.lineId, 'failed');
			this.system(`UDP to ${formatEndpoint(endpoint)}: ${explainError(error)}`, 'error');
		}
	}

	private async writeTcp(peer: Peer, message: OwnMessage): Promise<void> {
		const id = peer.connectionId ?? -1;
		try {
			const wire = this.wireText(message, peer.tnc);
			await this.tcp.write(id, this.codec.encode(`${formatTagged(wire)}\n`));
			this.delivered(message.lineId, 'sent');
			if (!peer.tnc && !this.greeted.has(peer.key)) {
				this.greet(peer.key, {kind: 'tcp', peer});
			}
		} catch (error) {
			this.delivered(message.lineId, 'failed');
			this.system(`TCP to ${peerName(peer)}: ${explainError(error)}`, 'error');
		}
	}

	/** Our one greeting line to a destination: plain peers read it; tui-netchat peers learn our nick. */
	private greet(key: string, destination: {kind: 'udp'; endpoint: Endpoint} | {kind: 'tcp'; peer: Peer}): void {
		this.greeted.add(key);
		const payload = this.codec.encode(`${formatGreeting(this.nick, this.localPort)}\n`);
		const sent =
			destination.kind === 'udp'
				? this.udp.send(payload, destination.endpoint.host, destination.endpoint.port)
				: this.tcp.write(destination.peer.connectionId ?? -1, payload);
		this.track(sent.catch(() => undefined));
	}

	private track(promise: Promise<unknown>): void {
		this.inFlight.add(promise);
		void promise.finally(() => this.inFlight.delete(promise));
	}

	// ---- the outgoing TCP link

	/** With TCP active, dial the target now rather than at the first message. */
	private prepareTcp(): void {
		const destination = this.destination();
		if (typeof destination !== 'string' && destination.kind === 'link') {
			this.prepareLink(destination.endpoint);
		}
	}

	private prepareLink(endpoint: Endpoint): TcpLink {
		if (this.link && formatEndpoint(this.link.endpoint) === formatEndpoint(endpoint)) {
			if (this.link.state === 'idle') {
				this.connectLink(this.link);
			}

			return this.link;
		}

		this.dropLink();
		const link: TcpLink = {endpoint, state: 'idle', connection: undefined, queue: [], retryDelayMs: 1000, retryAt: undefined, timer: undefined};
		this.link = link;
		this.connectLink(link);
		return link;
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
					this.flushLink(link);
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

	private flushLink(link: TcpLink): void {
		const peer = link.connection ? this.peers.get(`tcp:${link.connection.id}`) : undefined;
		if (peer === undefined) {
			return;
		}

		const queued = link.queue;
		link.queue = [];
		this.track(
			(async () => {
				for (const message of queued) {
					// eslint-disable-next-line no-await-in-loop
					await this.writeTcp(peer, message);
				}
			})(),
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
			this.delivered(message.lineId, 'failed');
		}

		this.link = undefined;
	}

	// ---- history and snapshot

	private addOwnLine(transport: Protocol, text: string, to: string, action: boolean): ChatLine {
		const line: ChatLine = {id: this.nextLineId++, time: Date.now(), kind: 'out', transport, from: this.nick, to, text: sanitize(text), delivery: 'pending', action};
		this.append(line);
		return line;
	}

	private delivered(id: number, delivery: Delivery): void {
		if (delivery === 'sent') {
			this.countOut++;
		}

		for (let index = this.lines.length - 1; index >= 0; index--) {
			const line = this.lines[index];
			if (line?.id === id) {
				if (line.kind === 'out') {
					this.lines[index] = {...line, delivery};
				}

				break;
			}
		}

		this.changed();
	}

	private system(text: string, level: 'info' | 'error' = 'info'): void {
		this.append({id: this.nextLineId++, time: Date.now(), kind: 'system', level, text: sanitize(text)});
	}

	/** The log gets the line (whole) before the screen does. */
	private append(line: ChatLine, fullText?: string): void {
		this.log?.write(fullText === undefined || line.kind === 'system' ? line : {...line, text: fullText});
		this.lines.push(line);
		if (this.lines.length > this.historyLimit * 1.25) {
			this.lines = this.lines.slice(-this.historyLimit);
		}

		for (const listener of this.lineListeners) {
			listener(line);
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

	private peerSummaries(): PeerSummary[] {
		return this.peers
			.list()
			.sort((a, b) => a.number - b.number)
			.map(peer => ({number: peer.number, name: peerName(peer), address: peerAddress(peer), transport: peer.transport, lastHeard: peer.lastHeard, tnc: peer.tnc}));
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
			peers: this.peerSummaries(),
			encoding: this.codec.encoding,
			maxDatagram: this.maxDatagram,
			lines: this.lines.slice(),
		};
	}

	private describeTarget(): {label: string; source: ChatSnapshot['targetSource']} | undefined {
		if (this.target?.kind === 'endpoint') {
			const open = this.peers.connectionTo(this.target.endpoint);
			const label = formatEndpoint(this.target.endpoint);
			return {label: open?.nick ? `${open.nick} (${label})` : label, source: this.target.source};
		}

		const peer = this.peers.get(this.target?.kind === 'peer' ? this.target.key : this.lastSenderKey);
		if (peer === undefined) {
			return undefined;
		}

		const endpoint = this.protocol === 'udp' ? peerEndpoint(peer) : undefined;
		const address = endpoint ? formatEndpoint(endpoint) : peerAddress(peer);
		const label = peer.nick ? `${peer.nick} (${address})` : address;
		return {label, source: this.target?.kind === 'peer' ? 'chosen' : 'last-sender'};
	}
}
