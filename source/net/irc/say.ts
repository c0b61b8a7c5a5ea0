import type {IrcClient} from './client.js';
import {formatCtcp} from './ctcp.js';
import type {Held} from './held.js';
import {splitMessage} from './split-message.js';

/** Room for a PRIVMSG's text: 512 bytes, less CR LF, the prefix the server adds and the command. */
function lineRoom(client: IrcClient, command: string): number {
	const prefix = client.selfPrefix ?? `${client.nick}!~${client.nick.slice(0, 9)}@${'x'.repeat(63)}`;
	const {byteLength} = client.options.codec;
	// A server claiming lines shorter than RFC 1459's 512 would only make us cut messages to crumbs.
	return Math.max(512, client.support.lineLen) - 2 - byteLength(`:${prefix} `) - byteLength(command);
}

/**
 * A message as PRIVMSG lines, cut so that each fits 512 bytes with our prefix, paced, labelled and expected
 * back when the server echoes; a piece the connection loses before writing goes back to be held.
 */
export function sayNow(client: IrcClient, {target, text, action, lineId}: Held): void {
	const {codec} = client.options;
	// "\x01ACTION " before the text and "\x01" after it.
	const framing = action ? codec.byteLength(formatCtcp('ACTION', 'x')) - 1 : 0;
	const room = lineRoom(client, `PRIVMSG ${target} :`) - framing;
	// A message of several lines is one PRIVMSG per line (IRC has no line breaks), each cut to fit.
	const lines = text.split('\n').map(line => splitMessage(line, Math.max(16, room), codec.byteLength));
	const pieces = lines.flat();
	/** Where each line starts among the pieces: what is held again after a lost connection keeps its breaks. */
	const breaks = new Set(lines.slice(1).map((_line, index) => lines.slice(0, index + 1).flat().length));
	const echo = client.registration.enabled.has('echo-message');
	const labels = client.registration.enabled.has('labeled-response');
	let written = 0;
	let requeued = false;
	for (const [index, piece] of pieces.entries()) {
		const label = labels ? client.echoes.label() : undefined;
		const queued = client.send('PRIVMSG', [target, action ? formatCtcp('ACTION', piece) : piece], {
			tags: label === undefined ? undefined : {label},
			sent() {
				written++;
				if (written === pieces.length) {
					client.sink.delivery(lineId, 'sent');
				}
			},
			// The connection went before this piece was written: it and the rest go after the reconnect.
			lost() {
				if (!requeued) {
					requeued = true;
					client.held.hold({target, text: pieces.slice(index).map((piece, at) => (at > 0 && breaks.has(index + at) ? `\n${piece}` : piece)).join(''), action, lineId});
				}
			},
		});
		if (queued && echo) {
			client.echoes.expect(lineId, client.channels.fold(target), piece, label);
		}

		if (!queued) {
			client.sink.delivery(lineId, 'failed');
			client.sink.info(`Cannot send to "${target}": not a nick or channel name.`, 'error');
			return;
		}
	}
}

/** A message now when we are in the channel (or it is a nick), held while we are not yet, failed when we will not be. */
export function say(client: IrcClient, message: Held): void {
	const {target, lineId} = message;
	if (client.state === 'closed') {
		client.sink.delivery(lineId, 'failed');
		client.sink.info(`Not connected to ${client.address}: /server ${client.options.server.host}:${client.options.server.port} connects again.`, 'error', client.isChannel(target) ? {channel: target} : {query: target});
		return;
	}

	if (client.state === 'registered' && client.isChannel(target) && !client.wanted.has(target) && client.channels.get(target)?.joined !== true) {
		// Parted, kicked or never joined: nothing waits for a join that will not come.
		client.sink.delivery(lineId, 'failed');
		client.sink.info(`You are not in ${target}: /join ${target} first.`, 'error', {channel: target});
		return;
	}

	if (client.state !== 'registered' || (client.isChannel(target) && client.channels.get(target)?.joined !== true)) {
		client.held.hold(message);
	} else {
		sayNow(client, message);
	}
}
