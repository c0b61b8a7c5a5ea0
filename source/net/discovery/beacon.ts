import {maxPlainBytes, type Sealer} from '../wire/seal.js';
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

/** The most code points of a nick heard: what the local --nick allows (32), and no more. */
export const maxNickCodePoints = 32;

/**
 * A nick heard from the LAN that cannot pass for anything else: no whitespace and no control, format, unassigned,
 * private-use or surrogate character (\p{C}: zero-width and direction characters too), as the local --nick; and
 * not all digits (a /query N number) nor with a ':' (a HOST:PORT), so a hostile nick cannot take a selection.
 */
export function isPeerNick(nick: string): boolean {
	// And nothing sanitize() would change (the Hangul fillers, say): the nick shown is the nick announced.
	return nick !== '' && [...nick].length <= maxNickCodePoints && !/[\s\p{C}:]/u.test(nick) && !/^\p{Nd}+$/u.test(nick) && sanitize(nick) === nick;
}

// Built on first use: an Intl.Segmenter made at import costs start-up time.
let segmenter: Intl.Segmenter | undefined;

/**
 * The longest start of the nick, in whole characters (grapheme clusters; code points for one cluster too long
 * alone), of at most 32 code points whose announcement `line(nick)` is at most `budget` bytes.
 */
function fitNick(nick: string, line: (nick: string) => string, budget: number): string {
	let room = budget - Buffer.byteLength(line(''));
	let codePoints = maxNickCodePoints;
	let kept = '';
	// A lone surrogate cannot be encoded (encodeURIComponent throws): it goes as U+FFFD (and is refused when heard).
	for (const {segment} of (segmenter ??= new Intl.Segmenter(undefined, {granularity: 'grapheme'})).segment(nick.replace(/\p{Cs}/gu, '\uFFFD'))) {
		const [size, count] = [encodeURIComponent(segment).length, [...segment].length];
		if (size > room || count > codePoints) {
			for (const point of kept === '' ? [...segment].slice(0, codePoints) : []) {
				if (encodeURIComponent(point).length > room) {
					break;
				}

				[kept, room] = [kept + point, room - encodeURIComponent(point).length];
			}

			break;
		}

		[kept, room, codePoints] = [kept + segment, room - size, codePoints - count];
	}

	return kept;
}

/** One datagram of at most maxBeaconBytes, sealed or not: a nick too long for it is cut, never the beacon dropped. */
export function formatBeacon(beacon: Beacon, sealer?: Sealer): Buffer {
	const wire = (line: string): Buffer => Buffer.from(sealer ? sealer.seal(line) : line);
	if (beacon.kind !== 'announce') {
		return wire(`${magic} ${beacon.kind} ${beacon.id}`);
	}

	const line = (nick: string): string => `${magic} ${[beacon.kind, beacon.id, String(beacon.port), String(beacon.intervalS), beacon.answer ? 'answer' : 'new', encodeURIComponent(nick)].join(' ')}`;
	let nick = fitNick(beacon.nick, line, sealer ? maxPlainBytes(maxBeaconBytes) : maxBeaconBytes);
	let data = wire(line(nick));
	// Belt: a sealer whose lines grow more than ours do.
	while (data.byteLength > maxBeaconBytes && nick !== '') {
		nick = [...nick].slice(0, -1).join('');
		data = wire(line(nick));
	}

	return data;
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
		// Cut by code points before anything else: a cut after sanitizing could split a surrogate pair.
		nick = [...decodeURIComponent(nickText)].slice(0, maxNickCodePoints).join('');
	} catch {
		return undefined;
	}

	// sanitize() is a last belt: isPeerNick lets no control character through.
	return isPeerNick(nick) ? {kind, id, nick: sanitize(nick), port, intervalS, answer: mode === 'answer'} : undefined;
}

/**
 * Announcements at 0, 0.5, 1, 1.5, 2, 3, 4.5 and 10 s, then every interval: a lost datagram is made up soon.
 * Why so many early: a newcomer B finds an instance A that is already up only through A's answer, so each try
 * needs B's beacon to arrive and A's answer to come back: with 30% loss each way that is 0.7 x 0.7 = 0.49 a try.
 * B's 'who' at 0 and the 7 announcements before 5 s are 8 independent tries (every one is answered):
 * P(B has not found A by 5 s) = 0.51^8 = 0.5%; the old 0, 1, 3 s schedule gave at most 4 tries, 0.51^4 = 7%.
 * A only needs one of B's 7 announcements: 0.3^7 = 0.02%. On a dual-stack LAN every beacon also goes by
 * IPv6, a second independent copy: 0.74 a try, 0.26^8 = 0.002%.
 */
const announceSchedule = [0, 500, 1000, 1500, 2000, 3000, 4500, 10_000];
/**
 * The announcements on the early schedule ask to be answered ('new'); the periodic ones after them do not
 * ('answer'): peers already up hear them anyway, and answering each every interval would be O(N^2) on the LAN.
 */
export const earlyAnnouncements = announceSchedule.length;
export const announceIntervalS = 30;

/** Milliseconds from start to announcement number n (0-based); no gap is longer than the interval. */
export function announceAt(n: number, intervalS: number = announceIntervalS): number {
	const interval = intervalS * 1000;
	let at = 0;
	for (let index = 1; index <= Math.min(n, announceSchedule.length - 1); index++) {
		at += Math.min(interval, (announceSchedule[index] ?? 0) - (announceSchedule[index - 1] ?? 0));
	}

	return at + Math.max(0, n - announceSchedule.length + 1) * interval;
}
