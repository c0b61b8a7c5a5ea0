import {readFileSync} from 'node:fs';
import {isIP} from 'node:net';
import {homedir} from 'node:os';
import {join} from 'node:path';
import {parseEndpoint, parsePort, UsageError, type Endpoint} from '../domain/endpoint.js';
import {parseIrcUrl} from '../domain/irc-server.js';
import type {DisplayOptions} from '../ui/display-options.js';
import {parseColours} from './config-colours.js';
import {lineOf, suggestion, typeName, type Place} from './config-text.js';
import {parseFormat} from './line-format.js';
import {parseBell, parseEncoding, parseMaxDatagram, parseNick, parseProtocol, type RawFlags} from './options.js';

/** What a config file says: defaults for flags (flags given on the command line win), named peers, display. */
export type ConfigFile = {
	/** The file as messages name it (~ for the home directory). */
	readonly path: string;
	readonly flags: RawFlags;
	/** [peers] home = "192.168.1.20:7852": `--peer home`, and `/connect home` in the chat. */
	readonly peers: ReadonlyMap<string, Endpoint>;
	readonly display: Partial<DisplayOptions>;
};

/** A wrong key or value, worded `FILE:LINE: what is wrong`; exit code 2. */
export class ConfigError extends Error {}

/** The TOML parser's one function the config needs: smol-toml's, loaded only when a file exists. */
export type TomlParse = (source: string) => Record<string, unknown>;

/** --config FILE, else $XDG_CONFIG_HOME/tui-netchat/config.toml (~/.config when XDG_CONFIG_HOME is unset or relative). */
export function configPath(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): {readonly file: string; readonly explicit: boolean} {
	if (flag !== undefined) {
		return {file: flag, explicit: true};
	}

	const xdg = env['XDG_CONFIG_HOME'];
	const base = xdg !== undefined && xdg.startsWith('/') ? xdg : join(env['HOME'] ?? homedir(), '.config');
	return {file: join(base, 'tui-netchat', 'config.toml'), explicit: false};
}

function shown(file: string, env: NodeJS.ProcessEnv): string {
	const home = env['HOME'] ?? homedir();
	return home.length > 1 && file.startsWith(`${home}/`) ? `~${file.slice(home.length)}` : file;
}

/**
 * Reads the config file: undefined when the default one does not exist (most people have none); a --config
 * FILE that cannot be read is an error. The parser is imported only here, so a start without a file never loads it.
 */
export async function loadConfig(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<ConfigFile | undefined> {
	const {file, explicit} = configPath(flag, env);
	if (explicit && file.trim() === '') {
		throw new ConfigError('--config: give a file, like --config ~/chat.toml');
	}

	let source: string;
	try {
		source = readFileSync(file, 'utf8');
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (!explicit && (code === 'ENOENT' || code === 'ENOTDIR')) {
			return undefined;
		}

		const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'not allowed to read it' : (error as Error).message;
		throw new ConfigError(`${explicit ? '--config ' : ''}${shown(file, env)}: ${why}`);
	}

	const {parse} = await import('smol-toml');
	return parseConfig(source, shown(file, env), parse as TomlParse);
}

const topKeys = ['port', 'peer', 'protocol', 'nick', 'bind', 'encoding', 'max-datagram', 'log', 'downloads', 'bell', 'notify', 'discovery', 'irc', 'format', 'peers', 'display', 'colours'] as const;
const displayKeys = ['time_format', 'date_changes', 'bell', 'notify'] as const;

/** Keys that are flags but not defaults, and why a file does not take them. */
const refusedKeys: Record<string, string> = {
	secret: 'a passphrase is not kept in a file (anyone who can read it could read and forge your chat): use TUI_NETCHAT_SECRET or --secret -',
	'irc-password': 'a password is not kept in a file: use TUI_NETCHAT_IRC_PASSWORD or --irc-password -',
	send: '--send is an action, not a default: give it on the command line',
	listen: '--listen is a mode, not a default: give it on the command line',
	discover: '--discover is an action, not a default: give it on the command line',
	config: 'a config file does not name another one',
};

/** "%H:%M" and the like: %H %M %S (and %% for a %), or "" for no time. */
export function parseTimeFormat(value: string): string {
	for (const [field] of value.matchAll(/%./g)) {
		if (!['%H', '%M', '%S', '%%'].includes(field)) {
			throw new UsageError(`time_format: "${field}" is not a field; use %H (hour), %M (minute), %S (second), or "" for no time`);
		}
	}

	return value;
}

/** Parses and checks a config file's text; every mistake names the file and line. */
export function parseConfig(source: string, path: string, parse: TomlParse): ConfigFile {
	let data: Record<string, unknown>;
	try {
		data = parse(source);
	} catch (error) {
		const {line, message} = error as {line?: number; message: string};
		const first = message.split('\n')[0]?.replace(/^Invalid TOML document: /, '') ?? message;
		throw new ConfigError(`${path}${line === undefined ? '' : `:${line}`}: ${first} (not valid TOML)`);
	}

	const at = (place: Place, text: string) => {
		const line = lineOf(source, place);
		return new ConfigError(`${path}${line === undefined ? '' : `:${line}`}: ${text}`);
	};

	/** Runs a flag's parser; its "--port: ..." message becomes "port: ...", with the file and line. */
	const check = <T>(place: Place, run: () => T): T => {
		try {
			return run();
		} catch (error) {
			const message = error instanceof Error ? error.message : String(error);
			throw at(place, message.replace(/^--[\w-]+: /, `${place.table === '' ? '' : `${place.table}.`}${place.key}: `));
		}
	};

	const expect = (place: Place, value: unknown, ...types: ReadonlyArray<'string' | 'number' | 'boolean'>): void => {
		const ok = types.some(type => (type === 'number' ? typeof value === 'number' || typeof value === 'bigint' : typeof value === type));
		if (!ok) {
			throw at(place, `${place.key} must be ${types.map(type => (type === 'number' ? 'a number' : `a ${type}`)).join(' or ')}, not ${typeName(value)}`);
		}
	};

	const flags: Record<string, unknown> = {};
	const display: {-readonly [K in keyof DisplayOptions]?: DisplayOptions[K]} = {};
	const peers = new Map<string, Endpoint>();
	let peerName: {place: Place; value: string} | undefined;

	for (const [rawKey, value] of Object.entries(data)) {
		const key = rawKey.replaceAll('_', '-');
		const place = {table: '', key: rawKey};
		if (Object.hasOwn(refusedKeys, key)) {
			throw at(place, `"${rawKey}" is not taken from a config file: ${refusedKeys[key] ?? ''}`);
		}

		switch (key) {
			case 'port':
			case 'max-datagram': {
				expect(place, value, 'number', 'string');
				const text = String(value);
				check(place, () => (key === 'port' ? parsePort(text, '--port', true) : parseMaxDatagram(text)));
				flags[key === 'port' ? 'port' : 'maxDatagram'] = text;
				break;
			}

			case 'peer': {
				expect(place, value, 'string');
				peerName = {place, value: value as string};
				break;
			}

			case 'protocol':
			case 'nick':
			case 'encoding':
			case 'format': {
				expect(place, value, 'string');
				const parser = {protocol: parseProtocol, nick: parseNick, encoding: parseEncoding, format: parseFormat}[key];
				check(place, () => parser(value as string));
				flags[key] = value;
				break;
			}

			case 'bind':
			case 'downloads':
			case 'log': {
				expect(place, value, 'string');
				if (key === 'bind' && isIP((value as string).trim()) === 0) {
					throw at(place, `bind: "${value as string}" is not an IP address of this machine (like 127.0.0.1 or ::1)`);
				}

				flags[key] = value;
				break;
			}

			case 'bell':
			case 'notify':
			case 'discovery': {
				expect(place, value, ...(key === 'bell' ? (['string', 'boolean'] as const) : (['boolean'] as const)));
				if (key === 'bell') {
					display.bell = check(place, () => parseBell(value as string | boolean, '--bell'));
				} else if (key === 'notify') {
					display.notify = value as boolean;
				} else {
					flags['discovery'] = value;
				}

				break;
			}

			case 'irc': {
				const urls = typeof value === 'string' ? [value] : value;
				if (!Array.isArray(urls) || urls.some(url => typeof url !== 'string')) {
					throw at(place, `irc must be a URL or a list of them, like ["irc://irc.libera.chat/#room"], not ${typeName(value)}`);
				}

				for (const url of urls as string[]) {
					check(place, () => parseIrcUrl(url));
				}

				flags['irc'] = urls;
				break;
			}

			case 'peers': {
				if (typeName(value) !== 'a table') {
					throw at(place, `peers must be a table: [peers] with lines like home = "192.168.1.20:7852"`);
				}

				for (const [name, address] of Object.entries(value as Record<string, unknown>)) {
					const peerPlace = {table: 'peers', key: name};
					if (name.includes(':') || /^\d+$/.test(name) || /\s/.test(name) || name === '') {
						throw at(peerPlace, `peer name "${name}" must have no colon or spaces and not be only digits (it would read as an address or a /peers number)`);
					}

					expect(peerPlace, address, 'string');
					peers.set(name, check(peerPlace, () => parseEndpoint(address as string, name)));
				}

				break;
			}

			case 'display': {
				if (typeName(value) !== 'a table') {
					throw at(place, `display must be a table: [display] with ${displayKeys.join(', ')}`);
				}

				for (const [rawName, setting] of Object.entries(value as Record<string, unknown>)) {
					const name = rawName.replaceAll('-', '_');
					const displayPlace = {table: 'display', key: rawName};
					if (name === 'time_format') {
						expect(displayPlace, setting, 'string');
						display.timeFormat = check(displayPlace, () => parseTimeFormat(setting as string));
					} else if (name === 'date_changes' || name === 'notify') {
						expect(displayPlace, setting, 'boolean');
						display[name === 'notify' ? 'notify' : 'dateChanges'] = setting as boolean;
					} else if (name === 'bell') {
						expect(displayPlace, setting, 'string', 'boolean');
						display.bell = check(displayPlace, () => parseBell(setting as string | boolean, '--bell'));
					} else {
						throw at(displayPlace, `unknown key "${rawName}" in [display]${suggestion(rawName, displayKeys)}`);
					}
				}

				break;
			}

			case 'colours':
			case 'colors': {
				if (display.colours !== undefined) {
					throw at(place, '[colors] and [colours] are the same table: keep one');
				}

				display.colours = parseColours(value, rawKey, at);
				break;
			}

			default: {
				throw at(place, `unknown key "${rawKey}"${suggestion(rawKey, topKeys)}`);
			}
		}
	}

	if (peerName !== undefined) {
		const {place, value} = peerName;
		if (!peers.has(value.trim())) {
			check(place, () => parseEndpoint(value));
		}

		flags['peer'] = value;
	}

	return {path, flags: flags as RawFlags, peers, display};
}
