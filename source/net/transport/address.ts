import {lookup} from 'node:dns/promises';
import {isIP} from 'node:net';
import {formatEndpoint, type Endpoint} from '../../domain/endpoint.js';

/** "::ffff:127.0.0.1" is how a dual-stack socket reports an IPv4 peer; people know it as 127.0.0.1. */
export function plainAddress(address: string): string {
	return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

export function endpointLabel(address: string, port: number): string {
	return formatEndpoint({host: plainAddress(address), port});
}

export type ResolvedEndpoint = Endpoint & {readonly address: string; readonly family: 4 | 6};

/** Host names resolve IPv4 first: netcat and the tutorial's scripts listen on IPv4 only. */
export async function resolveEndpoint(endpoint: Endpoint): Promise<ResolvedEndpoint> {
	const family = isIP(endpoint.host);
	if (family === 4 || family === 6) {
		return {...endpoint, address: endpoint.host, family};
	}

	const result = await lookup(endpoint.host, {order: 'ipv4first'});
	return {...endpoint, address: result.address, family: result.family === 6 ? 6 : 4};
}

/**
 * Every address a name resolves to, IPv4 first (as resolveEndpoint), so a peer listening on ::1 alone is
 * still reached at "localhost", as nc tries each address in turn.
 */
export async function resolveAll(endpoint: Endpoint): Promise<ResolvedEndpoint[]> {
	const family = isIP(endpoint.host);
	if (family === 4 || family === 6) {
		return [{...endpoint, address: endpoint.host, family}];
	}

	const results = await lookup(endpoint.host, {all: true, order: 'ipv4first'});
	const seen = new Set<string>();
	const all: ResolvedEndpoint[] = [];
	for (const result of results) {
		if (!seen.has(result.address)) {
			seen.add(result.address);
			all.push({...endpoint, address: result.address, family: result.family === 6 ? 6 : 4});
		}
	}

	if (all.length === 0) {
		throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${endpoint.host}`), {code: 'ENOTFOUND'});
	}

	return all;
}
