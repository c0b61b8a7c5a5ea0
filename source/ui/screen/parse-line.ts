import {graphemes} from '../../text/text-width.js';
import {blank, cellOf, continuation, measure, type Cell} from './cells.js';
import {applySgr, defaultStyle, withLink, type Style} from './style.js';

const escape = 0x1b;

/** Printable ASCII cells of a style, by code: the common case skips the map lookup. */
const asciiCells = new Map<Style, Cell[]>();

function asciiCellsOf(style: Style): Cell[] {
	let cells = asciiCells.get(style);
	if (cells === undefined) {
		cells = [];
		asciiCells.set(style, cells);
	}

	return cells;
}

function isPrintableAscii(text: string, start: number, end: number): boolean {
	for (let index = start; index < end; index++) {
		const code = text.charCodeAt(index);
		if (code < 0x20 || code > 0x7e) {
			return false;
		}
	}

	return true;
}

/** End (exclusive) of the SGR sequence `\e[digits;…m` at `start`, or -1: Ink's tokenizer reads no other. */
function sgrEnd(line: string, start: number): number {
	for (let index = start + 2; index < line.length; index++) {
		const code = line.charCodeAt(index);
		if (code === 0x6d) {
			return index + 1;
		}

		if (code !== 0x3b && (code < 0x30 || code > 0x39)) {
			return -1;
		}
	}

	return -1;
}

/** End (exclusive) of the OSC 8 hyperlink sequence `\e]8;params;url\a` at `start`, or -1. */
function linkEnd(line: string, start: number): {end: number; url: string} | undefined {
	if (!line.startsWith('\u001B]8;', start)) {
		return undefined;
	}

	const semicolon = line.indexOf(';', start + 4);
	const bell = semicolon === -1 ? -1 : line.indexOf('\u0007', semicolon + 1);
	return bell === -1 ? undefined : {end: bell + 1, url: line.slice(semicolon + 1, bell)};
}

/**
 * The cells of one line of an Ink frame (SGR-styled text, trailing blanks trimmed), exactly `columns`
 * long. Columns are counted as Ink laid the line out: every grapheme takes max(1, string-width) columns.
 * A grapheme of width 0 (a control character) cannot show in a column of its own, so it becomes a space;
 * one that does not fit at the right edge becomes spaces, as do columns after the line.
 */
export function parseLine(line: string, columns: number): Cell[] {
	const cells: Cell[] = new Array<Cell>(columns);
	let x = 0;
	let style = defaultStyle;
	let index = 0;
	const place = (grapheme: string) => {
		const {width, exact} = measure(grapheme);
		if (width === 0) {
			cells[x++] = style === defaultStyle ? blank : cellOf(' ', 1, true, style);
			return;
		}

		if (x + width > columns) {
			while (x < columns) {
				cells[x++] = cellOf(' ', 1, true, style);
			}

			return;
		}

		cells[x++] = cellOf(grapheme, width, exact, style);
		for (let cover = 1; cover < width; cover++) {
			cells[x++] = continuation;
		}
	};

	while (index < line.length && x < columns) {
		const next = line.indexOf('\u001B', index);
		const end = next === -1 ? line.length : next;
		if (end > index) {
			if (isPrintableAscii(line, index, end)) {
				const ascii = asciiCellsOf(style);
				for (; index < end && x < columns; index++) {
					const code = line.charCodeAt(index);
					cells[x++] = ascii[code] ??= cellOf(line[index]!, 1, true, style);
				}
			} else {
				for (const grapheme of graphemes(line.slice(index, end))) {
					if (x >= columns) {
						break;
					}

					place(grapheme);
				}
			}

			index = end;
		}

		if (next === -1 || x >= columns) {
			break;
		}

		if (line.charCodeAt(next + 1) === 0x5b) {
			const sgr = sgrEnd(line, next);
			if (sgr !== -1) {
				style = applySgr(style, line.slice(next + 2, sgr - 1));
				index = sgr;
				continue;
			}
		} else {
			const link = linkEnd(line, next);
			if (link !== undefined) {
				style = withLink(style, line.slice(next, link.end), link.url);
				index = link.end;
				continue;
			}
		}

		// An escape that starts no sequence Ink reads is a character of its own to Ink (of width 0).
		place(String.fromCharCode(escape));
		index = next + 1;
	}

	while (x < columns) {
		cells[x++] = blank;
	}

	return cells;
}
