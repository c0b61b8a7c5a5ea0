import type {Encoding} from './encoding.js';
import type {Protocol} from './endpoint.js';
import type {TcpLinkState} from './snapshot.js';

/**
 * Who a line belongs to. A direct peer is one other program: one tui-netchat instance whether it speaks UDP,
 * TCP or both, or a plain peer at its address. A room is one TCP connection over which several people speak
 * (ncat --chat, ncat --broker). The status conversation holds system lines that concern no one in particular.
 */
export type ConversationKind = 'status' | 'peer' | 'room' | 'network' | 'channel' | 'query';

/** The kinds that live on an IRC network: its own buffer (server messages), its channels, its private queries. */
export type IrcConversationKind = 'network' | 'channel' | 'query';

export function isIrcKind(kind: ConversationKind): kind is IrcConversationKind {
	return kind === 'network' || kind === 'channel' || kind === 'query';
}

export type IrcConnectionState = 'connecting' | 'registered' | 'retrying' | 'closed';

/** The network an IRC conversation is on. */
export type IrcNetworkSummary = {
	/** The network's own conversation (its buffer). */
	readonly id: string;
	/** Its NETWORK= name, or the host until the server says. */
	readonly name: string;
	/** Our nick there. */
	readonly nick: string;
	readonly state: IrcConnectionState;
	/** Capabilities in use (server-time, echo-message, ...). */
	readonly caps: readonly string[];
};

/** The id of the status conversation; other ids are opaque ("c1", "c2", ...) and stable while the program runs. */
export const statusConversation = 'status';

export type ConversationSummary = {
	readonly id: string;
	readonly kind: Exclude<ConversationKind, 'status'>;
	/** Short: a nick, or an address for a plain peer or a room ("bob", "127.0.0.1:9000"). */
	readonly name: string;
	/** Where it is reached: "127.0.0.1:7852" (where a tui-netchat listens; a room's relay). */
	readonly address: string;
	/** What a message typed into this conversation goes over (a room: always TCP). */
	readonly protocol: Protocol;
	/** Another tui-netchat, which acknowledges what it gets. */
	readonly tnc: boolean;
	/** Transports it was heard over, most recent first. */
	readonly transports: readonly Protocol[];
	readonly lastHeard: number;
	/** A room's speakers seen so far (nicks, or ncat's userN); a channel's members, with their rank ("@alice"). */
	readonly members: readonly string[];
	/** The TCP connection to it: open ('connected'), being dialled, waiting to redial, or none ('idle'). */
	readonly link: TcpLinkState;
	readonly retryInMs: number | undefined;
	/** For /peers: a small number, stable while the program runs. */
	readonly number: number;
	/** IRC conversations: the network, and a channel's topic. */
	readonly network?: IrcNetworkSummary;
	readonly topic?: string;
	/** What its text is read and written in, when that is not UTF-8 (/encoding, --encoding): for the status bar. */
	readonly encoding?: Encoding;
};

/** "bob (127.0.0.1:7852)", or the address alone when that is all there is to say. */
export function conversationLabel(conversation: Pick<ConversationSummary, 'name' | 'address' | 'kind'>): string {
	if (conversation.kind === 'room') {
		return `room ${conversation.address}`;
	}

	if (isIrcKind(conversation.kind)) {
		return conversation.kind === 'network' ? conversation.address : `${conversation.name} (${conversation.address})`;
	}

	return conversation.name === conversation.address ? conversation.address : `${conversation.name} (${conversation.address})`;
}
