import {randomBytes} from 'node:crypto';
import type {RemoteInfo} from 'node:dgram';
import {formatEndpoint, parseEndpoint, type Endpoint, type Protocol} from '../domain/endpoint.js';
import type {ChatOptions} from '../options.js';
import type {SendOptions} from '../domain/actions.js';
import {plainAddress, resolveEndpoint} from './transport/address.js';
import {ChatLog} from './history/chat-log.js';
import type {ChatLine, ChatSnapshot, PeerSummary} from '../domain/snapshot.js';
import {ChatStore, type StatusFields} from './history/history.js';
import {bindPort, StartError} from './transport/bind-port.js';
import {explainError} from './transport/errors.js';
import {FloodGate} from './session/flood-gate.js';
import {Outbox, type OutboxEntry} from './delivery/outbox.js';
import {OutboxFile, outboxPath, stateDirectory, type StoredOutbox} from './delivery/outbox-store.js';
import {PeerBook, peerAddress, peerEndpoint, peerName, tcpPeerKey, udpPeerKey, type Peer} from './session/peers.js';
import {Reassembler} from './session/reassembler.js';
import {sanitize} from './wire/sanitize.js';
import {createSealer, maxPlainBytes, sealedLength, type Sealer} from './wire/seal.js';
import {SeenIds} from './session/seen-ids.js';
import {splitForDatagram} from './wire/split-datagram.js';
import {TcpLink} from './transport/tcp-link.js';
import {TcpTransport, type TcpConnection} from './transport/tcp-transport.js';
import {loadCodec, utf8Codec, type Encoding, type TextCodec} from './wire/text-codec.js';
import {UdpTransport, wantedReceiveBuffer} from './transport/udp-transport.js';
import {formatGreeting, formatTagged, readIncoming, type Greeting, type Tags} from './wire/wire.js';

export {StartError} from './transport/bind-port.js';

export type ChatServiceOptions = Pick<ChatOptions, 'port' | 'portExplicit' | 'peer' | 'protocol' | 'nick' | 'bind'> & {
	readonly encoding?: Encoding;
	/** The largest UDP datagram to send, newline included; longer messages are split. */
	readonly maxDatagram?: number;
	readonly logPath?: string;
	/** Lines kept in memory for the pane; older ones are dropped (the log keeps everything). */
	readonly historyLimit?: number;
	readonly frameMs?: number;
	/** First TCP redial delay; it doubles up to 30 s. */
	readonly retryBaseMs?: number;
	/** First UDP retransmission delay for messages a tui-netchat peer has not acknowledged. */
	readonly retransmitBaseMs?: number;
	/** Where undelivered messages wait across restarts; false keeps them in memory only. */
	readonly stateDir?: string | false;
	/** Messages a peer may burst into the pane, and how many a second after that. */
	readonly floodBurst?: number;
	readonly floodPerSecond?: number;
	/** --secret: every exchange sealed (encrypted and authenticated) with a key derived from it. */
	readonly secret?: string;
};


type Target =
	| {readonly kind: 'endpoint'; readonly endpoint: Endpoint; readonly source: 'peer' | 'chosen'}
	| {readonly kind: 'peer'; readonly key: string};

type Destination =
	| {readonly kind: 'udp'; readonly endpoint: Endpoint}
	| {readonly kind: 'tcp'; readonly peer: Peer}
	| {readonly kind: 'link'; readonly endpoint: Endpoint};

const maxRetryDelayMs = 30_000;
const maxRetransmitDelayMs = 10_000;
/** tui-netchat peers remembered across restarts. */
const maxKnownPeers = 256;
/** Pieces a long UDP message may take; the receiver refuses more (reassembler.ts). */
const maxPieces = 128;
/** Longer text is cut in the pane (the log keeps all of it): laying out megabytes would stall typing. */
const maxShownChars = 8192;

/** "2/5" -> the second of five pieces. */
function parsePart(value: string): {index: number; count: number} | undefined {
	const match = /^(\d{1,4})\/(\d{1,4})$/.exec(value);
	const index = Number(match?.[1]) - 1;
	const count = Number(match?.[2]);
	return match && count >= 1 && index >= 0 && index < count ? {index, count} : undefined;
}

/** This run's prefix for message ids: ids stay unique across restarts and across peers. */
const session = randomBytes(6).toString('base64url');
let sequence = 0;

/** "<session>-<sequence number>": what acknowledgements, retransmission and de-duplication go by. */
/** "127.0.0.1:7852" or "[::1]:7852" back to an endpoint; undefined for anything else. */
function endpointFromLabel(label: string): Endpoint | undefined {
	try {
		return parseEndpoint(label, 'outbox');
	} catch {
		return undefined;
	}
}

function newMessageId(): string {
	sequence++;
	return `${session}-${sequence}`;
}

/**
 * The socket service: one UDP port and one TCP server on the same number, the outgoing TCP link, peers,
 * the active protocol and delivery (outbox, acknowledgements, retransmission). The UI reads it through
 * subscribe/getSnapshot and writes through send/setProtocol/...; it never touches a socket.
 */
export class ChatService {
	readonly subscribe: ChatStore['subscribe'];
	readonly getSnapshot: ChatStore['getSnapshot'];
	private readonly store: ChatStore;
	private readonly udp = new UdpTransport();
	private readonly tcp: TcpTransport;
	private readonly peers = new PeerBook();
	private readonly outbox = new Outbox();
	private readonly seen = new SeenIds();
	private readonly reassembler = new Reassembler();
	private readonly floodGate: FloodGate;
	private readonly inFlight = new Set<Promise<unknown>>();
	/** Destinations that have had our greeting: "udp:host:port" or "tcp:id". */
	private readonly greeted = new Set<string>();
	/** Peers greeted again because they wrote to us without tags. */
	private readonly regreeted = new Set<string>();
	/** Endpoints ("host:port") known to be tui-netchat peers, remembered across connections and restarts. */
	private readonly knownPeers = new Set<string>();
	/** UDP endpoints that answered with ICMP port unreachable, until they write again. */
	private readonly refusedEndpoints = new Set<string>();
	private readonly maxDatagram: number;
	private codec: TextCodec = utf8Codec;
	private readonly sealer: Sealer | undefined;
	private protocol: Protocol;
	private nick: string;
	private target: Target | undefined;
	private lastSenderKey: string | undefined;
	private link: TcpLink | undefined;
	private localPort = 0;
	private portNote: string | undefined;
	private outboxFile: OutboxFile | undefined;
	private retransmitTimer: NodeJS.Timeout | undefined;
	private floodTimer: NodeJS.Timeout | undefined;
	private countdown: NodeJS.Timeout | undefined;
	private closed = false;
	/** UDP sends go one after another, so a host name lookup never reorders messages. */
	private udpChain: Promise<void> = Promise.resolve();

	constructor(private readonly options: ChatServiceOptions) {
		this.protocol = options.protocol;
		this.nick = options.nick;
		this.target = options.peer ? {kind: 'endpoint', endpoint: options.peer, source: 'peer'} : undefined;
		this.maxDatagram = options.maxDatagram ?? 1024;
		this.floodGate = new FloodGate(options.floodBurst ?? 500, options.floodPerSecond ?? 200);
		// Deriving the key takes about 0.1 s, once.
		this.sealer = options.secret === undefined ? undefined : createSealer(options.secret);
		this.tcp = new TcpTransport(
			this.sealer ? sealedLength(64 * 1024) : undefined,
			// GB18030 decodes GBK too, and turns bad bytes into U+FFFD where Node's 'gbk' decoder drops them.
			options.encoding === undefined || options.encoding === 'utf8' || this.sealer ? 'utf-8' : 'gb18030',
		);
		this.store = new ChatStore(() => this.status(), options.historyLimit ?? 5000, options.frameMs ?? 33);
		this.subscribe = this.store.subscribe;
		this.getSnapshot = this.store.getSnapshot;
		this.udp.on('message', (data, remote) => {
			this.onDatagram(data, remote);
		});
		this.udp.on('error', error => {
			this.store.system(`UDP: ${explainError(error)}`, 'error');
		});
		this.udp.on('refused', (address, port) => {
			this.onUdpRefused(formatEndpoint({host: plainAddress(address), port}));
		});
		this.tcp.on('open', connection => {
			this.onTcpOpen(connection);
		});
		this.tcp.on('message', (text, connection, terminated) => {
			const peer = this.peers.get(tcpPeerKey(connection.id));
			// A tui-netchat line cut by a dropped connection is resent whole; only plain peers end text by closing.
			if (peer && (terminated || !peer.tnc)) {
				this.onWireLine(peer, text);
			}
		});
		this.tcp.on('close', (connection, error) => {
			this.onTcpClose(connection, error);
		});
		this.tcp.on('drain', connection => {
			const peer = this.peers.get(tcpPeerKey(connection.id));
			if (peer) {
				this.flushTcp(peer, this.waitingFor(peer));
			}
		});
		this.tcp.on('error', error => {
			this.store.system(`TCP: ${explainError(error)}`, 'error');
		});
	}

	/** Binds UDP and TCP on one port (a busy default port gives way to a free one), opens the log. */
	async start(): Promise<void> {
		const {port, portExplicit, bind} = this.options;
		this.codec = await loadCodec(this.options.encoding ?? 'utf8');
		if (this.options.logPath !== undefined) {
			try {
				this.store.log = new ChatLog(this.options.logPath, error => {
					this.store.log = undefined;
					this.store.system(`--log ${this.options.logPath ?? ''}: writing failed, so the log stops here: ${explainError(error)}`, 'error');
				});
			} catch (error) {
				throw new StartError(`--log ${this.options.logPath}: cannot open it: ${explainError(error)}`);
			}
		}

		try {
			const bound = await bindPort(this.tcp, this.udp, {port, portExplicit, bind});
			this.localPort = bound.port;
			this.portNote = bound.busyPort === undefined ? undefined : `port ${bound.busyPort} was busy`;
		} catch (error) {
			this.store.close();
			throw error;
		}

		const where = bind === undefined ? 'all interfaces' : bind;
		const busy = this.portNote ? ` Port ${port} was busy, so a free one was taken.` : '';
		this.store.system(`Listening on UDP and TCP port ${this.localPort} (${where}).${busy} /help lists commands; Ctrl+T switches protocol.`);
		const buffer = this.udp.receiveBuffer;
		if (buffer !== undefined && buffer < wantedReceiveBuffer) {
			this.store.system(
				`UDP receive buffer: ${Math.round(buffer / 1024)} KiB, not the 4 MiB asked for (the kernel's net.core.rmem_max); a long burst may lose datagrams.`,
			);
		}

		if (this.target?.kind === 'endpoint') {
			this.store.system(`Messages go to ${formatEndpoint(this.target.endpoint)} over ${this.protocol.toUpperCase()}.`);
		} else {
			this.store.system('No --peer given: replies go to whoever wrote last.');
		}

		this.restoreOutbox();
		if (this.protocol === 'tcp') {
			this.prepareTcp();
		}

		this.store.flush();
	}

	/** Every line as it is added, unbatched: for the pipe mode's stdout. */
	onLineAdded(listener: (line: ChatLine) => void): () => void {
		return this.store.onLineAdded(listener);
	}

	/** The draft's size in the chat's encoding (what recvfrom(1024) counts) and the datagrams it takes. */
	measureDraft = (text: string): {bytes: number; datagrams: number} => {
		const byteLength = this.sealer ? utf8Codec.byteLength : this.codec.byteLength;
		return {bytes: byteLength(text), datagrams: splitForDatagram(text, this.datagramRoom(), byteLength).length};
	};

	/** Text bytes one datagram can carry, after the newline and the seal. */
	private datagramRoom(): number {
		return this.sealer ? maxPlainBytes(this.maxDatagram - 1) : this.maxDatagram - 1;
	}

	toggleProtocol(): void {
		this.setProtocol(this.protocol === 'udp' ? 'tcp' : 'udp');
	}

	setProtocol(protocol: Protocol): void {
		if (protocol === this.protocol) {
			this.store.system(`Protocol is already ${protocol.toUpperCase()}.`);
			return;
		}

		this.protocol = protocol;
		this.store.system(`Protocol is now ${protocol.toUpperCase()}.`);
		if (protocol === 'tcp') {
			this.prepareTcp();
		}

		this.store.changed();
	}

	setNick(nick: string): void {
		const old = this.nick;
		this.nick = nick;
		this.store.system(`You are now known as ${nick} (was ${old}).`);
		for (const peer of this.peers.list()) {
			if (peer.tnc) {
				this.greet(peer);
			}
		}

		this.store.changed();
	}

	/** /connect: messages go to this endpoint from now on. */
	connectTo(endpoint: Endpoint): void {
		this.abandonLinkMessages(formatEndpoint(endpoint));
		this.target = {kind: 'endpoint', endpoint, source: 'chosen'};
		this.store.system(`Messages now go to ${formatEndpoint(endpoint)} over ${this.protocol.toUpperCase()}.`);
		if (this.protocol === 'tcp') {
			this.prepareTcp();
		}

		this.store.changed();
	}

	/** /query: messages go to a known peer, chosen by number, nick or address. */
	query(selector: string): string | undefined {
		const peer = this.peers.find(selector);
		if (peer === undefined) {
			this.store.system(`No peer "${sanitize(selector)}": /peers lists who is known.`, 'error');
			return undefined;
		}

		const endpoint = peerEndpoint(peer);
		this.abandonLinkMessages(endpoint ? formatEndpoint(endpoint) : undefined);
		this.target = {kind: 'peer', key: peer.key};
		this.store.system(`Messages now go to ${peerName(peer) === peerAddress(peer) ? peerAddress(peer) : `${peerName(peer)} (${peerAddress(peer)})`}.`);
		this.store.changed();
		return peer.key;
	}

	message(selector: string, text: string): string | undefined {
		const conversation = this.query(selector);
		if (conversation !== undefined) {
			this.send(text);
		}

		return conversation;
	}

	showPeers(): void {
		const peers = this.peerSummaries();
		if (peers.length === 0) {
			this.store.system('No peers yet. Someone who writes to you, or a --peer you write to, shows up here.');
			return;
		}

		const now = Date.now();
		this.store.system(`${peers.length} ${peers.length === 1 ? 'peer' : 'peers'} (/query N chooses who gets your messages):`);
		for (const peer of peers) {
			const ago = Math.round((now - peer.lastHeard) / 1000);
			const kind = peer.tnc ? 'tui-netchat' : 'plain';
			const name = peer.name === peer.address ? peer.address : `${peer.name} ${peer.address}`;
			this.store.system(`  ${peer.number}. ${name} ${peer.transport} ${kind}, last heard ${ago}s ago`);
		}
	}

	notice(text: string, level: 'info' | 'error' = 'info'): void {
		this.store.system(text, level);
	}

	clearHistory(): void {
		this.store.clear();
	}

	send(rawText: string, {action = false}: SendOptions = {}): void {
		const text = rawText.replace(/[\r\n]+$/, '');
		if (text === '' || this.closed) {
			return;
		}

		const destination = this.destination();
		if (typeof destination === 'string') {
			this.store.system(destination, 'error');
			return;
		}

		if (destination.kind === 'udp') {
			this.udpChain = this.udpChain.then(async () => this.sendUdp(destination.endpoint, text, action));
			this.track(this.udpChain);
			return;
		}

		const endpoint = destination.kind === 'link' ? destination.endpoint : peerEndpoint(destination.peer);
		const to = destination.kind === 'tcp' ? peerName(destination.peer) : formatEndpoint(destination.endpoint);
		const tnc = destination.kind === 'tcp' ? destination.peer.tnc : this.knownPeers.has(formatEndpoint(destination.endpoint));
		const peerKey = destination.kind === 'tcp' && endpoint === undefined ? destination.peer.key : undefined;
		const entry = this.queue('tcp', endpoint, text, action, to, tnc, peerKey);
		if (destination.kind === 'tcp') {
			this.flushTcp(destination.peer, [entry]);
			return;
		}

		const link = this.prepareLink(destination.endpoint);
		const linked = link.connection ? this.peers.get(tcpPeerKey(link.connection.id)) : undefined;
		if (link.state === 'connected' && linked) {
			// The target was given by name (localhost) and the connection by address: the link knows both.
			this.flushTcp(linked, this.outbox.to('tcp', link.label));
		} else if (link.state === 'idle') {
			// While retrying, the countdown in the status bar says when; typing does not make it wait longer.
			link.connect();
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

			const waiting = this.outbox.pendingCount() > 0;
			if (waiting && (this.link?.state === 'connecting' || this.link?.state === 'connected')) {
				// eslint-disable-next-line no-await-in-loop
				await new Promise(resolve => {
					setTimeout(resolve, 10);
				});
				continue;
			}

			return;
		}
	}

	/** Writes what the log holds: the pipe mode calls it before it prints. */
	flushLog(): void {
		this.store.log?.flush();
	}

	/** Messages not yet on the wire: a script pauses its input while this is high. */
	backlog(): number {
		return this.outbox.pendingCount();
	}

	/** Own messages that did not go out: still waiting in the outbox, or failed. */
	undelivered(): number {
		return this.outbox.pendingCount() + this.store.failures();
	}

	async close(): Promise<void> {
		if (this.closed) {
			return;
		}

		this.closed = true;
		for (const timer of [this.retransmitTimer, this.floodTimer, this.countdown]) {
			if (timer) {
				clearTimeout(timer);
			}
		}

		this.outboxFile?.close();
		this.link?.stop();
		this.udp.close();
		this.tcp.close();
		this.store.close();
	}

	// ---- receiving

	private onDatagram(data: Buffer, remote: RemoteInfo): void {
		const peer = this.peers.udp(plainAddress(remote.address), remote.port);
		this.refusedEndpoints.delete(peerAddress(peer));
		const text = (this.sealer ? utf8Codec : this.codec).decode(data).replace(/\r?\n$/, '');
		for (const line of text.split(/\r?\n/)) {
			this.onWireLine(peer, line);
		}
	}

	/** Said once per peer until it answers again: a chat that repeats the same error every line is noise. */
	private onUdpRefused(endpoint: string): void {
		if (this.refusedEndpoints.has(endpoint)) {
			return;
		}

		this.refusedEndpoints.add(endpoint);
		// Nothing heard our greeting there, and whatever answers later must introduce itself again.
		this.greeted.delete(udpPeerKey(endpoint));
		const gone = this.peers.get(udpPeerKey(endpoint));
		if (gone) {
			gone.tnc = false;
		}
		this.store.system(`UDP to ${endpoint}: ${explainError({code: 'ECONNREFUSED'})}.`, 'error');
	}

	private onTcpOpen(connection: TcpConnection): void {
		const peer = this.peers.tcp(connection.id, plainAddress(connection.remoteAddress), connection.remotePort, connection.direction);
		if (connection.direction === 'in') {
			this.store.system(`TCP: ${peerAddress(peer)} connected.`);
			if (this.link?.state === 'retrying' && this.link.endpoint.host === peer.host) {
				// Someone on the host we are trying to reach just connected: it may well be back.
				this.link.connect();
			}
		}

		this.store.changed();
	}

	/** With --secret, only lines sealed with the same secret get through; the rest are counted, never shown. */
	private onWireLine(peer: Peer, raw: string): void {
		if (this.sealer === undefined) {
			this.onLine(peer, raw);
			return;
		}

		const opened = this.sealer.open(raw);
		if (opened.ok) {
			this.onLine(peer, opened.line);
			return;
		}

		peer.rejected++;
		if (peer.rejected === 1) {
			const why = opened.reason === 'replayed' ? 'a replayed message' : opened.reason === 'wrong-secret-or-tampered' ? 'sealed with another secret, or tampered with' : 'not sealed: that peer has no --secret';
			this.store.system(`Rejected data from ${peerAddress(peer)}: ${why}. Nothing from it is shown.`, 'error');
		}
	}

	/** One outgoing line as bytes: sealed when there is a secret, in the chat's encoding when not. */
	private frame(line: string): Buffer {
		return this.sealer ? Buffer.from(`${this.sealer.seal(line)}\n`) : this.codec.encode(`${line}\n`);
	}

	private onLine(peer: Peer, raw: string): void {
		peer.lastHeard = Date.now();
		const line = readIncoming(raw, peer);
		switch (line.kind) {
			case 'greeting': {
				this.onGreeting(peer, line.greeting);
				break;
			}

			case 'tagged': {
				if (line.recognised) {
					// A tui-netchat that knew this address before we (re)started: greet it, so it knows us again.
					peer.tnc = true;
					this.greet(peer);
				} else if (Object.keys(line.tags).length === 0 && !this.regreeted.has(peer.key)) {
					// A tui-netchat peer writing without tags does not know us (it restarted): greet it again, once.
					this.regreeted.add(peer.key);
					this.greet(peer);
				}

				this.onTagged(peer, line.tags, line.text);
				break;
			}

			case 'ncat-announce': {
				peer.ncat = true;
				this.store.system(`ncat: ${sanitize(line.text)}`);
				break;
			}

			case 'ncat-message': {
				this.receive(peer, line.text, {from: line.user});
				break;
			}

			case 'plain': {
				this.receive(peer, line.text, {});
				break;
			}
		}
	}

	private onTagged(peer: Peer, tags: Tags, text: string): void {
		const ack = tags['ack'];
		if (typeof ack === 'string') {
			this.acknowledged(ack);
			return;
		}

		const id = tags['id'];
		let whole = text;
		if (typeof id === 'string') {
			if (!this.seen.has(id)) {
				const part = typeof tags['part'] === 'string' ? parsePart(tags['part']) : undefined;
				const assembled = part ? this.reassembler.add(`${peer.key}|${id}`, part.index, part.count, text) : text;
				if (assembled === undefined) {
					// More pieces to come; the acknowledgement waits for the whole message.
					return;
				}

				whole = assembled;
				this.seen.add(id);
				this.sendControl(peer, formatTagged({tags: {ack: id}, text: ''}));
			} else {
				// Our acknowledgement was lost and the message came again: acknowledge, do not show twice.
				this.sendControl(peer, formatTagged({tags: {ack: id}, text: ''}));
				return;
			}
		}

		this.receive(peer, whole, {action: tags['me'] === true});
	}

	private onGreeting(peer: Peer, greeting: Greeting): void {
		const nick = sanitize(greeting.nick);
		const old = peer.tnc ? peer.nick : undefined;
		peer.tnc = true;
		peer.nick = nick;
		peer.listenPort = greeting.port ?? peer.listenPort;
		const endpoint = peerEndpoint(peer);
		if (endpoint) {
			this.rememberPeer(formatEndpoint(endpoint));
		}

		// One instance can be a UDP peer and a TCP connection at once: announce it once.
		const sameInstance = this.peers
			.list()
			.some(other => other !== peer && other.tnc && other.host === peer.host && other.nick === nick && (other.listenPort ?? other.port) === greeting.port);
		if (old === undefined) {
			this.store.relabel(peerAddress(peer), nick);
			if (!sameInstance) {
				this.store.system(`${peerAddress(peer)} is ${nick}, on tui-netchat.`);
			}
		} else if (old !== nick && !sameInstance) {
			this.store.system(`${old} is now known as ${nick}.`);
		}

		this.lastSenderKey ??= peer.key;
		// Greet back when it is new to us: our earlier greeting may have gone to a program that was not
		// running yet, or to this peer before it restarted.
		if (!this.greeted.has(peer.key) || old === undefined) {
			this.greet(peer);
		}

		if (peer.transport === 'tcp' && endpoint) {
			// Messages waiting for this peer go out on its connection, in the order they were typed.
			this.flushTcp(peer, this.outbox.to('tcp', formatEndpoint(endpoint)));
		}

		this.store.changed();
	}

	private receive(peer: Peer, text: string, {action = false, from}: {action?: boolean; from?: string}): void {
		this.lastSenderKey = peer.key;
		this.store.countIncoming();
		const admitted = this.admit(peer);
		if (!admitted && this.store.log === undefined) {
			// Over the flood limit and nowhere to log it: counted, and nothing else to do (a flood makes no garbage).
			return;
		}

		const shown = admitted && text.length > maxShownChars ? `${text.slice(0, maxShownChars)} [… ${text.length - maxShownChars} more characters${this.store.log ? ' in the log' : ''}]` : text;
		const line: ChatLine = {
			id: admitted ? this.store.newId() : 0,
			time: Date.now(),
			kind: 'in',
			transport: peer.transport,
			from: from === undefined ? peerName(peer) : sanitize(from),
			address: peerAddress(peer),
			text: sanitize(shown),
			action,
		};
		if (!admitted) {
			// Over the flood limit: logged, counted, not shown.
			this.store.log?.write(line);
			return;
		}

		this.store.append(line, text === shown ? undefined : sanitize(text));
	}

	/** The flood limit, per host and transport: a flood from many ports or connections is one flood. */
	private admit(peer: Peer): boolean {
		if (this.floodGate.admit(peer.floodKey, peerName(peer))) {
			return true;
		}

		this.floodTimer ??= setTimeout(() => {
			this.floodTimer = undefined;
			this.reportFloods();
		}, 1000);
		return false;
	}

	private reportFloods(): void {
		const logged = this.store.log ? ' (all are in the log)' : '';
		for (const {name, dropped} of this.floodGate.takeDrops()) {
			this.store.system(`${dropped} messages from ${name} dropped: too many too fast${logged}.`, 'error');
		}
	}

	private onTcpClose(connection: TcpConnection, error: Error | undefined): void {
		if (this.closed) {
			return;
		}

		const key = tcpPeerKey(connection.id);
		const peer = this.peers.get(key);
		this.peers.remove(key);
		this.greeted.delete(key);

		if (this.lastSenderKey === key) {
			this.lastSenderKey = this.peers.list().sort((a, b) => b.lastHeard - a.lastHeard)[0]?.key;
		}

		for (const entry of this.outbox.list()) {
			if (entry.peerKey === key) {
				// Bound to this connection, with nowhere else to go.
				this.outbox.remove(entry.msgid);
				this.store.setDelivery(entry.lineId, 'failed');
			}
		}

		const endpoint = peer ? peerEndpoint(peer) : undefined;
		if (endpoint) {
			// Whatever the peer did not acknowledge goes again on the next connection.
			for (const entry of this.outbox.to('tcp', formatEndpoint(endpoint))) {
				this.setEntryState(entry, 'pending');
			}
		}

		const who = peer?.nick ? `${peer.nick} (${peerAddress(peer)})` : (peer ? peerAddress(peer) : connection.label);
		const why = error ? `: ${explainError(error)}` : '';
		this.store.system(`TCP: ${who} closed the connection${why}.`, error ? 'error' : 'info');
		if (this.target?.kind === 'peer' && this.target.key === key) {
			this.target = endpoint ? {kind: 'endpoint', endpoint, source: 'chosen'} : undefined;
		}

		if (this.link?.connection?.id === connection.id) {
			this.link.lost();
		}

		this.store.changed();
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

	/** Adds the own line and its outbox entry. */
	private queue(protocol: Protocol, endpoint: Endpoint | undefined, text: string, action: boolean, to: string, tnc: boolean, peerKey?: string): OutboxEntry {
		const line: ChatLine = {
			id: this.store.newId(),
			time: Date.now(),
			kind: 'out',
			transport: protocol,
			from: this.nick,
			to,
			text: sanitize(text),
			delivery: 'pending',
			expectsAck: tnc,
			action,
		};
		this.store.append(line);
		const entry: OutboxEntry = {
			msgid: newMessageId(),
			lineId: line.id,
			text,
			action,
			createdAt: line.time,
			protocol,
			endpoint: endpoint ? formatEndpoint(endpoint) : undefined,
			peerKey,
			state: 'pending',
			expectsAck: tnc,
			attempts: 0,
			nextAt: 0,
		};
		this.outbox.add(entry);
		this.scheduleSave();
		return entry;
	}

	private wire(entry: OutboxEntry, tnc: boolean): {tags: Tags; text: string} {
		if (!tnc) {
			return {tags: {}, text: entry.action ? `* ${this.nick} ${entry.text}` : entry.text};
		}

		return {tags: entry.action ? {id: entry.msgid, me: true} : {id: entry.msgid}, text: entry.text};
	}

	private async sendUdp(endpoint: Endpoint, text: string, action: boolean): Promise<void> {
		let entry: OutboxEntry | undefined;
		try {
			const resolved = await resolveEndpoint(endpoint);
			const address = formatEndpoint({host: resolved.address, port: resolved.port});
			const tnc = (this.peers.get(udpPeerKey(address))?.tnc ?? false) || this.knownPeers.has(address);
			entry = this.queue('udp', {host: resolved.address, port: resolved.port}, text, action, formatEndpoint(endpoint), tnc);
			await this.transmitUdp(entry);
		} catch (error) {
			if (entry) {
				this.outbox.remove(entry.msgid);
				this.store.setDelivery(entry.lineId, 'failed');
				this.scheduleSave();
			}

			this.store.system(`UDP to ${formatEndpoint(endpoint)}: ${explainError(error)}`, 'error');
		}
	}

	/** Sends (or resends) one entry as datagrams; a tui-netchat peer's entry stays until acknowledged. */
	private async transmitUdp(entry: OutboxEntry): Promise<void> {
		const endpoint = entry.endpoint === undefined ? undefined : endpointFromLabel(entry.endpoint);
		if (endpoint === undefined) {
			return;
		}

		const key = udpPeerKey(entry.endpoint ?? '');
		if (entry.expectsAck && !this.greeted.has(key)) {
			// A peer that does not know us yet must read our greeting before our tags.
			await this.sendGreetingUdp(key, endpoint);
		}

		const {tags, text} = this.wire(entry, entry.expectsAck);
		// Room for a "part=NNN/NNN" tag too, when there are tags at all.
		const prefix = formatTagged({tags, text: 'x'}).length - 1 + (entry.expectsAck ? 14 : 0);
		const pieces = splitForDatagram(text, this.datagramRoom() - prefix, this.sealer ? utf8Codec.byteLength : this.codec.byteLength);
		if (entry.expectsAck && pieces.length > maxPieces) {
			this.outbox.remove(entry.msgid);
			this.store.setDelivery(entry.lineId, 'failed');
			this.scheduleSave();
			this.store.system(`Not sent: ${pieces.length} datagrams is too long for UDP (at most ${maxPieces}); send it over TCP (Ctrl+T).`, 'error');
			return;
		}

		for (const [index, piece] of pieces.entries()) {
			const pieceTags = entry.expectsAck && pieces.length > 1 ? {...tags, part: `${index + 1}/${pieces.length}`} : tags;
			// eslint-disable-next-line no-await-in-loop
			await this.udp.send(this.frame(formatTagged({tags: pieceTags, text: piece})), endpoint.host, endpoint.port);
		}

		entry.attempts++;
		if (this.outbox.get(entry.msgid) === undefined) {
			// Acknowledged while this copy was on its way.
			return;
		}

		if (entry.expectsAck) {
			this.setEntryState(entry, 'sent');
			const base = this.options.retransmitBaseMs ?? 500;
			entry.nextAt = Date.now() + Math.min(maxRetransmitDelayMs, base * 2 ** (entry.attempts - 1));
			this.scheduleRetransmit();
		} else {
			this.outbox.remove(entry.msgid);
			this.store.setDelivery(entry.lineId, 'sent');
			this.scheduleSave();
			if (!this.greeted.has(key)) {
				await this.sendGreetingUdp(key, endpoint);
			}
		}
	}


	private scheduleRetransmit(): void {
		if (this.closed || this.retransmitTimer) {
			return;
		}

		const due = this.outbox.list().filter(entry => entry.protocol === 'udp' && entry.expectsAck && entry.state === 'sent');
		if (due.length === 0) {
			return;
		}

		const next = Math.min(...due.map(entry => entry.nextAt));
		this.retransmitTimer = setTimeout(
			() => {
				this.retransmitTimer = undefined;
				const now = Date.now();
				for (const entry of this.outbox.list()) {
					if (entry.protocol === 'udp' && entry.expectsAck && entry.state === 'sent' && entry.nextAt <= now) {
						this.udpChain = this.udpChain.then(async () => this.transmitUdp(entry).catch(() => undefined));
						this.track(this.udpChain);
					}
				}

				this.scheduleRetransmit();
			},
			Math.max(0, next - Date.now()),
		);
	}

	/** Writes entries on a TCP connection, oldest first; the peer's acknowledgements take them out. */
	private flushTcp(peer: Peer, entries: readonly OutboxEntry[]): void {
		const id = peer.connectionId;
		if (id === undefined) {
			return;
		}

		const endpoint = peerEndpoint(peer);
		const known = endpoint !== undefined && this.knownPeers.has(formatEndpoint(endpoint));
		if ((peer.tnc || known) && !this.greeted.has(peer.key)) {
			this.greet(peer);
		}

		for (const entry of entries) {
			if (entry.state !== 'pending' || this.outbox.get(entry.msgid) === undefined) {
				continue;
			}

			if (this.tcp.congested(id)) {
				// The peer is not reading: the rest waits in the outbox until the socket drains.
				break;
			}

			const tnc = peer.tnc || known;
			entry.expectsAck = tnc;
			entry.state = 'sent';
			const written = this.tcp.write(id, this.frame(formatTagged(this.wire(entry, tnc)))).then(
				() => {
					if (tnc) {
						this.store.setDelivery(entry.lineId, 'sent');
					} else {
						this.outbox.remove(entry.msgid);
						this.store.setDelivery(entry.lineId, 'sent');
						this.scheduleSave();
					}
				},
				(error: unknown) => {
					entry.state = 'pending';
					if (!tnc && entry.endpoint === undefined) {
						this.outbox.remove(entry.msgid);
						this.store.setDelivery(entry.lineId, 'failed');
					}

					this.store.system(`TCP to ${peerName(peer)}: ${explainError(error)}`, 'error');
				},
			);
			this.track(written);
			if (!tnc && !this.greeted.has(peer.key)) {
				// Right after the first message, before the next: writes on one socket keep their order.
				this.greet(peer);
			}
		}
	}

	/** Outbox entries that go on this peer's connection: to its endpoint, or bound to the connection itself. */
	private waitingFor(peer: Peer): OutboxEntry[] {
		const endpoint = peerEndpoint(peer);
		const label = endpoint ? formatEndpoint(endpoint) : undefined;
		return this.outbox.list().filter(entry => entry.protocol === 'tcp' && ((label !== undefined && entry.endpoint === label) || entry.peerKey === peer.key));
	}

	private acknowledged(msgid: string): void {
		const entry = this.outbox.remove(msgid);
		if (entry) {
			this.store.setDelivery(entry.lineId, 'delivered');
			this.scheduleSave();
		}
	}

	private setEntryState(entry: OutboxEntry, state: OutboxEntry['state']): void {
		entry.state = state;
		if (state === 'sent') {
			this.store.setDelivery(entry.lineId, 'sent');
		}
	}

	/** An acknowledgement or other control line, to the peer it concerns. */
	private sendControl(peer: Peer, line: string): void {
		const payload = this.frame(line);
		const sent = peer.transport === 'tcp' ? this.tcp.write(peer.connectionId ?? -1, payload) : this.udp.send(payload, peer.host, peer.port);
		this.track(sent.catch(() => undefined));
	}

	/** Our greeting line: plain peers read it once; tui-netchat peers learn our nick and port. */
	private greet(peer: Peer): void {
		this.greeted.add(peer.key);
		this.sendControl(peer, formatGreeting(this.nick, this.localPort));
	}

	private async sendGreetingUdp(key: string, endpoint: Endpoint): Promise<void> {
		this.greeted.add(key);
		await this.udp.send(this.frame(formatGreeting(this.nick, this.localPort)), endpoint.host, endpoint.port).catch(() => undefined);
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
			this.prepareLink(destination.endpoint).connect();
		}
	}

	private prepareLink(endpoint: Endpoint): TcpLink {
		if (this.link && this.link.label === formatEndpoint(endpoint)) {
			return this.link;
		}

		this.link?.stop();
		const link: TcpLink = new TcpLink(endpoint, this.tcp, {
			baseDelayMs: this.options.retryBaseMs ?? 1000,
			maxDelayMs: maxRetryDelayMs,
			wanted: (): boolean => this.link === link && (this.protocol === 'tcp' || this.outbox.to('tcp', link.label).length > 0),
		});
		link.on('connected', connection => {
			this.store.system(`TCP: connected to ${link.label}.`);
			const peer = this.peers.get(tcpPeerKey(connection.id));
			if (peer) {
				this.flushTcp(peer, this.outbox.to('tcp', link.label));
			}
		});
		let lastFailure: string | undefined;
		link.on('failed', error => {
			// Once per kind of failure: the status bar shows the retries.
			const failure = explainError(error);
			if (failure !== lastFailure) {
				lastFailure = failure;
				this.store.system(`TCP to ${link.label}: ${failure}; retrying (the status bar counts down).`, 'error');
			}
		});
		link.on('connected', () => {
			lastFailure = undefined;
		});
		link.on('state', () => {
			this.tickWhileRetrying(link);
			this.store.changed();
		});
		this.link = link;
		return link;
	}

	/** The status bar's retry countdown moves once a second, and only while there is a retry to count. */
	private tickWhileRetrying(link: TcpLink): void {
		if (link.state === 'retrying' && this.countdown === undefined) {
			this.countdown = setInterval(() => {
				this.store.changed();
			}, 1000);
		} else if (link.state !== 'retrying' && this.countdown !== undefined) {
			clearInterval(this.countdown);
			this.countdown = undefined;
		}
	}

	/** Messages still waiting for the old TCP link when the target changes would wait for ever: say so. */
	private abandonLinkMessages(newTarget: string | undefined): void {
		const link = this.link;
		if (link === undefined || link.label === newTarget || link.state === 'connected') {
			return;
		}

		const stranded = this.outbox.to('tcp', link.label).filter(entry => entry.state === 'pending');
		for (const entry of stranded) {
			this.outbox.remove(entry.msgid);
			this.store.setDelivery(entry.lineId, 'failed');
		}

		if (stranded.length > 0) {
			this.scheduleSave();
			this.store.system(`${stranded.length} ${stranded.length === 1 ? 'message' : 'messages'} for ${link.label} not sent: it never answered.`, 'error');
		}
	}

	// ---- the outbox on disk

	private rememberPeer(endpoint: string): void {
		if (!this.knownPeers.has(endpoint)) {
			this.knownPeers.add(endpoint);
			if (this.knownPeers.size > maxKnownPeers) {
				const oldest = this.knownPeers.values().next().value;
				if (oldest !== undefined) {
					this.knownPeers.delete(oldest);
				}
			}

			this.scheduleSave();
		}
	}

	private restoreOutbox(): void {
		if (this.options.stateDir === false) {
			return;
		}

		const peer = this.options.peer ? formatEndpoint(this.options.peer) : undefined;
		this.outboxFile = new OutboxFile(
			outboxPath(this.options.stateDir ?? stateDirectory(), this.nick, peer),
			() => this.storedOutbox(),
			(error, path) => {
				this.store.system(`Cannot keep undelivered messages in ${path}: ${explainError(error)}`, 'error');
			},
		);
		const stored = this.outboxFile.load();
		for (const endpoint of stored.knownPeers) {
			this.knownPeers.add(endpoint);
		}

		if (stored.messages.length === 0) {
			return;
		}

		this.store.system(`${stored.messages.length} undelivered ${stored.messages.length === 1 ? 'message' : 'messages'} from last time: they go out when the peer is back.`);
		for (const message of stored.messages) {
			const tnc = this.knownPeers.has(message.endpoint);
			const line: ChatLine = {
				id: this.store.newId(),
				time: message.createdAt,
				kind: 'out',
				transport: message.protocol,
				from: this.nick,
				to: message.endpoint,
				text: sanitize(message.text),
				delivery: 'pending',
				expectsAck: tnc,
				action: message.action,
			};
			this.store.append(line);
			const entry: OutboxEntry = {...message, lineId: line.id, peerKey: undefined, state: 'pending', expectsAck: tnc, attempts: 0, nextAt: 0};
			this.outbox.add(entry);
			if (entry.protocol === 'udp') {
				this.udpChain = this.udpChain.then(async () => this.transmitUdp(entry).catch(() => undefined));
				this.track(this.udpChain);
			} else if (this.target?.kind === 'endpoint' && formatEndpoint(this.target.endpoint) === entry.endpoint) {
				this.prepareLink(this.target.endpoint).connect();
			}
		}
	}

	private scheduleSave(): void {
		if (!this.closed) {
			this.outboxFile?.changed();
		}
	}

	/** What is kept across restarts: messages that can be redialled, and which peers are tui-netchat. */
	private storedOutbox(): StoredOutbox {
		const messages = this.outbox
			.list()
			.filter(entry => entry.endpoint !== undefined)
			.map(entry => ({msgid: entry.msgid, text: entry.text, action: entry.action, createdAt: entry.createdAt, protocol: entry.protocol, endpoint: entry.endpoint ?? ''}));
		return {messages, knownPeers: [...this.knownPeers]};
	}

	// ---- the snapshot's status fields

	private peerSummaries(): PeerSummary[] {
		return this.peers
			.list()
			.sort((a, b) => a.number - b.number)
			.map(peer => ({number: peer.number, name: peerName(peer), address: peerAddress(peer), transport: peer.transport, lastHeard: peer.lastHeard, tnc: peer.tnc}));
	}

	private status(): StatusFields {
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
				connections: this.tcp.connectionCount,
			},
			peers: this.peerSummaries(),
			encoding: this.codec.encoding,
			maxDatagram: this.maxDatagram,
			sealed: this.sealer?.fingerprint,
			conversations: [],
			targetConversation: undefined,
		};
	}

	private describeTarget(): {label: string; source: ChatSnapshot['targetSource']} | undefined {
		if (this.target?.kind === 'endpoint') {
			const label = formatEndpoint(this.target.endpoint);
			const known = this.protocol === 'udp' ? this.peers.get(udpPeerKey(label)) : this.peers.connectionTo(this.target.endpoint);
			return {label: known?.nick ? `${known.nick} (${label})` : label, source: this.target.source};
		}

		const peer = this.peers.get(this.target?.kind === 'peer' ? this.target.key : this.lastSenderKey);
		if (peer === undefined) {
			return undefined;
		}

		// Where it listens (what /connect would take), rather than the passing port of its connection.
		const endpoint = peerEndpoint(peer);
		const address = endpoint ? formatEndpoint(endpoint) : peerAddress(peer);
		const label = peer.nick ? `${peer.nick} (${address})` : address;
		return {label, source: this.target?.kind === 'peer' ? 'chosen' : 'last-sender'};
	}
}
