// The look of a cell as a terminal holds it after SGR and OSC 8 sequences, read the way a terminal reads
// them (not as a list of codes: `\e[22m` ends bold and dim together, whatever came before). Looks are
// interned, so two cells look alike exactly when their styles are one object, and a frame can be diffed by
// reference.

export const bold = 1;
export const dim = 2;
export const italic = 4;
export const underline = 8;
export const blink = 16;
export const inverse = 32;
export const hidden = 64;
export const strikethrough = 128;
export const doubleUnderline = 256;
export const overline = 512;

/** Each flag and the SGR parameter that sets it, in the order they are written. */
const flagCodes: ReadonlyArray<readonly [number, string]> = [
	[bold, '1'],
	[dim, '2'],
	[italic, '3'],
	[underline, '4'],
	[blink, '5'],
	[inverse, '7'],
	[hidden, '8'],
	[strikethrough, '9'],
	[doubleUnderline, '21'],
	[overline, '53'],
];

/** The parameter that ends each flag (22 and 24 end two flags each: the other one is set again after). */
const offCodes: ReadonlyArray<readonly [number, string]> = [
	[bold | dim, '22'],
	[italic, '23'],
	[underline | doubleUnderline, '24'],
	[blink, '25'],
	[inverse, '27'],
	[hidden, '28'],
	[strikethrough, '29'],
	[overline, '55'],
];

export type Style = {
	readonly id: number;
	readonly flags: number;
	/** Foreground as SGR parameters ('31', '38;5;208', '38;2;1;2;3'); '' is the terminal's default. */
	readonly fg: string;
	readonly bg: string;
	/** Underline colour ('58;5;1'); '' is the default. */
	readonly underlineColour: string;
	/** The OSC 8 sequence that opened the hyperlink the cell is in; '' outside links. */
	readonly link: string;
	/** SGR parameters that give this look after a reset ('' for the default look). */
	readonly sgr: string;
	/** Cells of this style, by character (see cells.ts), and transitions to other styles, by id. */
	readonly cells: Map<string, unknown>;
	readonly transitions: Map<number, string>;
};

const styles = new Map<string, Style>();
let nextId = 0;

function intern(flags: number, fg: string, bg: string, underlineColour: string, link: string): Style {
	const key = `${flags}|${fg}|${bg}|${underlineColour}|${link}`;
	let style = styles.get(key);
	if (style === undefined) {
		const parameters = flagCodes.filter(([flag]) => (flags & flag) !== 0).map(([, code]) => code);
		for (const colour of [fg, bg, underlineColour]) {
			if (colour !== '') {
				parameters.push(colour);
			}
		}

		style = {id: nextId++, flags, fg, bg, underlineColour, link, sgr: parameters.join(';'), cells: new Map(), transitions: new Map()};
		styles.set(key, style);
	}

	return style;
}

export const defaultStyle: Style = intern(0, '', '', '', '');

/** An extended colour (38/48/58 followed by 5;N or 2;R;G;B) read from parts[index]; undefined if malformed. */
function extendedColour(parts: readonly string[], index: number): {colour: string; used: number} | undefined {
	const code = Number(parts[index]);
	const mode = parts[index + 1];
	if (mode === '5' && parts.length > index + 2) {
		return {colour: `${code};5;${Number(parts[index + 2])}`, used: 3};
	}

	if (mode === '2' && parts.length > index + 4) {
		const [red, green, blue] = [parts[index + 2], parts[index + 3], parts[index + 4]].map(Number);
		return {colour: `${code};2;${red};${green};${blue}`, used: 5};
	}

	return undefined;
}

/** The style after an SGR sequence whose parameters (digits and semicolons, between `\e[` and `m`) are given. */
export function applySgr(style: Style, parameters: string): Style {
	let {flags, fg, bg, underlineColour} = style;
	const parts = parameters.split(';');
	for (let index = 0; index < parts.length; index++) {
		const part = parts[index]!;
		const code = part === '' ? 0 : Number(part);
		if (code === 0) {
			flags = 0;
			fg = '';
			bg = '';
			underlineColour = '';
		} else if (code === 38 || code === 48 || code === 58) {
			const extended = extendedColour(parts, index);
			if (extended === undefined) {
				// A malformed colour: the rest of the sequence is not read either.
				break;
			}

			if (code === 38) {
				fg = extended.colour;
			} else if (code === 48) {
				bg = extended.colour;
			} else {
				underlineColour = extended.colour;
			}

			index += extended.used - 1;
		} else if ((code >= 30 && code <= 37) || (code >= 90 && code <= 97)) {
			fg = String(code);
		} else if ((code >= 40 && code <= 47) || (code >= 100 && code <= 107)) {
			bg = String(code);
		} else if (code === 39) {
			fg = '';
		} else if (code === 49) {
			bg = '';
		} else if (code === 59) {
			underlineColour = '';
		} else if (code === 4) {
			flags = (flags & ~doubleUnderline) | underline;
		} else if (code === 21) {
			flags = (flags & ~underline) | doubleUnderline;
		} else {
			const on = flagCodes.find(([, each]) => each === String(code));
			const off = offCodes.find(([, each]) => each === String(code));
			if (on) {
				flags |= on[0];
			} else if (off) {
				flags &= ~off[0];
			}
		}
	}

	return intern(flags, fg, bg, underlineColour, style.link);
}

/** The style inside (url not empty) or outside an OSC 8 hyperlink; `code` is the whole opening sequence. */
export function withLink(style: Style, code: string, url: string): Style {
	return intern(style.flags, style.fg, style.bg, style.underlineColour, url === '' ? '' : code);
}

const closeLink = '\u001B]8;;\u0007';

function sgrTransition(from: Style, to: Style): string {
	if (from.flags === to.flags && from.fg === to.fg && from.bg === to.bg && from.underlineColour === to.underlineColour) {
		return '';
	}

	const reset = to.sgr === '' ? '\u001B[m' : `\u001B[0;${to.sgr}m`;
	const parameters: string[] = [];
	const off = from.flags & ~to.flags;
	let on = to.flags & ~from.flags;
	for (const [flag, code] of offCodes) {
		if ((off & flag) !== 0) {
			parameters.push(code);
			// 22 and 24 end both flags of their pair: one that stays on is set again.
			on |= to.flags & flag;
		}
	}

	for (const [flag, code] of flagCodes) {
		if ((on & flag) !== 0) {
			parameters.push(code);
		}
	}

	if (from.fg !== to.fg) {
		parameters.push(to.fg === '' ? '39' : to.fg);
	}

	if (from.bg !== to.bg) {
		parameters.push(to.bg === '' ? '49' : to.bg);
	}

	if (from.underlineColour !== to.underlineColour) {
		parameters.push(to.underlineColour === '' ? '59' : to.underlineColour);
	}

	const step = `\u001B[${parameters.join(';')}m`;
	return step.length <= reset.length ? step : reset;
}

/** The shortest sequence that turns the terminal's current style `from` into `to`; undefined `from`: not known. */
export function transition(from: Style | undefined, to: Style): string {
	if (from === to) {
		return '';
	}

	if (from === undefined) {
		// A link is closed only by who opened it: nothing here opens one without closing it.
		return (to.sgr === '' ? '\u001B[m' : `\u001B[0;${to.sgr}m`) + to.link;
	}

	let cached = from.transitions.get(to.id);
	if (cached === undefined) {
		const link = from.link === to.link ? '' : to.link === '' ? closeLink : to.link;
		cached = sgrTransition(from, to) + link;
		from.transitions.set(to.id, cached);
	}

	return cached;
}
