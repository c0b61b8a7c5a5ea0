import {parseEndpoint, UsageError, type Endpoint, type Protocol} from '../../domain/endpoint.js';
import {parseNick, parseProtocol} from '../../cli/options.js';

export type Command =
	| {readonly type: 'say'; readonly text: string}
	| {readonly type: 'me'; readonly text: string}
	| {readonly type: 'help'}
	| {readonly type: 'nick'; readonly nick: string}
	| {readonly type: 'connect'; readonly endpoint: Endpoint}
	| {readonly type: 'proto'; readonly protocol: Protocol}
	| {readonly type: 'peers'}
	| {readonly type: 'query'; readonly selector: string}
	| {readonly type: 'clear'}
	| {readonly type: 'quit'}
	| {readonly type: 'error'; readonly message: string};

export const commandHelp: ReadonlyArray<readonly [string, string]> = [
	['/help', 'this list'],
	['/nick NAME', 'change your nickname (tui-netchat peers see it)'],
	['/connect HOST:PORT', 'send your messages there from now on'],
	['/query N|NICK|ADDR', 'send your messages to a peer from /peers'],
	['/peers', 'who is known: nick or address, transport, last heard'],
	['/proto udp|tcp', 'switch protocol (same as Ctrl+T)'],
	['/me ACTION', 'send "* nick ACTION"'],
	['/clear', 'clear the message pane (the log keeps everything)'],
	['/quit', 'leave (same as Ctrl+C)'],
	['//text', 'send a line that starts with "/"'],
];

export const keyHelp: ReadonlyArray<readonly [string, string]> = [
	['Ctrl+T', 'switch between UDP and TCP'],
	['Up/Down', 'recall sent lines'],
	['PageUp/PageDown', 'scroll the history; End returns to live'],
	['Ctrl+A/E, Home/End', 'start/end of line'],
	['Alt+B/F, Ctrl+Left/Right', 'a word back/forward'],
	['Ctrl+U, Ctrl+K, Ctrl+W', 'delete to start/end of line, delete word'],
	['Ctrl+C', 'quit'],
];

function argument(rest: string, usage: string): string {
	const value = rest.trim();
	if (value === '') {
		throw new UsageError(`usage: ${usage}`);
	}

	return value;
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
				return {type: 'nick', nick: parseNick(argument(rest, '/nick NAME'))};
			}

			case 'connect': {
				return {type: 'connect', endpoint: parseEndpoint(argument(rest, '/connect HOST:PORT'), '/connect')};
			}

			case 'proto':
			case 'protocol': {
				return {type: 'proto', protocol: parseProtocol(argument(rest, '/proto udp|tcp'))};
			}

			case 'me': {
				return {type: 'me', text: argument(rest, '/me ACTION')};
			}

			case 'peers': {
				return {type: 'peers'};
			}

			case 'query':
			case 'msg': {
				return {type: 'query', selector: argument(rest, '/query N|NICK|HOST:PORT')};
			}

			case 'clear': {
				return {type: 'clear'};
			}

			case 'quit':
			case 'exit': {
				return {type: 'quit'};
			}

			default: {
				return {type: 'error', message: `Unknown command /${name}: /help lists commands; start with // to send a line beginning with /.`};
			}
		}
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error);
		return {type: 'error', message: message.replace(/^--(nick|protocol): /, `/${name}: `)};
	}
}
