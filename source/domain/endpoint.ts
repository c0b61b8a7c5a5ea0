import {isIP} from 'node:net';

export type Protocol = 'udp' | 'tcp';

export type Endpoint = {
	readonly host: string;
	readonly port: number;
};

/** A mistake in what the user typed (a flag, a command argument): printed as one line. */
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

/** "127.0.0.1:7852" or "[::1]:7852" back to an endpoint; undefined for anything else. */
export function endpointFromLabel(label: string | undefined): Endpoint | undefined {
	try {
		return label === undefined ? undefined : parseEndpoint(label, 'endpoint');
	} catch {
		return undefined;
	}
}
