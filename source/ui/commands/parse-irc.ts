import {UsageError} from '../../domain/endpoint.js';
import {parseChannelList, parseServerArgument, type IrcServer} from '../../domain/irc-server.js';

/** The IRC commands of the input box; /msg, /query, /nick and /me mean IRC in an IRC buffer. */
export type IrcInputCommand =
	| {readonly type: 'server'; readonly server: IrcServer}
	| {readonly type: 'join'; readonly channel: string; readonly key?: string}
	| {readonly type: 'part'; readonly channel?: string; readonly reason?: string}
	| {readonly type: 'topic'; readonly text?: string}
	| {readonly type: 'names'}
	| {readonly type: 'quote'; readonly line: string}
	| {readonly type: 'disconnect'; readonly reason?: string}
	| {readonly type: 'nicklist'}
	/** In an IRC buffer: AWAY on that network; elsewhere: tui-netchat peers are told. */
	| {readonly type: 'away'; readonly text?: string};

export const ircCommandHelp: ReadonlyArray<readonly [string, string]> = [
	['/server HOST[:PORT] [#room]', 'connect to an IRC network (+HOST or ircs://HOST for TLS)'],
	['/join #room [KEY]', 'join an IRC channel, in its own buffer'],
	['/part [#room] [REASON]', 'leave the channel (in its buffer: that one)'],
	['/topic [TEXT]', 'show or set the channel\'s topic'],
	['/names', 'who is in the channel'],
	['/nicklist', 'show or hide the nick list beside the pane (F7)'],
	['/whois NICK, /mode ARGS', 'as in irssi, on this buffer\'s network'],
	['/away [TEXT]', 'away (without TEXT: back); on an IRC buffer\'s network, else told to tui-netchat peers'],
	['/disconnect [REASON]', 'leave this buffer\'s network (/server connects again)'],
	['/quote LINE', 'send a raw IRC line to the network of this buffer'],
];

const channelPrefix = /^[#&+!]/;

/** An IRC command by name, or undefined when the name is not one. Throws UsageError for bad arguments. */
export function parseIrcCommand(name: string, rest: string): IrcInputCommand | undefined {
	const words = rest.trim().split(/\s+/).filter(Boolean);
	switch (name) {
		case 'server':
		case 'connect-irc': {
			if (words.length === 0) {
				throw new UsageError('usage: /server HOST[:PORT] [#room] (like /server 127.0.0.1:6667 #room)');
			}

			return {type: 'server', server: parseServerArgument(rest)};
		}

		case 'join':
		case 'j': {
			const [channel, key] = words;
			if (channel === undefined) {
				throw new UsageError('usage: /join #room [KEY]');
			}

			const [first, ...others] = parseChannelList(channel, '/join');
			if (first === undefined) {
				throw new UsageError('usage: /join #room [KEY]');
			}

			if (others.length > 0) {
				// Each channel has its own buffer: a list would join the first and drop the rest unsaid.
				throw new UsageError(`/join: one channel at a time (/join ${first}, then /join ${others[0] ?? ''})`);
			}

			return key === undefined ? {type: 'join', channel: first} : {type: 'join', channel: first, key};
		}

		case 'part':
		case 'leave': {
			const first = words[0];
			if (first !== undefined && channelPrefix.test(first)) {
				const reason = rest.trim().slice(first.length).trim();
				return reason === '' ? {type: 'part', channel: first} : {type: 'part', channel: first, reason};
			}

			return rest.trim() === '' ? {type: 'part'} : {type: 'part', reason: rest.trim()};
		}

		case 'topic': {
			return rest.trim() === '' ? {type: 'topic'} : {type: 'topic', text: rest.trim()};
		}

		case 'names': {
			return {type: 'names'};
		}

		case 'quote':
		case 'raw': {
			if (rest.trim() === '') {
				throw new UsageError('usage: /quote LINE (like /quote WHOIS alice)');
			}

			return {type: 'quote', line: rest.trim()};
		}

		case 'nicklist': {
			return {type: 'nicklist'};
		}

		case 'disconnect': {
			return rest.trim() === '' ? {type: 'disconnect'} : {type: 'disconnect', reason: rest.trim()};
		}

		case 'whois': {
			const [nick] = words;
			if (nick === undefined) {
				throw new UsageError('usage: /whois NICK');
			}

			return {type: 'quote', line: `WHOIS ${nick}`};
		}

		case 'mode': {
			if (words.length === 0) {
				throw new UsageError('usage: /mode #room +o alice (or /mode NICK +i)');
			}

			return {type: 'quote', line: `MODE ${words.join(' ')}`};
		}

		case 'away': {
			return rest.trim() === '' ? {type: 'away'} : {type: 'away', text: rest.trim()};
		}

		default: {
			return undefined;
		}
	}
}
