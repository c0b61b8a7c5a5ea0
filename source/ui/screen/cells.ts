import {textWidth} from '../../text/text-width.js';
import simpleCharacters from '../../text/simple-characters.json' with {type: 'json'};
import {defaultStyle, type Style} from './style.js';

/**
 * One column of the screen. A character `width` columns wide takes the cells after it too, as
 * `continuation`. `exact` is false when terminals may disagree on the character's width (an emoji, a
 * grapheme of several code points): the cursor is placed again after writing it.
 */
export type Cell = {
	readonly char: string;
	readonly width: number;
	readonly style: Style;
	readonly exact: boolean;
};

/** The columns a wide character covers after its first; drawn by the character, never on their own. */
export const continuation: Cell = {char: '', width: 0, style: defaultStyle, exact: true};

/** At most this many cells are kept per style for reuse; past it cells are made anew (and compared by value). */
const maxCellsPerStyle = 8192;

export function cellOf(char: string, width: number, exact: boolean, style: Style): Cell {
	const cells = style.cells as Map<string, Cell>;
	let cell = cells.get(char);
	if (cell === undefined) {
		cell = {char, width, style, exact};
		if (cells.size < maxCellsPerStyle) {
			cells.set(char, cell);
		}
	}

	return cell;
}

export const blank: Cell = cellOf(' ', 1, true, defaultStyle);

export function sameCell(a: Cell, b: Cell): boolean {
	return a === b || (a.char === b.char && a.style === b.style);
}

/** A cell that shows nothing: a space of the default look. */
export function isBlank(cell: Cell): boolean {
	return cell === blank || (cell.char === ' ' && cell.style === defaultStyle);
}

let simpleCharacter: RegExp | undefined;
/** Width × 2, plus 1 when exact, by grapheme (cleared when it grows large). */
const known = new Map<string, number>();

/**
 * Columns a grapheme takes as Ink lays it out (string-width, the same function Ink measured with, and at
 * least one column), and whether every terminal agrees: a single code point that never combines, joins or
 * turns into an emoji (the characters of source/text/simple-characters.json).
 */
export function measure(grapheme: string): {width: number; exact: boolean} {
	let entry = known.get(grapheme);
	if (entry === undefined) {
		if (known.size > 20_000) {
			known.clear();
		}

		// Built on first use, as text-width.ts does: regexes made at import cost start-up time.
		simpleCharacter ??= new RegExp(`^[${simpleCharacters.ranges}]$`);
		const width = textWidth(grapheme);
		entry = width * 2 + (simpleCharacter.test(grapheme) ? 1 : 0);
		known.set(grapheme, entry);
	}

	return {width: entry >> 1, exact: (entry & 1) === 1};
}
