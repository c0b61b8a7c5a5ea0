import type {ChatLine} from '../../domain/snapshot.js';
import type {BellMode} from '../display-options.js';
import type {Arrivals, Mention} from './buffer-list.js';

/** Whether what arrived calls for the bell in this mode (a mention is out of sight or not: it rings). */
export function ringsFor(mode: BellMode, arrivals: Arrivals): boolean {
	switch (mode) {
		case 'off': {
			return false;
		}

		case 'mention': {
			return arrivals.mention !== undefined;
		}

		case 'all': {
			return arrivals.unseen || arrivals.mention !== undefined;
		}
	}
}

/** At most one alert per interval: a flood of mentions is one bell, not a hundred. */
export function rateLimit(intervalMs: number): (now: number) => boolean {
	let last = Number.NEGATIVE_INFINITY;
	return now => {
		if (now - last < intervalMs) {
			return false;
		}

		last = now;
		return true;
	};
}

/** Longest text a notification carries (its body), in characters. */
export const notificationLength = 200;

/**
 * No control characters (C0, DEL, C1: an ESC or BEL would end or forge the escape sequence; line and paragraph
 * separators), runs of spaces as one, cut to max characters (whole code points) with "…".
 */
export function notificationText(text: string, max = notificationLength): string {
	const clean = text
		.replaceAll(/[\p{Cc}\u2028\u2029]/gu, ' ')
		.replaceAll(/\s+/g, ' ')
		.trim();
	const characters = Array.from(clean);
	return characters.length <= max ? clean : `${characters.slice(0, max - 1).join('')}…`;
}

/** Title and body of the notification for a mention: "bob in #room", "hi alice". */
export function mentionNotification(mention: Mention, bufferName: string): {readonly title: string; readonly body: string} {
	const {line} = mention;
	const from = line.kind === 'system' ? 'tui-netchat' : line.from;
	const body = line.kind !== 'system' && line.action ? `* ${from} ${line.text}` : line.text;
	const title = bufferName === from || bufferName === '' ? from : `${from} in ${bufferName}`;
	return {title: notificationText(title, 80), body: notificationText(body)};
}

/** Lines an IRC server replays from its history are not news: no bell, no notification. */
export function isReplay(line: ChatLine): boolean {
	return 'history' in line && line.history === true;
}
