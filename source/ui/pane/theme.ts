import type {Tone} from './format-line.js';

export type ToneStyle = {readonly color?: string; readonly dimColor?: boolean; readonly bold?: boolean};

/** NO_COLOR (https://no-color.org) removes colour; bold and dim still tell own lines and system lines apart. */
export const useColor = !process.env['NO_COLOR'];

/** The tones config.toml's [colours] may set. */
export const colourTones = ['time', 'own', 'peer', 'system', 'error', 'mention', 'marker', 'date', 'pending', 'failed'] as const;
export type ColourTone = (typeof colourTones)[number];

/**
 * [colours] from config.toml, checked: a chalk colour name ("cyan", "greenBright"), "#rrggbb", or "default"
 * (the terminal's own colour). `nicks` are the colours others' nicks take, one per nick; `peer` alone (or
 * `nicks = []`) gives everyone else one colour.
 */
export type Colours = {readonly [K in ColourTone]?: string} & {readonly nicks?: readonly string[]};

/** Each tone's built-in colour; 'dim' is drawn dim, not in a colour. */
const builtIn: Record<Tone, string | undefined> = {
	time: 'dim',
	own: 'cyan',
	peer: 'green',
	system: 'blue',
	error: 'red',
	text: undefined,
	pending: 'yellow',
	failed: 'red',
	// The status bar's "3!" is the same colour: a line that names you, and the buffer it is in.
	mention: 'yellow',
	marker: 'dim',
	date: 'dim',
};

/** What a tone keeps whatever its colour (and without colour). */
const weight: Partial<Record<Tone, ToneStyle>> = {own: {bold: true}, peer: {bold: true}, failed: {bold: true}, mention: {bold: true}};

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
	date: {dimColor: true},
};

/** Never red (errors and "not sent" are red) and never cyan (kept for you). */
export const nickColours: readonly string[] = ['green', 'yellow', 'magenta', 'blue', 'greenBright', 'yellowBright', 'magentaBright', 'blueBright'];

function style(colour: string | undefined, tone: Tone): ToneStyle {
	const base = weight[tone] ?? {};
	return colour === 'dim' ? {...base, dimColor: true} : colour === undefined || colour === 'default' ? base : {...base, color: colour};
}

function table(colours: Colours): Record<Tone, ToneStyle> {
	const colourOf = (tone: Tone) => (tone === 'text' ? undefined : tone === 'failed' ? (colours.failed ?? colours.error ?? builtIn.failed) : (colours[tone] ?? builtIn[tone]));
	return Object.fromEntries((Object.keys(builtIn) as Tone[]).map(tone => [tone, style(colourOf(tone), tone)])) as Record<Tone, ToneStyle>;
}

let coloured = table({});
let nicks: readonly string[] = nickColours;

/** Sets the colours from config.toml's [colours] (what it leaves out stays built in); call before the first frame. */
export function setColours(colours: Colours = {}): void {
	coloured = table(colours);
	const error = colours.error ?? builtIn.error;
	const own = colours.own ?? builtIn.own;
	// Nick colours never use the colour of errors, nor yours: a configured error or own colour leaves the built-in list.
	nicks = colours.nicks ?? (colours.peer === undefined ? nickColours.filter(colour => colour !== error && colour !== own) : []);
}

/** The same nick gets the same colour every time and in every session; undefined is no colour. */
export function nickColour(nick: string): string | undefined {
	if (nicks.length === 0) {
		return coloured.peer.color;
	}

	let hash = 0;
	for (const char of nick) {
		hash = (Math.imul(hash, 31) + (char.codePointAt(0) ?? 0)) >>> 0;
	}

	const colour = nicks[hash % nicks.length];
	return colour === 'default' ? undefined : colour;
}

export function toneStyle(tone: Tone, nick?: string): ToneStyle {
	if (!useColor) {
		return plain[tone];
	}

	if (tone === 'peer' && nick !== undefined) {
		const {color: _, ...rest} = coloured.peer;
		const colour = nickColour(nick);
		return colour === undefined ? rest : {...rest, color: colour};
	}

	return coloured[tone];
}
