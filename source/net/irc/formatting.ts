// mIRC formatting codes (modern.ircdocs.horse/formatting): bold, colours and the rest, read into styled
// spans for display, or stripped for plain text.

export type IrcStyle = {
	readonly bold?: true;
	readonly italic?: true;
	readonly underline?: true;
	readonly strike?: true;
	readonly monospace?: true;
	readonly reverse?: true;
	/** A mIRC colour, 0-98. */
	readonly fg?: number;
	readonly bg?: number;
};

export type StyledSpan = {readonly text: string; readonly style: IrcStyle};

type Toggle = 'bold' | 'italic' | 'underline' | 'strike' | 'monospace' | 'reverse';

const toggles: Record<string, Toggle> = {
	'\u0002': 'bold',
	'\u001D': 'italic',
	'\u001F': 'underline',
	'\u001E': 'strike',
	'\u0011': 'monospace',
	'\u0016': 'reverse',
};

const reset = '\u000F';
const hexColour = '\u0004';
const styleKeys = ['bold', 'italic', 'underline', 'strike', 'monospace', 'reverse', 'fg', 'bg'] as const;

// A colour code takes at most two digits each side; a comma not followed by a digit is text.
const code = /[\u0002\u000F\u0011\u0016\u001D\u001E\u001F]|\u0003(?:(\d{1,2})(?:,(\d{1,2}))?)?|\u0004(?:([\da-f]{6})(?:,([\da-f]{6}))?)?/gi;
const anyCode = /[\u0002-\u0004\u000F\u0011\u0016\u001D-\u001F]/;

const palette = (
	'ffffff 000000 00007f 009300 ff0000 7f0000 9c009c fc7f00 ffff00 00fc00 009393 00ffff 0000fc ff00ff 7f7f7f d2d2d2 '
	+ '470000 472100 474700 324700 004700 00472c 004747 002747 000047 2e0047 470047 47002a '
	+ '740000 743a00 747400 517400 007400 007449 007474 004074 000074 4b0074 740074 740045 '
	+ 'b50000 b56300 b5b500 7db500 00b500 00b571 00b5b5 0063b5 0000b5 7500b5 b500b5 b5006b '
	+ 'ff0000 ff8c00 ffff00 b2ff00 00ff00 00ffa0 00ffff 008cff 0000ff a500ff ff00ff ff0098 '
	+ 'ff5959 ffb459 ffff71 cfff60 6fff6f 65ffc9 6dffff 59b4ff 5959ff c459ff ff66ff ff59bc '
	+ 'ff9c9c ffd39c ffff9c e2ff9c 9cff9c 9cffdb 9cffff 9cd3ff 9c9cff dc9cff ff9cff ff94d3 '
	+ '000000 131313 282828 363636 4d4d4d 656565 818181 9f9f9f bcbcbc e2e2e2 ffffff'
).split(' ');

/** mIRC colour number to a 24-bit hex string like '#ff0000' (the 99-colour table), undefined for 99/unknown. */
export function ircColourHex(colour: number): string | undefined {
	const hex = palette[colour];
	return hex === undefined ? undefined : `#${hex}`;
}

function channels(hex: string): [number, number, number] {
	const value = Number.parseInt(hex, 16);
	return [value >> 16, (value >> 8) & 0xFF, value & 0xFF];
}

const paletteChannels = palette.map(hex => channels(hex));

/** A style holds palette numbers only, so a \x04 hex colour becomes the nearest of the 99 (the first on a tie). */
function nearestColour(hex: string): number {
	const [red, green, blue] = channels(hex);
	let nearest = 0;
	let nearestDistance = Number.POSITIVE_INFINITY;
	for (const [index, [r, g, b]] of paletteChannels.entries()) {
		const distance = ((r - red) ** 2) + ((g - green) ** 2) + ((b - blue) ** 2);
		if (distance < nearestDistance) {
			nearest = index;
			nearestDistance = distance;
		}
	}

	return nearest;
}

function without(style: IrcStyle, ...keys: ReadonlyArray<keyof IrcStyle>): IrcStyle {
	const copy: {-readonly [K in keyof IrcStyle]: IrcStyle[K]} = {...style};
	for (const key of keys) {
		delete copy[key];
	}

	return copy;
}

/** Colour 99 is the terminal's default. */
function withColour(style: IrcStyle, key: 'fg' | 'bg', colour: number): IrcStyle {
	return colour === 99 ? without(style, key) : {...style, [key]: colour};
}

/** A colour code without a foreground resets both colours; one without a background keeps it. */
function recolour(style: IrcStyle, fg: string | undefined, bg: string | undefined, read: (colour: string) => number): IrcStyle {
	if (fg === undefined) {
		return without(style, 'fg', 'bg');
	}

	const withFg = withColour(style, 'fg', read(fg));
	return bg === undefined ? withFg : withColour(withFg, 'bg', read(bg));
}

function applyCode(style: IrcStyle, [whole, fg, bg, hexFg, hexBg]: RegExpExecArray): IrcStyle {
	const head = whole.charAt(0);
	const toggle = toggles[head];
	if (toggle) {
		return style[toggle] ? without(style, toggle) : {...style, [toggle]: true};
	}

	if (head === reset) {
		return {};
	}

	return head === hexColour ? recolour(style, hexFg, hexBg, nearestColour) : recolour(style, fg, bg, Number);
}

function sameStyle(a: IrcStyle, b: IrcStyle): boolean {
	return styleKeys.every(key => a[key] === b[key]);
}

function append(spans: StyledSpan[], text: string, style: IrcStyle): void {
	if (text === '') {
		return;
	}

	const last = spans.at(-1);
	if (last && sameStyle(last.style, style)) {
		spans[spans.length - 1] = {text: last.text + text, style};
	} else {
		spans.push({text, style});
	}
}

export function parseFormatting(text: string): StyledSpan[] {
	const spans: StyledSpan[] = [];
	let style: IrcStyle = {};
	let start = 0;
	for (const match of text.matchAll(code)) {
		append(spans, text.slice(start, match.index), style);
		style = applyCode(style, match);
		start = match.index + match[0].length;
	}

	append(spans, text.slice(start), style);
	return spans;
}

export function stripFormatting(text: string): string {
	return anyCode.test(text) ? text.replace(code, '') : text;
}
