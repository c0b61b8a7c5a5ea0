import {TokenBucket} from '../session/token-bucket.js';
import type {IrcClient} from './client.js';
import {formatCtcp, parseCtcp} from './ctcp.js';
import {stripFormatting} from './formatting.js';
import type {IrcMessage} from './message.js';

/** Answers to CTCP requests: a few, however many arrive, so nobody can make us flood the server. */
const ctcpAnswers = new WeakMap<IrcClient, TokenBucket>();
/** Message ids already shown: a history replay after a reconnect does not show them twice. */
const seenIds = new WeakMap<IrcClient, Set<string>>();
const maxSeenIds = 5000;

/** The server's time for the line (server-time), or now; a time in the future is taken as now. */
export function messageTime(message: IrcMessage): number {
	const stamp = message.tags.get('time');
	const time = stamp === undefined ? Number.NaN : Date.parse(stamp);
	const now = Date.now();
	return Number.isFinite(time) && time <= now + 60_000 ? time : now;
}

/** A nick we may write to: what a server accepts as a PRIVMSG or NOTICE target. */
const plainNick = /^[^\s:!@#&,\0\r\n][^\s!@,\0\r\n]{0,63}$/;

function seenBefore(client: IrcClient, msgid: string | undefined): boolean {
	if (msgid === undefined || msgid.length > 128) {
		return false;
	}

	let seen = seenIds.get(client);
	if (seen === undefined) {
		seen = new Set();
		seenIds.set(client, seen);
	}

	if (seen.has(msgid)) {
		return true;
	}

	seen.add(msgid);
	if (seen.size > maxSeenIds) {
		const oldest = seen.values().next().value;
		if (oldest !== undefined) {
			seen.delete(oldest);
		}
	}

	return false;
}

/** Whether an answer went (a few, however many ask, and only to a nick that can be written to). */
function answerCtcp(client: IrcClient, to: string, command: string, args: string): boolean {
	let bucket = ctcpAnswers.get(client);
	if (bucket === undefined) {
		bucket = new TokenBucket(3, 0.2);
		ctcpAnswers.set(client, bucket);
	}

	const answer = command === 'VERSION' ? `tui-netchat ${client.options.version}` : command === 'PING' ? args.replaceAll(/[\0\r\n\u0001]/g, '').slice(0, 64) : undefined;
	if (answer === undefined || !plainNick.test(to) || !bucket.take()) {
		return false;
	}

	return client.send('NOTICE', [to, formatCtcp(command, answer)]);
}

/** PRIVMSG and NOTICE: to a channel or to us; CTCP ACTION, VERSION and PING; echoes of our own. */
export function handleChat(client: IrcClient, message: IrcMessage): void {
	const [addressed = '', raw = ''] = message.params;
	// STATUSMSG: "@#room" is a message to the channel's ops; it belongs in the channel.
	const symbols = new Set(client.support.prefixes.map(prefix => prefix.symbol));
	let skip = 0;
	while (skip < addressed.length - 1 && symbols.has(addressed[skip] ?? '') && !client.isChannel(addressed.slice(skip))) {
		skip++;
	}

	const target = client.isChannel(addressed.slice(skip)) ? addressed.slice(skip) : addressed;
	const from = message.source?.nick ?? '';
	const notice = message.command === 'NOTICE';
	const time = messageTime(message);
	const fromServer = message.source === undefined || message.source.user === undefined && message.source.host === undefined && from.includes('.');
	if (notice && (fromServer || client.state !== 'registered' || target === '*')) {
		client.sink.info(`-${from || 'server'}- ${stripFormatting(raw)}`, 'info', undefined, time);
		return;
	}

	const ctcp = parseCtcp(raw);
	if (ctcp && ctcp.command !== 'ACTION') {
		if (notice) {
			client.sink.info(`CTCP ${ctcp.command} reply from ${from}: ${stripFormatting(ctcp.args)}`, 'info', undefined, time);
		} else if (!client.isSelf(from)) {
			const answered = answerCtcp(client, from, ctcp.command, ctcp.args);
			client.sink.info(`${from} asked CTCP ${ctcp.command}${answered ? ' (answered)' : ''}`, 'info', undefined, time);
		}

		return;
	}

	const text = stripFormatting(ctcp ? ctcp.args : raw);
	const {types, label} = client.batches.of(message);
	const history = types.includes('chathistory');
	const msgid = message.tags.get('msgid');
	const self = client.isSelf(from);
	if (self && !history && client.registration.enabled.has('echo-message')) {
		const echo = client.echoes.echoed(client.channels.fold(target), ctcp ? ctcp.args : raw, label);
		if (echo.complete !== undefined) {
			client.sink.delivery(echo.complete, 'delivered');
		}

		if (echo.ours) {
			seenBefore(client, msgid);
			return;
		}
	}

	if (seenBefore(client, msgid) && history) {
		return;
	}

	if (!notice && !self && !client.isChannel(target) && !client.isSelf(target)) {
		// A message to someone else that reached us (a server relaying oddly): not ours to show.
		return;
	}

	client.sink.message({place: client.isChannel(target) ? {channel: target} : {query: self ? target : from}, from, text, action: ctcp?.command === 'ACTION', notice, time, self, history, msgid});
}
