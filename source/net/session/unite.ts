import type {Links} from '../delivery/links.js';
import type {Outbox} from '../delivery/outbox.js';
import type {ChatHistory} from '../history/history.js';
import type {Endpoint} from '../../domain/endpoint.js';
import type {Conversation, ConversationBook} from './conversations.js';
import type {PeerBook} from './peers.js';
import type {SeenIds} from './seen-ids.js';
import type {Targeting} from './target.js';

export type UniteParts = {
	readonly peers: PeerBook;
	readonly history: ChatHistory;
	readonly outbox: Outbox;
	readonly targeting: Targeting;
	readonly links: Links;
	readonly seen: SeenIds;
};

/**
 * Two conversations turned out to be one instance (a greeting named where it listens, a host name
 * resolved, a token proved a connection): everything of `from` moves to `into`. The book has already
 * absorbed `from` (ConversationBook.settle, alias).
 */
export function uniteConversations(from: Conversation, into: Conversation, {peers, history, outbox, targeting, links, seen}: UniteParts): void {
	for (const peer of peers.of(from.id)) {
		peer.conversation = into.id;
	}

	history.moveConversation(from.id, into.id);
	outbox.moveConversation(from.id, into.id);
	targeting.moved(from.id, into.id);
	links.rekey(from.id, into.id);
	seen.moveConversation(from.id, into.id);
}

/**
 * What UDP sends learn when a conversation's endpoint resolves to an address: a conversation already there
 * is the same one (united into this one); true when a tui-netchat is known at that address.
 */
export function resolvedTo(
	conversations: ConversationBook,
	knows: (conversation: Conversation | undefined, address: Endpoint) => boolean,
	unite: (from: Conversation, into: Conversation) => void,
): (id: string, address: Endpoint) => boolean {
	return (id, address) => {
		const conversation = conversations.get(id);
		const other = conversation && conversations.alias(conversation, address);
		if (conversation && other) {
			unite(other, conversation);
		}

		return knows(conversation, address);
	};
}
