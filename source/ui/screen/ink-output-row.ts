// A row of source/ui/screen/ink-output.ts as Ink draws it: its writes' styled characters placed in cells, as
// Ink places them, and the cells turned back into a string, kept by width and writes. Its imports resolve
// where Ink's output.js resolves them (scripts/build.mjs, patch "ink-output").
import {ansiCodesToString, diffAnsiCodes, reduceAnsiCodesIncremental, tokenize, type AnsiCode, type StyledChar} from '@alcalzone/ansi-tokenize';
import {caches, getStringWidth} from './ink-output-caches.js';
import {splitTokens} from './ink-output-tokenize.js';

/** A line's styled characters, and the columns each takes as Ink counts them (string-width, at least 1). */
export type StyledLine = {readonly chars: readonly StyledChar[]; readonly widths: readonly number[]};

function getStyledLine(line: string): StyledLine {
	let cached = caches.styledLines.get(line);
	if (cached === undefined) {
		cached = styledLine(line);
		caches.styledLines.set(line, cached);
	}

	return cached;
}

/**
 * styledCharsFromTokens(tokenize(line)), with one styles array for each run of characters of one style
 * (Ink's gives each character a copy; nothing changes them).
 */
export function styledLine(line: string): StyledLine {
	const tokens = splitTokens(line) ?? tokenize(line);
	const chars: StyledChar[] = [];
	const widths: number[] = [];
	let codes: AnsiCode[] = [];
	for (const token of tokens) {
		if (token.type === 'ansi') {
			codes = reduceAnsiCodesIncremental(codes, [token]);
		} else {
			// A literal, not {...token}: V8 spreads these objects ten times slower.
			chars.push({type: 'char', value: token.value, fullWidth: token.fullWidth, styles: codes});
			widths.push(Math.max(1, getStringWidth(token.value)));
		}
	}

	return {chars, widths};
}

function sameCodes(a: readonly AnsiCode[], b: readonly AnsiCode[]): boolean {
	if (a === b) {
		return true;
	}

	if (a.length !== b.length) {
		return false;
	}

	for (let index = 0; index < a.length; index++) {
		if (a[index]!.code !== b[index]!.code || a[index]!.endCode !== b[index]!.endCode) {
			return false;
		}
	}

	return true;
}

/** Ink's blank cell; one object for all, as nothing changes cells. */
const blankStyles: StyledChar['styles'] = [];
const blank: StyledChar = {type: 'char', value: ' ', fullWidth: false, styles: blankStyles};

/**
 * @alcalzone/ansi-tokenize's styledCharsToString, without the diff between neighbours of the same style (the
 * same codes in the same order), which is always empty.
 */
function styledCharsToString(chars: readonly StyledChar[]): string {
	let result = '';
	const last = chars.length - 1;
	for (let index = 0; index <= last; index++) {
		const character = chars[index]!;
		if (index === 0) {
			result += ansiCodesToString(character.styles);
		} else {
			const before = chars[index - 1]!.styles;
			const {styles} = character;
			if (!sameCodes(before, styles)) {
				result += ansiCodesToString(diffAnsiCodes(before, styles));
			}
		}

		result += character.value;
		if (index === last && character.styles.length > 0) {
			result += ansiCodesToString(diffAnsiCodes(character.styles, []));
		}
	}

	return result;
}

/** One row as Ink draws it: `columns` blank cells, the writes (column, text, …) in order, trimmed. */
function drawRow(columns: number, writes: ReadonlyArray<number | string>): string {
	// Ink's code from here on, cell for cell: an index that is not a whole number in range (a write at a
	// negative or fractional column) is a property of the array, not a cell, and filter() drops it.
	const row: Array<StyledChar | undefined> = [];
	for (let x = 0; x < columns; x++) {
		row.push(blank);
	}

	for (let index = 0; index < writes.length; index += 2) {
		const {chars, widths} = getStyledLine(writes[index + 1] as string);
		let offsetX = writes[index] as number;
		for (let position = 0; position < chars.length; position++) {
			const character = chars[position]!;
			row[offsetX] = character;
			const characterWidth = widths[position]!;
			for (let column = 1; column < characterWidth; column++) {
				row[offsetX + column] = {type: 'char', value: '', fullWidth: false, styles: character.styles};
			}

			offsetX += characterWidth;
		}
	}

	return styledCharsToString(row.filter(item => item !== undefined)).trimEnd();
}

/** The string of the row these writes (column, text, column, text, …) make at this width, drawn once. */
export function rowString(columns: number, writes: ReadonlyArray<number | string>): string {
	// Unambiguous: each text is preceded by its length.
	let key = String(columns);
	for (let index = 0; index < writes.length; index += 2) {
		const text = writes[index + 1] as string;
		key += `\u0000${writes[index] as number}\u0000${text.length}\u0000${text}`;
	}

	let cached = caches.rows.get(key);
	if (cached === undefined) {
		cached = drawRow(columns, writes);
		caches.rows.set(key, cached);
	}

	return cached;
}
