import {isHostName, parsePort, UsageError} from './endpoint.js';

/** Where an IRC network is reached, and what to do there: from --irc URL or /server. */
export type IrcServer = {
	readonly host: string;
	readonly port: number;
	readonly tls: boolean;
	/** The nick to use there; undefined: the chat's nick. */
	readonly nick: string | undefined;
	/** Channels to join once registered, as written ("#room"). */
	readonly channels: readonly string[];
};

export const ircPort = 6667;
export const ircsPort = 6697;

const channelPattern = /^[#&+!][^\s,\p{Cc}]{1,199}$/u;

export function parseChannelList(value: string, flag: string): string[] {
	const channels = value
		.split(',')
		.map(channel => channel.trim())
		.filter(channel => channel !== '')
		.map(channel => (/^[#&+!]/.test(channel) ? channel : `#${channel}`));
	for (const channel of channels) {
		if (!channelPattern.test(channel)) {
			throw new UsageError(`${flag}: "${channel}" is not a channel name (like #room: no spaces, commas or control characters)`);
		}
	}

	return channels;
}

function parseHostPort(text: string, tls: boolean, flag: string, value: string): {host: string; port: number} {
	const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
	const plain = /^([^:[\]]+)(?::([^:]*))?$/.exec(text);
	const match = bracketed ?? plain;
	const host = match?.[1];
	if (match === null || host === undefined || !isHostName(host)) {
		throw new UsageError(`${flag}: "${value}" has no host name or address (like irc://127.0.0.1:6667/#room)`);
	}

	const portText = match[2];
	return {host, port: portText === undefined ? (tls ? ircsPort : ircPort) : parsePort(portText, flag)};
}

/**
 * irc://[nick@]host[:port]/#room[,#other] (ircs:// for TLS). The channel may also be written without its "#",
 * as a URL fragment would eat it: irc://host/room.
 */
export function parseIrcUrl(value: string, flag = '--irc'): IrcServer {
	const match = /^(ircs?):\/\/(?:([^@/]+)@)?([^/]+)(?:\/(.*))?$/i.exec(value.trim());
	if (match === null) {
		throw new UsageError(`${flag}: expected irc://[nick@]host[:port]/#room (or ircs:// for TLS), got "${value}"`);
	}

	const [, scheme = 'irc', nick, hostPort = '', path = ''] = match;
	const tls = scheme.toLowerCase() === 'ircs';
	if (nick !== undefined && (nick.length > 32 || /[\s\p{C}:,]/u.test(nick))) {
		throw new UsageError(`${flag}: "${nick}" is not a nick (1-32 characters, no spaces or control characters)`);
	}

	return {...parseHostPort(hostPort, tls, flag, value), tls, nick, channels: parseChannelList(decodePath(path, flag, value), flag)};
}

/** "%23room" is "#room"; a bad escape ("%zz") is the user's mistake, not a crash. */
function decodePath(path: string, flag: string, value: string): string {
	try {
		return decodeURIComponent(path);
	} catch {
		throw new UsageError(`${flag}: "${value}" has a bad %-escape in its channels (write # as %23, or just the name: irc://host/room)`);
	}
}

/** /server host[:port] [#room,...], or a whole irc:// URL. */
export function parseServerArgument(value: string): IrcServer {
	const text = value.trim();
	if (/^ircs?:\/\//i.test(text)) {
		return parseIrcUrl(text, '/server');
	}

	// "#a,#b" or "#a #b": every channel named is joined.
	const [address = '', ...channelWords] = text.split(/\s+/);
	const channels = channelWords.join(',');
	const tls = address.startsWith('+');
	return {...parseHostPort(tls ? address.slice(1) : address, tls, '/server', value), tls, nick: undefined, channels: parseChannelList(channels, '/server')};
}

export function formatIrcServer(server: Pick<IrcServer, 'host' | 'port' | 'tls'>): string {
	const host = server.host.includes(':') ? `[${server.host}]` : server.host;
	return `${server.tls ? 'ircs' : 'irc'}://${host}:${server.port}`;
}
