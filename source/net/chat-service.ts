import type {ChatActions, SendOptions} from '../domain/actions.js';
import type {Encoding} from '../domain/encoding.js';
import type {FileCommand} from '../domain/files.js';
import type {IrcCommand} from '../domain/irc-command.js';
import {packageVersion} from '../domain/version.js';
import type {Endpoint, Protocol} from '../domain/endpoint.js';
import type {ChatLine} from '../domain/snapshot.js';
import {Delivery} from './delivery/delivery.js';
import {drained, track as keepInFlight} from './delivery/drained.js';
import {Links} from './delivery/links.js';
import {Outbound} from './delivery/outbound.js';
import {restoreOutbox} from './delivery/restore.js';
import {TcpSender} from './delivery/tcp-sender.js';
import {UdpSender} from './delivery/udp-sender.js';
import {ChatHistory} from './history/history.js';
import {openLog, sayListening} from './history/start-notes.js';
import {IrcNetworks} from './irc/networks.js';
import {LanDiscovery} from './discovery/lan.js';
import {FileTransfers} from './files/file-transfers.js';
import {Acks} from './session/acks.js';
import {Arrivals} from './session/arrivals.js';
import {resolvedTo, uniteConversations} from './session/unite.js';
import {ConversationBook, type Conversation} from './session/conversations.js';
import {Controls, type Settings} from './session/controls.js';
import {Encodings} from './session/encodings.js';
import {FloodGate} from './session/flood-gate.js';
import {Greetings, type Dest} from './session/greetings.js';
import {tokenLine, Tokens} from './session/identity.js';
import type {InboundParts} from './session/inbound.js';
import {Notices} from './session/notices.js';
import {PeerBook} from './session/peers.js';
import {Presence} from './session/presence.js';
import {Reassembler} from './session/reassembler.js';
import {Receiver} from './session/receiver.js';
import {RoomState} from './session/room-inbound.js';
import {SeenIds} from './session/seen-ids.js';
import {Targeting} from './session/target.js';
import {statusFields} from './status.js';
import {bindPort} from './transport/bind-port.js';
import {TcpTransport} from './transport/tcp-transport.js';
import {UdpTransport, wantedReceiveBuffer} from './transport/udp-transport.js';
import {Framer} from './wire/framer.js';
import {formatGreeting} from './wire/greeting.js';
import {normaliseBreaks} from './wire/multiline.js';
import {loadCodec} from './wire/text-codec.js';
import type {ChatServiceOptions} from './service-options.js';

export type {ChatServiceOptions} from './service-options.js';

/**
 * The socket service, as one facade: it owns the parts (transports, wire, session, delivery, history; see
 * the readme's architecture) and wires them together. The UI reads it through subscribe/getSnapshot and
 * writes through ChatActions; it never touches a socket.
 */
export class ChatService implements ChatActions {
	readonly subscribe: ChatHistory['subscribe'];
	readonly getSnapshot: ChatHistory['getSnapshot'];
	private readonly settings: Settings;
	private readonly udp = new UdpTransport();
	private readonly tcp: TcpTransport;
	private readonly framer: Framer;
	private readonly encodings: Encodings;
	private readonly history: ChatHistory;
	private readonly peers = new PeerBook();
	private readonly conversations = new ConversationBook();
	private readonly targeting = new Targeting();
	private readonly delivery: Delivery;
	private readonly greetings: Greetings;
	private readonly links: Links;
	private readonly udpSender: UdpSender;
	private readonly outbound: Outbound;
	private readonly controls: Controls;
	private readonly receiver: Receiver;
	private readonly notices: Notices;
	private readonly acks: Acks;
	private readonly networks: IrcNetworks;
	private readonly lan: LanDiscovery | undefined;
	private readonly presence: Presence;
	private readonly transfers: FileTransfers;
	private readonly inFlight = new Set<Promise<unknown>>();
	private readonly maxDatagram: number;
	private portNote: string | undefined;
	private closed = false;
	private quitting: Promise<void> | undefined;

	constructor(private readonly options: ChatServiceOptions) {
		const settings: Settings = {protocol: options.protocol, nick: options.nick, localPort: 0};
		this.settings = settings;
		this.maxDatagram = options.maxDatagram ?? 1024;
		this.framer = new Framer(options.secret);
		const encodings = new Encodings({framer: this.framer, conversations: this.conversations, peers: this.peers, history: () => this.history});
		this.encodings = encodings;
		this.tcp = new TcpTransport(this.framer.maxLineBytes, encodings.decodeTcp);
		const history = new ChatHistory(() => this.status(), options.historyLimit ?? 5000, options.frameMs ?? 33);
		this.history = history;
		this.subscribe = history.subscribe;
		this.getSnapshot = history.getSnapshot;
		const {udp, tcp, framer, peers, conversations, targeting} = this;
		const nick = () => settings.nick;
		const track = (promise: Promise<unknown>) => this.track(promise);

		const delivery = new Delivery(history, nick);
		this.delivery = delivery;
		const tokens = new Tokens();
		const greetings = new Greetings(
			async (dest, line) => this.sendLine(dest, line),
			() => formatGreeting(settings.nick, settings.localPort),
			dest => tokenLine(dest, {peers, conversations, delivery, tokens}),
			dest => {
				this.outbound.released(dest);
			},
		);
		this.greetings = greetings;
		this.udpSender = new UdpSender({udp, framer, greetings, delivery, history, maxDatagram: this.maxDatagram, retransmitBaseMs: options.retransmitBaseMs ?? 500, nick, track, codecOf: encodings.codecOf,
			resolved: resolvedTo(conversations, (conversation, at) => delivery.knows(conversation, at), (from, into) => unite(from, into)),
		});
		const tcpSender = new TcpSender({tcp, framer, greetings, delivery, history, nick, track, codecOf: encodings.codecOf, known: peer => delivery.knows(conversations.get(peer.conversation))});
		const outbound = new Outbound({conversations, peers, targeting, delivery, udpSender: this.udpSender, tcpSender, links: () => this.links, history, defaultProtocol: () => settings.protocol, unite: (from, into) => unite(from, into)});
		this.outbound = outbound;
		const changed = () => history.changed();
		this.links = new Links({tcp, history, retryBaseMs: options.retryBaseMs ?? 1000, headless: options.headless, wanted: id => outbound.linkWanted(id), connected: (id, connection) => outbound.linkConnected(id, connection), changed});
		const notices = new Notices(history, 5, options.noticeWindowMs);
		this.notices = notices;
		this.presence = new Presence({peers, conversations, notices, say: text => history.system(text), send: async (dest, line) => this.sendLine(dest, line), livenessMs: options.livenessMs});
		const [burst, perSecond] = [options.floodBurst ?? 500, options.floodPerSecond ?? 200];
		this.receiver = new Receiver(history, new FloodGate(burst, perSecond, 1024, {burst: burst * 2, perSecond: perSecond * 2}), targeting, notices);
		const seen = new SeenIds();
		const unite = (from: Conversation, into: Conversation) => {
			uniteConversations(from, into, {peers, history, outbox: delivery.outbox, targeting, links: this.links, seen});
			this.presence.merged(from, into);
		};
		const sendControl = (dest: Dest, line: string) => this.track(this.sendLine(dest, line).catch(() => undefined));
		this.acks = new Acks(sendControl);
		this.transfers = new FileTransfers({history, conversations, peers, targeting, send: sendControl, stateDir: options.stateDir, downloads: options.downloads, bind: options.bind, secret: options.secret, lookup: selector => this.controls.lookup(selector), greet: dest => greetings.hello(dest)});
		const inbound: InboundParts = {files: this.transfers, conversations, greetings, delivery, history, receiver: this.receiver, targeting, seen, reassembler: new Reassembler(), rooms: new RoomState(), presence: this.presence,
			sendControl,
			acks: this.acks,
			notices,
			claimants: id => peers.list().filter(peer => peer.claim?.conversation === id),
			tokenFor: dest => tokenLine(dest, {peers, conversations, delivery, tokens}),
			merge: unite,
			flush: (peer, conversation) => outbound.flush(peer, conversation),
			changed,
		};
		this.controls = new Controls({settings, conversations, peers, targeting, history, outbound, greetings, peerSummaries: () => this.getSnapshot().peers, lan: () => this.lan, named: name => options.peers?.get(name)});
		new Arrivals({udp, tcp, framer, peers, conversations, history, greetings, delivery, links: this.links, outbound, targeting, inbound, notices, encodings, closed: () => this.closed});
		this.networks = new IrcNetworks({history, codec: () => framer.codec, numbers: () => conversations.reserveNumber(), nick, password: options.ircPassword, version: packageVersion, retryBaseMs: options.ircRetryBaseMs, rate: options.ircRate, ca: options.ircCa});
		this.lan = options.discovery ? new LanDiscovery({config: options.discovery, history, notices, conversations, nick, chatPort: () => settings.localPort, secret: options.secret, bind: options.bind}) : undefined;
		if (options.peer) {
			targeting.choose(conversations.forEndpoint(options.peer).id, 'peer');
		}
	}

	/** Binds UDP and TCP on one port (a busy default port gives way to a free one), opens the log, starts discovery. */
	async start(): Promise<void> {
		const {port, portExplicit, bind, logPath} = this.options;
		this.framer.useCodec(await loadCodec(this.options.encoding ?? 'utf8'));
		if (logPath !== undefined) {
			openLog(this.history, logPath);
		}

		try {
			const bound = await bindPort(this.tcp, this.udp, {port, portExplicit, bind});
			this.settings.localPort = bound.port;
			this.portNote = bound.busyPort === undefined ? undefined : `port ${bound.busyPort} was busy`;
		} catch (error) {
			this.history.close();
			throw error;
		}

		const buffer = this.udp.receiveBuffer;
		const smallBuffer = buffer !== undefined && buffer < wantedReceiveBuffer ? buffer : undefined;
		sayListening(this.history, {port: this.settings.localPort, bind, busyPort: this.portNote ? port : undefined, smallBuffer, peer: this.options.peer, protocol: this.settings.protocol, discovery: this.lan !== undefined});
		const target = this.conversations.get(this.targeting.current()?.conversation);
		restoreOutbox(this.delivery, this.outbound, {stateDir: this.options.stateDir, nick: this.settings.nick, peer: this.options.peer});
		this.outbound.prepare(target);
		this.transfers.start();
		for (const server of this.options.irc ?? []) {
			this.networks.add(server);
		}

		await this.lan?.start();
		this.history.flush();
	}

	send = (text: string, options: SendOptions = {}): void => {
		const line = normaliseBreaks(text);
		if (line !== '' && !this.closed) {
			if (this.networks.owns(options.conversation)) {
				this.networks.send(options.conversation ?? '', line, options.action ?? false);
			} else {
				this.outbound.send(line, options);
			}
		}
	};

	toggleProtocol = (conversation?: string): void => this.controls.toggleProtocol(conversation);
	setProtocol = (protocol: Protocol, conversation?: string): void => this.controls.setProtocol(protocol, conversation);
	setNick = (nick: string): void => {
		this.controls.setNick(nick);
		this.lan?.renamed();
	};
	connectTo = (endpoint: Endpoint): void => this.controls.connectTo(endpoint);
	query = (selector: string): boolean => this.controls.query(selector);
	lookup = (selector: string): string | undefined => this.controls.lookup(selector);
	message = (selector: string, text: string): string | undefined => this.controls.message(selector, text);
	showPeers = (): void => this.controls.showPeers();
	who = (): void => (this.lan ? this.lan.who() : this.history.system('LAN discovery is off (--no-discovery, or pipe mode without --discovery).', 'error'));
	notice = (text: string, level: 'info' | 'error' = 'info', conversation?: string): void => this.history.system(text, level, conversation);
	clearHistory = (conversation?: string): void => this.history.clear(conversation);
	irc = (command: IrcCommand): string | undefined => this.networks.run(command);
	files = (command: FileCommand): void => this.transfers.run(command);
	/** /encoding: a conversation's (IRC networks keep --encoding), or without one the default for all. */
	setEncoding = (encoding: Encoding, conversation?: string): void =>
		this.networks.owns(conversation) ? this.history.system('IRC networks keep the encoding they started with (--encoding).', 'error', conversation) : this.encodings.set(encoding, conversation);

	/** /away TEXT, or back without text: every tui-netchat peer is told ("alice is away: TEXT", "alice is back"). */
	away = (text?: string): void => this.presence.setAway(text);
	/** /quit [REASON]: every tui-netchat peer is told ("alice left (REASON)"), then everything closes. */
	quit = async (reason?: string): Promise<void> => (this.quitting ??= this.closed ? this.close() : this.presence.quit(reason).then(async () => this.close()));

	measureDraft = (text: string): {bytes: number; datagrams: number} => this.framer.measure(text, this.maxDatagram);

	/** Every line as it is added, unbatched: for the pipe mode's stdout. */
	onLineAdded(listener: (line: ChatLine) => void): () => void {
		return this.history.onLineAdded(listener);
	}

	/** Resolves once nothing is being sent (a greeting held back over TCP included): for the pipe mode and --send before they exit. */
	async drain(): Promise<void> {
		await drained(this.inFlight, () => (this.delivery.outbox.pendingCount() > 0 && this.links.busy()) || this.greetings.anyHeld());
	}

	/** Writes what the log holds: the pipe mode calls it before it prints. */
	flushLog(): void {
		this.history.log?.flush();
	}

	/** Messages not yet on the wire: a script pauses its input while this is high. */
	backlog(): number {
		return this.delivery.outbox.pendingCount();
	}

	/** Own messages that did not go out: still waiting in the outbox, or failed. */
	undelivered(): number {
		return this.delivery.outbox.pendingCount() + this.history.failures();
	}

	async close(): Promise<void> {
		if (this.closed) {
			return;
		}

		// Acknowledgements of what was read last go out before the sockets close.
		this.acks.flush();
		this.closed = true;
		this.networks.close();
		const goodbye = this.lan?.close();
		this.udpSender.close();
		this.receiver.close();
		this.notices.close();
		this.greetings.close();
		this.presence.close();
		this.transfers.close();
		this.delivery.close();
		this.links.close();
		this.udp.close();
		// Connections end with a FIN, so a peer answering our last lines gets no reset (at most 300 ms).
		const ended = this.tcp.end(300);
		this.history.close();
		await Promise.all([goodbye, ended]);
	}

	private async sendLine(dest: Dest, line: string): Promise<void> {
		const payload = this.framer.encode(line, this.encodings.codecOfDest(dest));
		this.presence.sent(dest);
		await (dest.kind === 'tcp' ? this.tcp.write(dest.connectionId, payload) : this.udp.send(payload, dest.endpoint.host, dest.endpoint.port));
	}

	private track(promise: Promise<unknown>): void {
		keepInFlight(this.inFlight, promise);
	}

	private status() {
		const {nick, localPort} = this.settings;
		return statusFields({
			conversations: this.conversations,
			peers: this.peers,
			links: this.links,
			targeting: this.targeting,
			defaultProtocol: () => this.settings.protocol,
			connections: () => this.tcp.connectionCount,
			lanPeers: () => this.lan?.count,
			irc: this.networks,
			encodingOf: id => this.encodings.encodingOf(id),
			transfers: () => this.transfers.summaries(),
			fixed: () => ({nick, localPort, portNote: this.portNote, encoding: this.framer.encoding, maxDatagram: this.maxDatagram, sealed: this.framer.fingerprint}),
		});
	}
}
