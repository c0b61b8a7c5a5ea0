import type {Tone} from './format-line.js';

export type ToneStyle = {readonly color?: string; readonly dimColor?: boolean; readonly bold?: boolean};

/** NO_COLOR (https://no-color.org) removes colour; bold and dim still tell own lines and system lines apart. */
export const useColor = !process.env['NO_COLOR'];

const coloured: Record<Tone, ToneStyle> = {
	time: {dimColor: true},
	own: {color: 'cyan', bold: true},
	peer: {color: 'green', bold: true},
	system: {color: 'blue'},
	error: {color: 'red'},
	text: {},
	pending: {color: 'yellow'},
	failed: {color: 'red', bold: true},
	// The status bar's "3!" is the same yellow: a line that names you, and the buffer it is in.
	mention: {color: 'yellow', bold: true},
	marker: {dimColor: true},
};

const plain: Record<Tone, ToneStyle> = {
	time: {dimColor: true},
	own: {bold: true},
	peer: {},
	system: {dimColor: true},
	error: {bold: true},
	text: {},
	pending: {dimColor: true},
	failed: {bold: true},
	mention: {bold: true},
	marker: {dimColor: true},
};

/** Never red (errors and "not sent" are red) and never cyan (kept for you). */
export const nickColours: readonly string[] = ['green', 'yellow', 'magenta', 'blue', 'greenBright', 'yellowBright', 'magentaBright', 'blueBright'];

/** The same nick gets the same colour every time and in every session. */
export function nickColour(nick: string): string {
	let hash = 0;
	for (const char of nick) {
		hash = (Math.imul(hash, 31) + (char.codePointAt(0) ?? 0)) >>> 0;
	}

	return nickColours[hash % nickColours.length] ?? 'green';
}

export function toneStyle(tone: Tone, nick?: string): ToneStyle {
	if (!useColor) {
		return plain[tone];
	}

	return tone === 'peer' && nick !== undefined ? {...coloured.peer, color: nickColour(nick)} : coloured[tone];
}
