import {isIP} from 'node:net';
import {userInfo} from 'node:os';

export type Protocol = 'udp' | 'tcp';

export type Endpoint = {
	readonly host: string;
	readonly port: number;
};

export type ChatOptions = {
	readonly port: number;
	/** True when the user chose the port: then a busy port is an error rather than a reason to pick another. */
	readonly portExplicit: boolean;
	readonly peer: Endpoint | undefined;
	readonly protocol: Protocol;
	readonly nick: string;
	readonly bind: string | undefined;
};

export type RawFlags = {
	readonly port?: string;
	readonly peer?: string;
	readonly protocol?: string;
	readonly nick?: string;
	readonly bind?: string;
};

export const defaultPort = 7852;

/** A mistake on the command line: printed as one line, exit code 2. */
export class UsageError extends Error {
	override name = 'UsageError';
}

export function parsePort(value: string, flag: string, allowZero = false): number {
	const trimmed = value.trim();
	const port = /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
	const min = allowZero ? 0 : 1;
	if (!Number.isInteger(port) || port < min || port > 65_535) {
		throw new UsageError(`${flag}: "${value}" is not a port number (${min}-65535)`);
	}

	return port;
}

const hostNamePattern = /^(?=.{1,253}$)[a-z\d](?:[a-z\d-]{0,61}[a-z\d])?(?:\.[a-z\d](?:[a-z\d-]{0,61}[a-z\d])?)*\.?$/i;

export function isHostName(value: string): boolean {
	return isIP(value) !== 0 || hostNamePattern.test(value);
}

/** Parses HOST:PORT, [IPv6]:PORT or a bare IPv6 address followed by :PORT is refused as ambiguous. */
export function parseEndpoint(value: string, flag = '--peer'): Endpoint {
	const text = value.trim();
	const bracketed = /^\[([^\]]+)\]:(\d+)$/.exec(text);
	let host: string | undefined;
	let portText: string | undefined;
	if (bracketed) {
		host = bracketed[1];
		portText = bracketed[2];
		if (host === undefined || isIP(host) !== 6) {
			throw new UsageError(`${flag}: "${value}" has brackets but no IPv6 address in them`);
		}
	} else {
		const colon = text.lastIndexOf(':');
		if (colon <= 0 || text.indexOf(':') !== colon) {
			throw new UsageError(
				`${flag}: expected HOST:PORT (like 127.0.0.1:7852 or [::1]:7852), got "${value}"`,
			);
		}

		host = text.slice(0, colon);
		portText = text.slice(colon + 1);
		if (!isHostName(host)) {
			throw new UsageError(`${flag}: "${host}" is not an IP address or host name`);
		}
	}

	return {host, port: parsePort(portText ?? '', flag)};
}

export function formatEndpoint({host, port}: Endpoint): string {
	return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

export function parseProtocol(value: string): Protocol {
	const lower = value.trim().toLowerCase();
	if (lower === 'udp' || lower === 'tcp') {
		return lower;
	}

	throw new UsageError(`--protocol: "${value}" is not a protocol; use udp or tcp`);
}

export function parseNick(value: string): string {
	const nick = value.trim();
	if (nick === '' || nick.length > 32 || /[\s\p{C}]/u.test(nick)) {
		throw new UsageError(`--nick: "${value}" must be 1-32 characters with no spaces or control characters`);
	}

	return nick;
}

function defaultNick(): string {
	try {
		const name = userInfo().username;
		return /^[\w.-]{1,32}$/.test(name) ? name : 'me';
	} catch {
		return 'me';
	}
}

export function resolveOptions(flags: RawFlags): ChatOptions {
	const portExplicit = flags.port !== undefined;
	const port = flags.port === undefined ? defaultPort : parsePort(flags.port, '--port', true);
	const bind = flags.bind?.trim();
	if (bind !== undefined && isIP(bind) === 0) {
		throw new UsageError(`--bind: "${flags.bind}" is not an IP address of this machine (like 127.0.0.1 or ::1)`);
	}

	return {
		port,
		portExplicit,
		peer: flags.peer === undefined ? undefined : parseEndpoint(flags.peer),
		protocol: flags.protocol === undefined ? 'udp' : parseProtocol(flags.protocol),
		nick: flags.nick === undefined ? defaultNick() : parseNick(flags.nick),
		bind,
	};
}
