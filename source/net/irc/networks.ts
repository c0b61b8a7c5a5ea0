import type {ConversationSummary, IrcConversationKind} from '../../domain/conversation.js';
import type {IrcCommand} from '../../domain/irc-command.js';
import type {IrcServer} from '../../domain/irc-server.js';
import type {ChatHistory} from '../history/history.js';
import {sanitizeText} from '../wire/multiline.js';
import {sanitize} from '../wire/sanitize.js';
import type {TextCodec} from '../wire/text-codec.js';
import {IrcClient} from './client.js';
import {IrcConversations, type IrcConversation} from './irc-conversations.js';
import {parseMessage} from './message.js';
import {networkSink, systemLine} from './network-sink.js';
import type {SendRate} from './send-queue.js';

export type IrcNetworksParts = {
	readonly history: ChatHistory;
	readonly codec: () => TextCodec;
	/** The next conversation number: IRC conversations count with the others in /peers and the buffers. */
	readonly numbers: () => number;
	readonly nick: () => string;
	readonly password: string | undefined;
	readonly version: string;
	readonly retryBaseMs?: number;
	readonly rate?: SendRate;
	readonly ca?: string | Buffer;
};

/** Every IRC network we are on, as conversations: one per network (its buffer), channel and query. */
export class IrcNetworks {
	focus: {readonly conversation: string; readonly serial: number} | undefined;
	private readonly conversations: IrcConversations;
	private readonly clients: IrcClient[] = [];
	private version = 0;

	constructor(private readonly parts: IrcNetworksParts) {
		this.conversations = new IrcConversations(parts.numbers);
	}

	owns(id: string | undefined): boolean {
		return this.conversations.get(id) !== undefined;
	}

	/** Connects to a network; the conversation to show is its first channel's (or its own). */
	add(server: IrcServer): string {
		const {parts} = this;
		let client: IrcClient | undefined;
		const sink = networkSink({history: parts.history, conversations: this.conversations, changed: () => this.changed()}, () => client);
		client = new IrcClient({server, nick: server.nick ?? parts.nick(), password: parts.password, codec: parts.codec(), sink, version: parts.version, retryBaseMs: parts.retryBaseMs, rate: parts.rate, ca: parts.ca});
		this.clients.push(client);
		const network = this.conversations.networkOf(client);
		const channels = server.channels.map(channel => this.conversations.ensure(client, 'channel', channel));
		client.start();
		const shown = channels[0] ?? network;
		this.show(shown);
		return shown.id;
	}

	/** A message typed in an IRC buffer. */
	send(id: string, text: string, action: boolean): void {
		const conversation = this.conversations.get(id);
		if (conversation === undefined) {
			return;
		}

		if (conversation.kind === 'network') {
			this.error('This is the network\'s own buffer: /join #room to talk in a channel, or /msg NICK TEXT.', conversation);
			return;
		}

		const {client} = conversation;
		const line = {
			id: this.parts.history.newId(),
			time: Date.now(),
			conversation: conversation.id,
			kind: 'out' as const,
			transport: 'irc' as const,
			from: sanitize(client.nick),
			to: sanitize(conversation.name),
			text: sanitizeText(text),
			delivery: 'pending' as const,
			expectsAck: client.registration.enabled.has('echo-message'),
			...(action ? {action} : {}),
		};
		this.parts.history.append(line);
		client.say(conversation.name, text, action, line.id);
	}

	run(command: IrcCommand): string | undefined {
		if (command.type === 'server') {
			return this.add(command.server);
		}

		if (command.type === 'quit') {
			for (const client of this.clients) {
				void client.quit(command.reason ?? `tui-netchat ${this.parts.version}`);
			}

			return undefined;
		}

		const here = this.conversations.get(command.conversation);
		const client = here?.client ?? (this.clients.length === 1 ? this.clients[0] : undefined);
		if (client === undefined) {
			this.parts.history.system(
				this.clients.length === 0 ? 'Not on any IRC network: /server HOST[:PORT] connects to one (or start with --irc irc://HOST/#room).' : 'Which network? Go to one of its buffers first (Alt+N).',
				'error',
				command.conversation,
			);
			return undefined;
		}

		return this.runOn(client, here, command);
	}

	summaries(): ConversationSummary[] {
		return this.conversations.summaries(this.version);
	}

	close(): void {
		for (const client of this.clients) {
			void client.quit(`tui-netchat ${this.parts.version}`);
		}
	}

	private runOn(client: IrcClient, here: IrcConversation | undefined, command: Exclude<IrcCommand, {type: 'server' | 'quit'}>): string | undefined {
		const where = here ?? this.conversations.networkOf(client);
		const channelHere = here?.kind === 'channel' ? here.name : undefined;
		switch (command.type) {
			case 'join': {
				const channel = client.isChannel(command.channel) ? command.channel : `#${command.channel}`;
				client.join(channel, command.key);
				const conversation = this.conversations.ensure(client, 'channel', channel);
				this.info(client.state === 'registered' ? `Joining ${channel}…` : `${channel} is joined once ${client.name} is connected.`, conversation);
				this.show(conversation);
				return conversation.id;
			}

			case 'part': {
				const channel = command.channel ?? channelHere;
				if (channel === undefined) {
					this.error('/part leaves a channel: type it in the channel\'s buffer, or /part #room.', where);
					return undefined;
				}

				client.part(channel, command.reason);
				return undefined;
			}

			case 'topic': {
				if (channelHere === undefined) {
					this.error('/topic works in a channel\'s buffer.', where);
				} else if (command.text === undefined) {
					const topic = client.channels.get(channelHere)?.topic;
					this.info(topic === undefined || topic === '' ? `${channelHere} has no topic.` : `Topic: ${topic}`, where);
				} else {
					client.send('TOPIC', [channelHere, command.text]);
				}

				return undefined;
			}

			case 'names': {
				const channel = channelHere === undefined ? undefined : client.channels.get(channelHere);
				if (channel === undefined) {
					this.error('/names works in a channel\'s buffer.', where);
				} else {
					const members = client.channels.memberList(channel);
					this.info(`${channel.name}: ${members.length} ${members.length === 1 ? 'person' : 'people'}: ${members.join(' ')}`, where);
					client.send('NAMES', [channel.name]);
				}

				return undefined;
			}

			case 'query': {
				const conversation = this.conversations.ensure(client, client.isChannel(command.nick) ? 'channel' : 'query', command.nick);
				// The next snapshot names the new buffer at once, not its id.
				this.changed();
				return conversation.id;
			}

			case 'msg': {
				const kind: IrcConversationKind = client.isChannel(command.target) ? 'channel' : 'query';
				const conversation = this.conversations.ensure(client, kind, command.target);
				this.send(conversation.id, command.text, command.action ?? false);
				if (conversation !== where) {
					this.info(`→ ${command.target}: ${command.text}`, where);
				}

				this.changed();
				return undefined;
			}

			case 'nick': {
				client.setNick(command.nick);
				return undefined;
			}

			case 'disconnect': {
				void client.quit(command.reason ?? `tui-netchat ${this.parts.version}`);
				this.info(`Disconnected from ${client.address} (/server ${client.options.server.host}:${client.options.server.port} connects again).`, where);
				this.changed();
				return undefined;
			}

			case 'quote': {
				const message = parseMessage(command.line);
				if (message === undefined || /[\r\n\0]/.test(command.line) || !client.send(message.command, message.params, {tags: Object.fromEntries(message.tags)})) {
					this.error('/quote sends one raw IRC line, like /quote WHOIS alice.', where);
				}

				return undefined;
			}
		}
	}

	private show(conversation: IrcConversation): void {
		this.focus = {conversation: conversation.id, serial: (this.focus?.serial ?? 0) + 1};
		this.changed();
	}

	private changed(): void {
		this.version++;
		this.parts.history.changed();
	}

	private info(text: string, conversation: IrcConversation): void {
		systemLine(this.parts.history, text, 'info', conversation);
	}

	private error(text: string, conversation: IrcConversation): void {
		systemLine(this.parts.history, text, 'error', conversation);
	}
}
