import {isIP} from 'node:net';
import {userInfo} from 'node:os';
import {encodings, type Encoding} from '../domain/encoding.js';
import {parseEndpoint, parsePort, UsageError, type Endpoint, type Protocol} from '../domain/endpoint.js';
import {parseIrcUrl, type IrcServer} from '../domain/irc-server.js';
import type {ChatServiceOptions} from '../net/index.js';
import {bellModes, defaultDisplay, type BellMode, type DisplayOptions} from '../ui/display-options.js';
import type {ConfigFile} from './config.js';
import {defaultFormat, parseFormat, type LineFormat} from './line-format.js';

/** The parsed command line: what the chat service takes, and what only the command line needs. */
export type ChatOptions = Pick<ChatServiceOptions, 'port' | 'portExplicit' | 'peer' | 'protocol' | 'nick' | 'bind'> & {
	readonly encoding: Encoding;
	readonly maxDatagram: number;
	readonly log: string | undefined;
	/** --downloads DIR: where received files go (undefined: $XDG_DOWNLOAD_DIR/tui-netchat or ~/Downloads/tui-netchat). */
	readonly downloads: string | undefined;
	/** How the chat looks and alerts: --bell, --no-bell, --notify and the config file's [display]. */
	readonly display: DisplayOptions;
	/** The config file's [peers]: `--peer NAME` is resolved here; `/connect NAME` needs them in the chat. */
	readonly peers: ReadonlyMap<string, Endpoint>;
	/** --send TEXT: send one message and exit. */
	readonly send: string | undefined;
	/** --secret or TUI_NETCHAT_SECRET; "-" means ask on the terminal. */
	readonly secret: string | undefined;
	readonly irc: readonly IrcServer[];
	/** --irc-password or TUI_NETCHAT_IRC_PASSWORD; "-" means ask on the terminal. */
	readonly ircPassword: string | undefined;
	/** --discovery / --no-discovery (or TUI_NETCHAT_DISCOVERY=off); undefined: the mode decides (on with a terminal). */
	readonly discovery: boolean | undefined;
	/** --discover: list the peers on the LAN and exit. */
	readonly discover: boolean;
	/** --format: how pipe mode prints a received message (the full-screen chat does not use it). */
	readonly format: LineFormat;
	/** --listen: pipe mode that keeps running after input ends, until a signal or /quit. */
	readonly listen: boolean;
};

export type RawFlags = {
	readonly encoding?: string;
	readonly maxDatagram?: string;
	readonly log?: string;
	readonly downloads?: string;
	/** --bell off|mention|all; --no-bell is false. */
	readonly bell?: string | boolean;
	readonly notify?: boolean;
	readonly send?: string;
	readonly secret?: string;
	readonly port?: string;
	readonly peer?: string;
	readonly protocol?: string;
	readonly nick?: string;
	readonly bind?: string;
	readonly irc?: readonly string[];
	readonly ircPassword?: string;
	readonly discovery?: boolean;
	readonly discover?: boolean;
	readonly format?: string;
	readonly listen?: boolean;
};

export const defaultPort = 7852;

export function parseProtocol(value: string): Protocol {
	const lower = value.trim().toLowerCase();
	if (lower === 'udp' || lower === 'tcp') {
		return lower;
	}

	throw new UsageError(`--protocol: "${value}" is not a protocol; use udp or tcp`);
}

export function parseNick(value: string): string {
	const nick = value.trim();
	// Only digits would read as a /peers number, a colon as an address: LAN peers refuse such nicks too.
	if (nick === '' || nick.length > 32 || /[\s\p{C}:]/u.test(nick) || /^\p{Nd}+$/u.test(nick)) {
		throw new UsageError(`--nick: "${value}" must be 1-32 characters with no spaces, colons or control characters, and not only digits`);
	}

	return nick;
}

export const maxUdpPayload = 65_507;

/** --bell MODE (a bare --bell: the default, mention); true and false as a config file may say them. */
export function parseBell(value: string | boolean, name = '--bell'): BellMode {
	if (typeof value === 'boolean') {
		return value ? 'mention' : 'off';
	}

	const mode = value.trim() === '' ? 'mention' : bellModes.find(bell => bell === value.trim().toLowerCase());
	if (mode === undefined) {
		throw new UsageError(`${name}: "${value}" is not a bell mode; use off, mention (your nick, or a private message) or all`);
	}

	return mode;
}

export function parseEncoding(value: string): Encoding {
	const normal = value.trim().toLowerCase().replace(/^utf-8$/, 'utf8');
	const found = encodings.find(encoding => encoding === normal);
	if (found === undefined) {
		throw new UsageError(`--encoding: "${value}" is not supported; use ${encodings.join(', ')}`);
	}

	return found;
}

export function parseMaxDatagram(value: string): number {
	const size = /^\d+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
	if (!Number.isInteger(size) || size < 64 || size > maxUdpPayload) {
		throw new UsageError(`--max-datagram: "${value}" must be a byte count from 64 to ${maxUdpPayload}`);
	}

	return size;
}

function resolveSecret(flag: string | undefined, env: NodeJS.ProcessEnv, name = '--secret', variable = 'TUI_NETCHAT_SECRET'): string | undefined {
	if (flag !== undefined) {
		if (flag === '') {
			throw new UsageError(`${name}: give a ${name === '--secret' ? 'passphrase' : 'password'}, or - to be asked for it`);
		}

		return flag;
	}

	const fromEnv = env[variable];
	return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv;
}

function defaultNick(): string {
	try {
		const name = userInfo().username;
		return /^[\w.-]{1,32}$/.test(name) && !/^\d+$/.test(name) ? name : 'me';
	} catch {
		return 'me';
	}
}

/** An explicit flag wins; else TUI_NETCHAT_DISCOVERY=off (or 0, no, false) turns discovery off. */
function resolveDiscovery(flag: boolean | undefined, env: NodeJS.ProcessEnv): boolean | undefined {
	const value = env['TUI_NETCHAT_DISCOVERY']?.trim().toLowerCase();
	return flag ?? (value === undefined || value === '' ? undefined : !['off', '0', 'no', 'false'].includes(value));
}

/** --peer HOST:PORT, or a name from the config file's [peers]. */
function resolvePeer(value: string, config: ConfigFile | undefined): Endpoint {
	const named = config?.peers.get(value.trim());
	if (named !== undefined) {
		return named;
	}

	if (config !== undefined && config.peers.size > 0 && !value.includes(':')) {
		throw new UsageError(`--peer: "${value}" is neither HOST:PORT nor a peer named in ${config.path} (${[...config.peers.keys()].join(', ')})`);
	}

	return parseEndpoint(value);
}

/** Flags given on the command line, over the config file's defaults (a flag not given is undefined). */
function withDefaults(flags: RawFlags, config: ConfigFile | undefined): RawFlags {
	const given = Object.fromEntries(Object.entries(flags).filter(([, value]) => value !== undefined));
	return {...config?.flags, ...given};
}

export function resolveOptions(cliFlags: RawFlags, env: NodeJS.ProcessEnv = process.env, config?: ConfigFile): ChatOptions {
	const flags = withDefaults(cliFlags, config);
	// A port from the config file is a default: when it is busy a free one is taken, and pipe mode does not take it.
	const portExplicit = cliFlags.port !== undefined;
	const port = flags.port === undefined ? defaultPort : parsePort(flags.port, '--port', true);
	const bind = flags.bind?.trim();
	if (bind !== undefined && isIP(bind) === 0) {
		throw new UsageError(`--bind: "${flags.bind}" is not an IP address of this machine (like 127.0.0.1 or ::1)`);
	}

	if (flags.send !== undefined && flags.send.trim() === '') {
		throw new UsageError('--send: give the text to send, like --send "hello"');
	}

	if (flags.discover && (flags.send !== undefined || cliFlags.peer !== undefined || (cliFlags.irc ?? []).length > 0 || flags.listen)) {
		throw new UsageError('--discover only lists the peers on the LAN: it takes no --peer, --send, --listen or --irc');
	}

	if (flags.listen && flags.send !== undefined) {
		throw new UsageError('--listen keeps running and --send exits once its message went out: use one or the other');
	}

	if (flags.send !== undefined && flags.peer === undefined) {
		throw new UsageError('--send needs --peer HOST:PORT to know where to send');
	}

	return {
		port,
		portExplicit,
		peer: flags.peer === undefined ? undefined : resolvePeer(flags.peer, config),
		protocol: flags.protocol === undefined ? 'udp' : parseProtocol(flags.protocol),
		nick: flags.nick === undefined ? defaultNick() : parseNick(flags.nick),
		bind,
		encoding: flags.encoding === undefined ? 'utf8' : parseEncoding(flags.encoding),
		maxDatagram: flags.maxDatagram === undefined ? 1024 : parseMaxDatagram(flags.maxDatagram),
		log: flags.log === undefined || flags.log.trim() === '' ? undefined : flags.log,
		downloads: flags.downloads === undefined || flags.downloads.trim() === '' ? undefined : flags.downloads,
		display: {
			...defaultDisplay,
			...config?.display,
			...(cliFlags.bell === undefined ? {} : {bell: parseBell(cliFlags.bell)}),
			...(cliFlags.notify === undefined ? {} : {notify: cliFlags.notify}),
		},
		peers: config?.peers ?? new Map(),
		send: flags.send,
		secret: resolveSecret(flags.secret, env),
		irc: (flags.irc ?? []).map(url => parseIrcUrl(url)),
		ircPassword: resolveSecret(flags.ircPassword, env, '--irc-password', 'TUI_NETCHAT_IRC_PASSWORD'),
		discovery: resolveDiscovery(flags.discovery, env),
		discover: flags.discover ?? false,
		format: flags.format === undefined ? defaultFormat : parseFormat(flags.format),
		listen: flags.listen ?? false,
	};
}
