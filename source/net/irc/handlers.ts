import {handleChat, messageTime} from './chat-handlers.js';
import type {IrcClient} from './client.js';
import {stripFormatting} from './formatting.js';
import {applyIsupport} from './isupport.js';
import type {IrcMessage} from './message.js';

type Handler = (client: IrcClient, message: IrcMessage) => void;

/** Lines of history asked for on joining, when the server keeps history (IRCv3 chathistory). */
const historyLines = 50;

function reasonOf(text: string | undefined): string {
	return text === undefined || text === '' ? '' : ` (${stripFormatting(text)})`;
}

function who(message: IrcMessage): string {
	const source = message.source;
	return source?.user === undefined ? (source?.nick ?? '') : `${source.nick} (${source.user}@${source.host ?? ''})`;
}

function askHistory(client: IrcClient, channel: string): void {
	const enabled = client.registration.enabled;
	// Only for channels the user asked for: a server forcing joins on us does not make us send for each.
	if ((enabled.has('draft/chathistory') || enabled.has('chathistory')) && client.wanted.has(channel)) {
		const limit = client.support.chatHistory ? Math.min(historyLines, client.support.chatHistory) : historyLines;
		client.send('CHATHISTORY', ['LATEST', channel, '*', String(limit)]);
	}
}

const onJoin: Handler = (client, message) => {
	const [channel = ''] = message.params;
	const nick = message.source?.nick ?? '';
	if (!client.isChannel(channel) || /[\s,]/.test(channel)) {
		return;
	}

	const time = messageTime(message);
	if (client.isSelf(nick)) {
		client.selfPrefix = message.source?.raw;
		const state = client.channels.join(channel, nick);
		state.joined = true;
		state.name = channel;
		client.sink.joined(channel);
		client.sink.info(`You joined ${channel}`, 'info', {channel}, time);
		askHistory(client, channel);
		client.releaseHeld(channel);
	} else {
		client.channels.join(channel, nick);
		client.sink.info(`→ ${who(message)} joined ${channel}`, 'info', {channel}, time);
	}

	client.sink.changed();
};

const onPart: Handler = (client, message) => {
	const [channel = '', reason] = message.params;
	if (client.channels.get(channel) === undefined) {
		return;
	}

	const nick = message.source?.nick ?? '';
	const self = client.isSelf(nick);
	client.channels.leave(channel, nick, self);
	client.sink.info(self ? `You left ${channel}${reasonOf(reason)}` : `← ${nick} left ${channel}${reasonOf(reason)}`, 'info', {channel}, messageTime(message));
	client.sink.changed();
};

const onKick: Handler = (client, message) => {
	const [channel = '', nick = '', reason] = message.params;
	if (client.channels.get(channel) === undefined) {
		return;
	}

	const self = client.isSelf(nick);
	client.channels.leave(channel, nick, self);
	if (self) {
		client.wanted.delete(channel);
		client.failHeld(held => client.channels.fold(held.target) === client.channels.fold(channel));
	}

	const by = message.source?.nick ?? 'the server';
	client.sink.info(self ? `You were kicked from ${channel} by ${by}${reasonOf(reason)}; /join ${channel} to go back` : `← ${nick} was kicked by ${by}${reasonOf(reason)}`, self ? 'error' : 'info', {channel}, messageTime(message));
	client.sink.changed();
};

const onQuit: Handler = (client, message) => {
	const nick = message.source?.nick ?? '';
	for (const channel of client.channels.quit(nick)) {
		client.sink.info(`← ${nick} quit${reasonOf(message.params[0])}`, 'info', {channel: channel.name}, messageTime(message));
	}

	client.sink.changed();
};

const onNick: Handler = (client, message) => {
	const from = message.source?.nick ?? '';
	const to = message.params[0] ?? '';
	const self = client.isSelf(from);
	if (self) {
		client.registration.nick = to;
		client.selfPrefix = client.selfPrefix?.replace(/^[^!]*/, to);
		client.sink.info(`You are now known as ${to}`, 'info');
	}

	if (!self) {
		client.sink.renamed(from, to);
	}

	for (const channel of client.channels.rename(from, to)) {
		client.sink.info(self ? `You are now known as ${to}` : `${from} is now known as ${to}`, 'info', {channel: channel.name}, messageTime(message));
	}

	client.sink.changed();
};

const onTopic: Handler = (client, message) => {
	const [channel = '', topic = ''] = message.params;
	const state = client.channels.get(channel);
	if (state === undefined) {
		return;
	}

	state.topic = stripFormatting(topic);
	client.sink.info(`${message.source?.nick ?? 'The server'} changed the topic to: ${state.topic}`, 'info', {channel}, messageTime(message));
	client.sink.changed();
};

const onMode: Handler = (client, message) => {
	const [target = '', modes = '', ...args] = message.params;
	const by = message.source?.nick ?? 'the server';
	if (client.isChannel(target)) {
		if (client.channels.get(target) === undefined) {
			return;
		}

		client.channels.mode(target, modes, args);
		client.sink.info(`${by} sets mode ${[modes, ...args].join(' ')}`, 'info', {channel: target}, messageTime(message));
		client.sink.changed();
	} else {
		client.sink.info(`Your user mode is now ${[modes, ...args].join(' ')}`, 'info');
	}
};

const onWelcome: Handler = (client, message) => {
	// A server repeating its welcome does not make us join everything again.
	if (client.state === 'registered') {
		return;
	}

	const mask = /\S+!\S+@\S+$/.exec(message.params.at(-1) ?? '')?.[0];
	client.selfPrefix = mask;
	client.sink.info(`Connected to ${client.address} as ${client.nick}.`, 'info');
	client.welcomed();
};

/** Replies that concern a channel: shown in its buffer. */
const channelErrors = new Set(['403', '404', '405', '442', '471', '473', '474', '475', '476', '477', '482']);

function numeric(client: IrcClient, message: IrcMessage): void {
	const [, ...rest] = message.params;
	const code = Number(message.command);
	const error = code >= 400 && code < 600;
	const trailing = rest.at(-1) ?? '';
	// "265 me 1 1 :Current local users: 1, Max: 1": the numbers are in the sentence already.
	const text = stripFormatting(rest.slice(0, -1).every(part => /^\d+$/.test(part)) ? trailing : rest.join(' '));
	const channel = channelErrors.has(message.command) ? rest[0] : undefined;
	if (channel !== undefined && client.isChannel(channel)) {
		client.sink.info(text, 'error', {channel});
		if (['471', '473', '474', '475', '477'].includes(message.command)) {
			client.wanted.delete(channel);
			client.failHeld(held => client.channels.fold(held.target) === client.channels.fold(channel));
		}
	} else if (message.command === '401' && rest[0] !== undefined && !client.isChannel(rest[0])) {
		// No such nick: said in the query with them, where the message was typed.
		client.sink.info(text, 'error', {query: rest[0], onlyIfOpen: true});
	} else {
		client.sink.info(text, error ? 'error' : 'info');
	}
}

const handlers: Record<string, Handler> = {
	PING(client, message) {
		// The token comes back as it came, less what cannot be in a line.
		client.send('PONG', [(message.params.at(-1) ?? '').replaceAll(/[\r\n\0]/g, '')], {urgent: true});
	},
	ERROR(client, message) {
		client.sink.info(`The server says: ${stripFormatting(message.params[0] ?? '')}`, 'error');
	},
	PRIVMSG: handleChat,
	NOTICE: handleChat,
	JOIN: onJoin,
	PART: onPart,
	KICK: onKick,
	QUIT: onQuit,
	NICK: onNick,
	TOPIC: onTopic,
	MODE: onMode,
	BATCH(client, message) {
		client.batches.handle(message);
	},
	INVITE(client, message) {
		const channel = message.params[1] ?? '';
		client.sink.info(`${message.source?.nick ?? 'Someone'} invites you to ${channel}: /join ${channel}`, 'info');
	},
	CHGHOST(client, message) {
		if (client.isSelf(message.source?.nick ?? '')) {
			client.selfPrefix = `${client.nick}!${message.params[0] ?? ''}@${message.params[1] ?? ''}`;
		}
	},
	FAIL(client, message) {
		client.sink.info(`${message.params.slice(0, 2).join(' ')}: ${message.params.at(-1) ?? ''}`, 'error');
	},
	'001': onWelcome,
	'005'(client, message) {
		const before = client.support.casemapping;
		client.support = applyIsupport(client.support, message.params.slice(1, -1));
		if (client.support.casemapping !== before) {
			// Names were folded the old way: every table keyed by them is folded again.
			client.refold();
		}

		client.sink.changed();
	},
	'332'(client, message) {
		const [, channel = '', topic = ''] = message.params;
		const state = client.channels.get(channel);
		if (state === undefined) {
			return;
		}

		state.topic = stripFormatting(topic);
		client.sink.info(`Topic: ${stripFormatting(topic)}`, 'info', {channel});
		client.sink.changed();
	},
	'333'() {},
	'353'(client, message) {
		const channel = message.params.at(-2) ?? '';
		client.channels.names(channel, (message.params.at(-1) ?? '').split(' ').filter(Boolean));
	},
	'366'(client, message) {
		client.channels.endNames(message.params[1] ?? '');
		client.sink.changed();
	},
	'900'() {},
};

/** Each kind of line to its handler; registration sees every line first while it is under way. */
export function handleMessage(client: IrcClient, message: IrcMessage): void {
	if (client.registration.handle(message)) {
		return;
	}

	const handler = handlers[message.command];
	if (handler) {
		handler(client, message);
	} else if (/^\d{3}$/.test(message.command)) {
		numeric(client, message);
	}
}
