import type {ConversationSummary, IrcConversationKind} from '../../domain/conversation.js';
import {sanitize} from '../wire/sanitize.js';
import type {IrcClient} from './client.js';

export type IrcConversation = {
	readonly id: string;
	readonly number: number;
	readonly kind: IrcConversationKind;
	readonly client: IrcClient;
	/** The channel or nick as last spelled; the network's host for its own buffer. */
	name: string;
	lastHeard: number;
};

/** Channels and queries one network may open; past that, what a server sends goes to the network's buffer. */
const maxPerNetwork = 500;

/** A query's name follows the nick. Folded names key the conversations of one network. */
export class IrcConversations {
	private readonly byId = new Map<string, IrcConversation>();
	private readonly byKey = new Map<string, IrcConversation>();
	private readonly clientKeys = new WeakMap<IrcClient, number>();
	private clients = 0;
	private readonly perClient = new Map<IrcClient, number>();
	private memberCache = new Map<string, {readonly version: number; readonly list: readonly string[]}>();

	constructor(private readonly numbers: () => number) {}

	get(id: string | undefined): IrcConversation | undefined {
		return id === undefined ? undefined : this.byId.get(id);
	}

	list(): IrcConversation[] {
		return [...this.byId.values()];
	}

	networkOf(client: IrcClient): IrcConversation {
		return this.ensure(client, 'network', '');
	}

	/** The channel's or query's conversation, begun if new (or the network's, when it has too many). */
	ensure(client: IrcClient, kind: IrcConversationKind, name: string): IrcConversation {
		const key = this.key(client, kind, name);
		let conversation = this.byKey.get(key);
		if (conversation === undefined && kind !== 'network' && this.countOf(client) >= maxPerNetwork) {
			return this.networkOf(client);
		}

		if (conversation === undefined) {
			const number = this.numbers();
			conversation = {id: `i${number}`, number, kind, client, name: kind === 'network' ? client.options.server.host : name, lastHeard: Date.now()};
			this.perClient.set(client, this.countOf(client) + 1);
			this.byKey.set(key, conversation);
			this.byId.set(conversation.id, conversation);
		}

		return conversation;
	}

	find(client: IrcClient, kind: IrcConversationKind, name: string): IrcConversation | undefined {
		return this.byKey.get(this.key(client, kind, name));
	}

	/** A nick changed: its query follows. */
	rename(client: IrcClient, from: string, to: string): IrcConversation | undefined {
		const conversation = this.find(client, 'query', from);
		if (conversation) {
			this.byKey.delete(this.key(client, 'query', from));
			conversation.name = to;
			this.byKey.set(this.key(client, 'query', to), conversation);
		}

		return conversation;
	}

	/** The network's names fold another way now: its conversations are keyed again. */
	refold(client: IrcClient): void {
		for (const [key, conversation] of this.byKey) {
			if (conversation.client === client) {
				this.byKey.delete(key);
			}
		}

		for (const conversation of this.byId.values()) {
			if (conversation.client === client) {
				this.byKey.set(this.key(client, conversation.kind, conversation.name), conversation);
			}
		}
	}

	remove(conversation: IrcConversation): void {
		this.perClient.set(conversation.client, this.countOf(conversation.client) - 1);
		this.byId.delete(conversation.id);
		this.byKey.delete(this.key(conversation.client, conversation.kind, conversation.name));
	}

	summaries(version: number): ConversationSummary[] {
		const cache = new Map<string, {readonly version: number; readonly list: readonly string[]}>();
		const summaries = this.list().map(conversation => {
			const {client} = conversation;
			const channel = conversation.kind === 'channel' ? client.channels.get(conversation.name) : undefined;
			const cached = this.memberCache.get(conversation.id);
			const members = channel === undefined ? [] : cached?.version === version ? cached.list : client.channels.memberList(channel).map(member => sanitize(member));
			cache.set(conversation.id, {version, list: members});
			const state = client.state;
			const link = state === 'registered' ? 'connected' : state === 'connecting' ? 'connecting' : state === 'retrying' ? 'retrying' : 'idle';
			const summary: ConversationSummary = {
				id: conversation.id,
				kind: conversation.kind,
				// Names come from the server: shown only sanitized, like every text a peer sends.
				name: sanitize(conversation.kind === 'network' ? client.name : conversation.name),
				address: client.address,
				protocol: 'tcp',
				tnc: false,
				transports: ['tcp'],
				lastHeard: conversation.lastHeard,
				members,
				link,
				retryInMs: client.retryAt === undefined ? undefined : Math.max(0, client.retryAt - Date.now()),
				number: conversation.number,
				network: {id: this.networkOf(client).id, name: sanitize(client.name), nick: sanitize(client.nick), state, caps: [...client.registration.enabled].map(cap => sanitize(cap))},
				...(channel?.topic === undefined ? {} : {topic: sanitize(channel.topic)}),
			};
			return summary;
		});
		this.memberCache = cache;
		return summaries;
	}

	private countOf(client: IrcClient): number {
		return this.perClient.get(client) ?? 0;
	}

	private key(client: IrcClient, kind: IrcConversationKind, name: string): string {
		let clientKey = this.clientKeys.get(client);
		if (clientKey === undefined) {
			clientKey = this.clients++;
			this.clientKeys.set(client, clientKey);
		}

		return `${clientKey}\u0000${kind}\u0000${kind === 'network' ? '' : client.channels.fold(name)}`;
	}
}
