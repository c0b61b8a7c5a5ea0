import {formatIrcServer} from '../../domain/irc-server.js';
import type {ChatHistory} from '../history/history.js';
import {sanitize} from '../wire/sanitize.js';
import type {IrcClient} from './client.js';
import type {IrcConversation, IrcConversations} from './irc-conversations.js';
import type {IrcChatEvent, IrcPlace, IrcSink} from './sink.js';

type SinkParts = {readonly history: ChatHistory; readonly conversations: IrcConversations; readonly changed: () => void};

/** A system line in an IRC conversation, at the server's time when it gave one; sanitized like all a server sends. */
export function systemLine(history: ChatHistory, text: string, level: 'info' | 'error', conversation: IrcConversation, time = Date.now()): void {
	history.append({id: history.newId(), time, conversation: conversation.id, kind: 'system', level, text: sanitize(text)});
}

function placeOf({conversations}: SinkParts, client: IrcClient, place: IrcPlace | undefined): IrcConversation {
	if (place?.channel !== undefined) {
		return conversations.ensure(client, 'channel', place.channel);
	}

	if (place?.query === undefined) {
		return conversations.networkOf(client);
	}

	// A reply about a nick (No such nick) goes to the query with them if there is one, else the network's buffer.
	const open = conversations.find(client, 'query', place.query);
	return open ?? (place.onlyIfOpen ? conversations.networkOf(client) : conversations.ensure(client, 'query', place.query));
}

function chatLine(parts: SinkParts, client: IrcClient, event: IrcChatEvent): void {
	const {history} = parts;
	const conversation = placeOf(parts, client, event.place);
	conversation.lastHeard = Math.max(conversation.lastHeard, event.time);
	const from = sanitize(event.notice ? `-${event.from}-` : event.from);
	const common = {id: history.newId(), time: event.time, conversation: conversation.id, transport: 'irc' as const, text: sanitize(event.text), ...(event.action ? {action: true} : {})};
	if (event.self) {
		history.append({...common, kind: 'out', from, to: sanitize(conversation.name), delivery: 'delivered'});
	} else {
		history.countIncoming();
		history.append({...common, kind: 'in', from, address: formatIrcServer(client.options.server), ...(event.history ? {history: true} : {})});
	}
}

/** What one network's client tells the history and the conversations (the client exists once it is made). */
export function networkSink(parts: SinkParts, client: () => IrcClient | undefined): IrcSink {
	const withClient = (use: (client: IrcClient) => void) => {
		const current = client();
		if (current) {
			use(current);
		}
	};

	return {
		message(event) {
			withClient(current => {
				chatLine(parts, current, event);
			});
		},
		info(text, level, place, time) {
			withClient(current => {
				systemLine(parts.history, text, level, placeOf(parts, current, place), time);
			});
		},
		delivery(lineId, delivery) {
			parts.history.setDelivery(lineId, delivery);
		},
		renamed(from, to) {
			withClient(current => {
				const query = parts.conversations.rename(current, from, to);
				if (query) {
					systemLine(parts.history, `${from} is now known as ${to}`, 'info', query);
				}
			});
		},
		refolded() {
			withClient(current => {
				parts.conversations.refold(current);
			});
		},
		joined(channel) {
			withClient(current => parts.conversations.ensure(current, 'channel', channel));
		},
		changed: parts.changed,
	};
}
