import type {Encoding} from '../domain/encoding.js';
import type {Protocol} from '../domain/endpoint.js';
import {conversationLabel, type ConversationSummary} from '../domain/conversation.js';
import type {TransferSummary} from '../domain/files.js';
import type {PeerSummary} from '../domain/snapshot.js';
import type {Links} from './delivery/links.js';
import type {IrcNetworks} from './irc/networks.js';
import type {StatusFields} from './history/history.js';
import {conversationName, type Conversation, type ConversationBook} from './session/conversations.js';
import type {PeerBook} from './session/peers.js';
import {protocolOf} from './session/router.js';
import type {Targeting} from './session/target.js';

export type StatusParts = {
	readonly conversations: ConversationBook;
	readonly peers: PeerBook;
	readonly links: Links;
	readonly targeting: Targeting;
	readonly defaultProtocol: () => Protocol;
	readonly connections: () => number;
	/** Peers on the LAN now, or undefined with discovery off. */
	readonly lanPeers: () => number | undefined;
	readonly irc: Pick<IrcNetworks, 'summaries' | 'focus'>;
	/** A conversation's encoding as used (session/encodings.ts). */
	readonly encodingOf?: (conversation: string) => Encoding;
	/** File transfers, when there are any. */
	readonly transfers?: () => TransferSummary[] | undefined;
	readonly fixed: () => Pick<StatusFields, 'nick' | 'localPort' | 'portNote' | 'encoding' | 'maxDatagram' | 'sealed'>;
};

function summary(parts: StatusParts, conversation: Conversation, connected: ReadonlySet<string>): ConversationSummary {
	const link = parts.links.get(conversation.id);
	const open = connected.has(conversation.id);
	const protocol = protocolOf(conversation, parts.defaultProtocol());
	const encoding = parts.encodingOf?.(conversation.id) ?? 'utf8';
	return {
		id: conversation.id,
		kind: conversation.kind,
		name: conversationName(conversation),
		address: conversation.address,
		protocol,
		tnc: conversation.tnc,
		transports: conversation.transports.length > 0 ? conversation.transports : [protocol],
		lastHeard: conversation.lastHeard,
		members: [...conversation.members].map(([speaker, nick]) => nick ?? speaker),
		link: link?.state ?? (open ? 'connected' : 'idle'),
		retryInMs: link?.retryAt === undefined ? undefined : Math.max(0, link.retryAt - Date.now()),
		number: conversation.number,
		...(encoding === 'utf8' ? {} : {encoding}),
	};
}

/** What the snapshot says besides its lines: the merged view's target and protocol, and every conversation. */
export function statusFields(parts: StatusParts): StatusFields {
	// One pass over the peers, not one per conversation: there may be a thousand of each.
	const connected = new Set(parts.peers.list().flatMap(peer => (peer.transport === 'tcp' ? [peer.conversation] : [])));
	const conversations = parts.conversations
		.list()
		.map(conversation => summary(parts, conversation, connected))
		.concat(parts.irc.summaries())
		.sort((a, b) => a.number - b.number);
	const target = parts.targeting.current();
	const current = conversations.find(conversation => conversation.id === target?.conversation);
	const link = parts.links.get(current?.id);
	const endpoints = parts.conversations.endpointsByConversation();
	const peers: PeerSummary[] = conversations.filter(conversation => conversation.network === undefined).map(conversation => ({
		number: conversation.number,
		name: conversation.name,
		address: conversation.address,
		endpoints: endpoints.get(conversation.id) ?? [conversation.address],
		transport: conversation.transports[0] ?? conversation.protocol,
		lastHeard: conversation.lastHeard,
		tnc: conversation.tnc,
	}));
	return {
		...parts.fixed(),
		protocol: current?.protocol ?? parts.defaultProtocol(),
		target: current ? conversationLabel(current) : undefined,
		targetSource: current && target ? target.source : 'none',
		tcp: {
			link: link?.state ?? 'idle',
			retryInMs: current?.retryInMs,
			connections: parts.connections(),
		},
		peers,
		lanPeers: parts.lanPeers(),
		conversations,
		targetConversation: current?.id,
		focus: parts.irc.focus,
		transfers: parts.transfers?.(),
	};
}
