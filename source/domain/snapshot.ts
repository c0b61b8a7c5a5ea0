import type {Protocol} from './endpoint.js';
import type {ConversationSummary} from './conversation.js';
import type {Encoding} from './encoding.js';
import type {TransferSummary} from './files.js';

/**
 * pending: not on the wire yet (no connection, or waiting for the peer); sent: written (for a tui-netchat
 * peer, not yet acknowledged); delivered: the peer acknowledged it; failed: it could not be sent.
 */
/** What a line came or went over: a UDP datagram, a TCP stream, or an IRC network. */
export type LineTransport = Protocol | 'irc';

export type Delivery = 'pending' | 'sent' | 'delivered' | 'failed';

export type ChatLine =
	| {
			readonly id: number;
			readonly time: number;
			/** The conversation it belongs to; undefined for the status conversation. */
			readonly conversation?: string;
			readonly kind: 'in';
			readonly transport: LineTransport;
			/** The sender's nick, or its address when it has none. */
			readonly from: string;
			readonly address: string;
			readonly text: string;
			readonly action?: boolean;
			/** Replayed from an IRC server's history (chathistory): shown, but not news (no bell). */
			readonly history?: boolean;
	  }
	| {
			readonly id: number;
			readonly time: number;
			/** The conversation it belongs to; undefined for the status conversation. */
			readonly conversation?: string;
			readonly kind: 'out';
			readonly transport: LineTransport;
			readonly from: string;
			readonly to: string;
			readonly text: string;
			readonly delivery: Delivery;
			/** Sent to a tui-netchat peer, which acknowledges what it receives. */
			readonly expectsAck?: boolean;
			readonly action?: boolean;
	  }
	| {
			readonly id: number;
			readonly time: number;
			/** The conversation it belongs to; undefined for the status conversation. */
			readonly conversation?: string;
			readonly kind: 'system';
			readonly level: 'info' | 'error';
			readonly text: string;
	  };

export type TcpLinkState = 'idle' | 'connecting' | 'connected' | 'retrying';

export type PeerSummary = {
	readonly number: number;
	readonly name: string;
	readonly address: string;
	/** Every address:port it was reached at, resolved ones too ("127.0.0.1:7852" for "localhost:7852"). */
	readonly endpoints: readonly string[];
	readonly transport: LineTransport;
	readonly lastHeard: number;
	readonly tnc: boolean;
};

export type ChatSnapshot = {
	readonly protocol: Protocol;
	readonly nick: string;
	readonly localPort: number;
	/** Set when the default port was busy and another port was taken instead. */
	readonly portNote: string | undefined;
	/** Who the next message goes to, e.g. "bob (127.0.0.1:7852)", or undefined when nobody is known yet. */
	readonly target: string | undefined;
	readonly targetSource: 'peer' | 'chosen' | 'last-sender' | 'none';
	readonly tcp: {
		readonly link: TcpLinkState;
		readonly retryInMs: number | undefined;
		readonly connections: number;
	};
	readonly counts: {readonly in: number; readonly out: number};
	readonly peers: readonly PeerSummary[];
	readonly encoding: Encoding;
	readonly maxDatagram: number;
	/** Peers found on the LAN and present now; undefined when discovery is off. */
	readonly lanPeers: number | undefined;
	/** The key's fingerprint when --secret seals every exchange. */
	readonly sealed: string | undefined;
	/** Every conversation but the status one, in the order they began. */
	readonly conversations: readonly ConversationSummary[];
	/** The conversation a message typed into the merged view goes to (the "target" above). */
	readonly targetConversation: string | undefined;
	/** A conversation the UI should go to (an IRC channel the user asked for): a new serial each time. */
	readonly focus: {readonly conversation: string; readonly serial: number} | undefined;
	readonly lines: readonly ChatLine[];
	/** File transfers (/transfers), when there are any. */
	readonly transfers?: readonly TransferSummary[] | undefined;
};
