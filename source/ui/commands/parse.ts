import type {Encoding} from '../../domain/encoding.js';
import {parseEndpoint, UsageError, type Endpoint, type Protocol} from '../../domain/endpoint.js';
import {parseNick, parseProtocol, parseEncoding} from '../../cli/options.js';
import {bellModes, type BellMode} from '../display-options.js';
import {existsSync} from 'node:fs';
import {ircCommandHelp, parseIrcCommand, type IrcInputCommand} from './parse-irc.js';
import {fileCommandHelp, parseFileCommand, type FileInputCommand} from './parse-files.js';
import {inspectHelp, parseInspectArgs, type InspectCommand} from './parse-inspect.js';

export type Command =
	| {readonly type: 'say'; readonly text: string}
	| {readonly type: 'me'; readonly text: string}
	| {readonly type: 'help'}
	| {readonly type: 'nick'; readonly nick: string}
	/** /nick alone: who you are (on an IRC buffer's network, your nick there). */
	| {readonly type: 'show-nick'}
	| {readonly type: 'connect'; readonly endpoint: Endpoint}
	/** /connect N or /connect NICK: a peer from /peers, as /query does. */
	| {readonly type: 'pick'; readonly selector: string}
	| {readonly type: 'who'}
	| {readonly type: 'proto'; readonly protocol: Protocol}
	/** /proto alone: the protocol of the buffer shown. */
	| {readonly type: 'show-proto'}
	/** /encoding NAME: how this conversation's text is read and written (alone: what it is). */
	| {readonly type: 'encoding'; readonly encoding?: Encoding}
	/** Without a mode: the mode now. */
	| {readonly type: 'bell'; readonly mode?: BellMode}
	/** Without on or off: whether notifications are on. */
	| {readonly type: 'notify'; readonly on?: boolean}
	| {readonly type: 'peers'}
	| {readonly type: 'query'; readonly selector: string}
	| {readonly type: 'msg'; readonly selector: string; readonly text: string}
	| {readonly type: 'buffer'; readonly number: number}
	| {readonly type: 'close'; readonly number?: number}
	| {readonly type: 'buffers'}
	| {readonly type: 'clear'}
	| {readonly type: 'quit'; readonly reason?: string}
	| IrcInputCommand
	| FileInputCommand
	| {readonly type: 'inspect'; readonly command: InspectCommand}
	| {readonly type: 'error'; readonly message: string};

export const commandHelp: ReadonlyArray<readonly [string, string]> = [
	['/help', 'this list'],
	['/nick [NAME]', 'change your nickname (in an IRC buffer: on that network); alone: who you are'],
	['/connect HOST:PORT', 'send your messages there from now on'],
	['/connect N|NICK', 'chat with a peer /peers lists (one found on the LAN too), in its own buffer'],
	['/encoding [utf8|gbk|gb18030]', 'how this conversation\'s text is read and written (in buffer 1: everyone\'s default); alone: what it is'],
	['/who', 'ask the LAN who is there (tui-netchat peers answer; /peers lists them)'],
	['/query N|NICK|ADDR', 'send your messages to a peer from /peers (in an IRC buffer: a nick there), in its own buffer'],
	['/msg N|NICK|ADDR TEXT', 'send TEXT once to a peer (in an IRC buffer: a nick or channel there)'],
	['/buffers', 'list the buffers: number, name, activity'],
	['/buffer N, /b N', 'go to buffer N (same as Alt+N)'],
	['/close [N]', 'close this buffer or buffer N (it reopens when its conversation has news)'],
	['/peers', 'who is known: nick or address, transport, last heard; and who is on the LAN'],
	['/proto [udp|tcp]', 'switch protocol, in a conversation\'s buffer for it (as Ctrl+T); alone: the one in use'],
	['/bell [off|mention|all]', 'when the bell rings: never, when your nick is written or in a private query (default), for every message out of sight'],
	['/notify [on|off]', 'a desktop notification through the terminal (OSC 9/777) when someone writes your nick'],
	['/me ACTION', 'send "* nick ACTION"'],
	['/clear', 'clear the pane, in a conversation\'s buffer its lines (the log keeps everything)'],
	...fileCommandHelp,
	inspectHelp,
	...ircCommandHelp,
	['/quit [REASON]', 'leave (same as Ctrl+C); IRC networks are told the reason'],
	['//text', 'send a line that starts with "/"'],
];

function bufferNumber(value: string, usage: string): number {
	if (!/^[1-9]\d{0,3}$/.test(value)) {
		throw new UsageError(`usage: ${usage} (a buffer number, as /buffers lists them)`);
	}

	return Number(value);
}

/** The first word of rest and everything after it (its spaces kept, as for any message). */
function selectorAndText(rest: string, usage: string): {selector: string; text: string} {
	const trimmed = rest.trimStart();
	const space = trimmed.search(/\s/);
	const text = space === -1 ? '' : trimmed.slice(space + 1);
	if (space === -1 || text.trim() === '') {
		throw new UsageError(`usage: ${usage}`);
	}

	return {selector: trimmed.slice(0, space), text};
}

function argument(rest: string, usage: string): string {
	const value = rest.trim();
	if (value === '') {
		throw new UsageError(`usage: ${usage}`);
	}

	return value;
}

function parseBell(value: string): Command {
	if (value === '') {
		return {type: 'bell'};
	}

	const mode = bellModes.find(candidate => candidate === value);
	if (mode === undefined) {
		throw new UsageError('usage: /bell off|mention|all');
	}

	return {type: 'bell', mode};
}

function parseNotify(value: string): Command {
	if (value === '') {
		return {type: 'notify'};
	}

	if (value !== 'on' && value !== 'off') {
		throw new UsageError('usage: /notify on|off');
	}

	return {type: 'notify', on: value === 'on'};
}

/** A line from the input box: a slash command, or text to send. Pure. */
export function parseInput(line: string): Command {
	if (!line.startsWith('/') || line.startsWith('//')) {
		return {type: 'say', text: line.startsWith('//') ? line.slice(1) : line};
	}

	const space = line.search(/\s/);
	const name = (space === -1 ? line.slice(1) : line.slice(1, space)).toLowerCase();
	const rest = space === -1 ? '' : line.slice(space + 1);
	try {
		switch (name) {
			case 'help': {
				return {type: 'help'};
			}

			case 'nick': {
				return rest.trim() === '' ? {type: 'show-nick'} : {type: 'nick', nick: parseNick(argument(rest, '/nick NAME'))};
			}

			case 'connect': {
				const target = argument(rest, '/connect HOST:PORT|N|NICK');
				// A number or a nick (no colon, no dot) is a peer from /peers; anything else an address.
				return /^[^\s:.[\]]+$/.test(target) ? {type: 'pick', selector: target} : {type: 'connect', endpoint: parseEndpoint(target, '/connect')};
			}

			case 'who': {
				return {type: 'who'};
			}

			case 'proto':
			case 'protocol': {
				return rest.trim() === '' ? {type: 'show-proto'} : {type: 'proto', protocol: parseProtocol(argument(rest, '/proto udp|tcp'))};
			}

			case 'bell': {
				return parseBell(rest.trim().toLowerCase());
			}

			case 'encoding': {
				const value = rest.trim();
				return value === '' ? {type: 'encoding'} : {type: 'encoding', encoding: parseEncoding(value)};
			}

			case 'notify': {
				return parseNotify(rest.trim().toLowerCase());
			}

			case 'me': {
				return {type: 'me', text: argument(rest, '/me ACTION')};
			}

			case 'peers': {
				return {type: 'peers'};
			}

			case 'query': {
				return {type: 'query', selector: argument(rest, '/query N|NICK|HOST:PORT')};
			}

			case 'msg': {
				return {type: 'msg', ...selectorAndText(rest, '/msg N|NICK|HOST:PORT TEXT')};
			}

			case 'buffer':
			case 'b': {
				return {type: 'buffer', number: bufferNumber(argument(rest, '/buffer N'), '/buffer N')};
			}

			case 'close': {
				const value = rest.trim();
				return value === '' ? {type: 'close'} : {type: 'close', number: bufferNumber(value, '/close [N]')};
			}

			case 'buffers': {
				return {type: 'buffers'};
			}

			case 'clear': {
				return {type: 'clear'};
			}

			case 'inspect': {
				return {type: 'inspect', command: parseInspectArgs(rest)};
			}

			case 'quit':
			case 'exit': {
				return rest.trim() === '' ? {type: 'quit'} : {type: 'quit', reason: rest.trim()};
			}

			default: {
				const irc = parseIrcCommand(name, rest) ?? parseFileCommand(name, rest, existsSync);
				if (irc) {
					return irc;
				}

				return {type: 'error', message: `Unknown command /${name}: /help lists commands; on IRC, /quote ${name.toUpperCase()} ... sends it to the server; // starts a message with /.`};
			}
		}
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error);
		return {type: 'error', message: message.replace(/^--(nick|protocol): /, `/${name}: `)};
	}
}
