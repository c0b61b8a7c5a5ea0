import type {Encoding} from '../domain/encoding.js';
import type {Endpoint, Protocol} from '../domain/endpoint.js';
import type {IrcServer} from '../domain/irc-server.js';
import type {DiscoveryConfig} from './discovery/lan.js';
import type {SendRate} from './irc/send-queue.js';

/** How the command line (or a test) sets up the chat service. */
export type ChatServiceOptions = {
	readonly port: number;
	/** The user chose the port: a busy one is an error rather than a reason to take another. */
	readonly portExplicit: boolean;
	readonly peer: Endpoint | undefined;
	readonly protocol: Protocol;
	readonly nick: string;
	readonly bind: string | undefined;
	readonly encoding?: Encoding;
	/** The largest UDP datagram to send, newline included; longer messages are split. */
	readonly maxDatagram?: number;
	readonly logPath?: string;
	/** Lines kept in memory for the pane; older ones are dropped (the log keeps everything). */
	readonly historyLimit?: number;
	readonly frameMs?: number;
	/** No status bar shows the service (pipe mode, --send): lines say in words what the bar would show. */
	readonly headless?: boolean;
	/** First TCP redial delay; it doubles up to 30 s. */
	readonly retryBaseMs?: number;
	/** First UDP retransmission delay for messages a tui-netchat peer has not acknowledged. */
	readonly retransmitBaseMs?: number;
	/**
	 * Nothing sent to a tui-netchat peer we talked with for this long: a keepalive goes; nothing heard from
	 * it for 3 times this long: it is "not answering" (default 30 s; tests use a fraction of a second).
	 */
	readonly livenessMs?: number;
	/** Where undelivered messages wait across restarts; false keeps them in memory only. */
	readonly stateDir?: string | false;
	/** Messages a peer may burst into the pane, and how many a second after that. */
	readonly floodBurst?: number;
	readonly floodPerSecond?: number;
	/** Notices a peer can cause (rejected lines, connections, greetings, floods): a few of each per window. */
	readonly noticeWindowMs?: number;
	/** --secret: every exchange sealed (encrypted and authenticated) with a key derived from it. */
	readonly secret?: string;
	/** --irc: networks to connect to at start, with their channels. */
	readonly irc?: readonly IrcServer[];
	/** SASL PLAIN password for the IRC networks (TUI_NETCHAT_IRC_PASSWORD). */
	readonly ircPassword?: string;
	/** How fast lines go to an IRC server; the default suits ngircd's and inspircd's flood limits. */
	readonly ircRate?: SendRate;
	/** First IRC reconnect delay; it doubles up to a minute. */
	readonly ircRetryBaseMs?: number;
	/** Named peers from the config file ([peers] home = "HOST:PORT"): /connect home, /query home. */
	readonly peers?: ReadonlyMap<string, Endpoint>;
	/** LAN discovery (announcements, answers, mDNS); off when undefined. */
	readonly discovery?: DiscoveryConfig;
	/** --downloads: where received files go (default $XDG_DOWNLOAD_DIR/tui-netchat or ~/Downloads/tui-netchat). */
	readonly downloads?: string | undefined;
	/** Certificate authorities trusted for ircs:// besides the system's. */
	readonly ircCa?: string | Buffer;
};
