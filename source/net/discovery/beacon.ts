import type {Sealer} from '../wire/seal.js';
import {sanitize} from '../wire/sanitize.js';

/**
 * What discovery says on the LAN, one datagram each: an announcement ("here I am"), a question ("who is
 * there?", answered by unicast announcements), and a goodbye. Never sent to a chat port: discovery has a
 * port of its own (discoveryPort), so a plain peer on 7852 never sees it.
 */
export type Beacon =
	| {readonly kind: 'announce'; readonly id: string; readonly nick: string; readonly port: number; readonly intervalS: number; readonly answer: boolean}
	| {readonly kind: 'who'; readonly id: string}
	| {readonly kind: 'bye'; readonly id: string};

/** The discovery port: not the tutorial's 7852, 7853 or 8752. */
export const discoveryPort = 7849;
/** A beacon datagram larger than this is not one of ours. */
export const maxBeaconBytes = 512;
const magic = 'tnc-discovery/1';
const idPattern = /^[\da-f]{16}$/;

export function formatBeacon(beacon: Beacon, sealer?: Sealer): Buffer {
	const fields =
		beacon.kind === 'announce'
			? [beacon.kind, beacon.id, String(beacon.port), String(beacon.intervalS), beacon.answer ? 'answer' : 'new', encodeURIComponent(beacon.nick)]
			: [beacon.kind, beacon.id];
	const line = `${magic} ${fields.join(' ')}`;
	return Buffer.from(sealer ? sealer.seal(line) : line);
}

/** A datagram back to a beacon, or undefined for anything else (a chat line, garbage, the wrong secret). */
export function parseBeacon(data: Uint8Array, sealer?: Sealer): Beacon | undefined {
	if (data.byteLength > maxBeaconBytes) {
		return undefined;
	}

	let line = Buffer.from(data).toString('utf8');
	if (sealer) {
		const opened = sealer.open(line);
		if (!opened.ok) {
			return undefined;
		}

		line = opened.line;
	}

	const [head, kind, id = '', ...rest] = line.split(' ');
	if (head !== magic || !idPattern.test(id)) {
		return undefined;
	}

	if (kind === 'who' || kind === 'bye') {
		return rest.length === 0 ? {kind, id} : undefined;
	}

	const [portText = '', intervalText = '', mode = '', nickText = ''] = rest;
	const port = Number(portText);
	const intervalS = Number(intervalText);
	if (kind !== 'announce' || rest.length !== 4 || !Number.isInteger(port) || port < 1 || port > 65_535 || !Number.isInteger(intervalS) || intervalS < 1 || intervalS > 3600 || (mode !== 'answer' && mode !== 'new')) {
		return undefined;
	}

	let nick: string;
	try {
		nick = sanitize(decodeURIComponent(nickText)).slice(0, 32);
	} catch {
		return undefined;
	}

	return nick === '' ? undefined : {kind, id, nick, port, intervalS, answer: mode === 'answer'};
}

/** Announcements at start, then 1, 3 and 10 s later, then every 30 s: a lost datagram is made up soon. */
const announceSchedule = [0, 1000, 3000, 10_000];
export const announceIntervalS = 30;

/** Milliseconds from start to announcement number n (0-based). */
export function announceAt(n: number): number {
	return announceSchedule[n] ?? (announceSchedule.at(-1) ?? 0) + (n - announceSchedule.length + 1) * announceIntervalS * 1000;
}
