// Ink's Output (node_modules/ink/build/output.js), replaced in the bundle by scripts/build.mjs (patch
// "ink-output"): the same class and the same output, byte for byte, at a cost that follows what changed.
//
// Ink makes a new Output for every frame, and its get() builds a grid of every cell of the screen,
// tokenizes every piece of text and turns every row back into a string, about 8 ms at 120x40 for a frame in
// which one typed letter changed. Here get() first works out, for each row, the list of writes that land on
// it (column and text, after clipping and transformers, in order): a row's string is a function of that list
// and of the width alone. Rows whose list was seen before (in this frame or an earlier one, at any row:
// history that scrolls up by one row is still a hit) take the string made then; only the others get cells,
// placed as Ink places them, and a serialisation. Their text is tokenized in pieces (cut at SGR codes and
// where printable ASCII starts or stops), and the pieces, widths and ANSI slices are kept across frames, so
// a row that changes in one place (the draft, a counter) costs about that place. All caches are bounded.
// test/unit/ink-output.test.ts checks the output against Ink's own Output for random frames, and the
// tokenizer against Ink's.
import {ansiCodesToString, diffAnsiCodes, reduceAnsiCodesIncremental, tokenize, type AnsiCode, type StyledChar, type Token} from '@alcalzone/ansi-tokenize';
import sliceAnsi from 'slice-ansi';
import stringWidth from 'string-width';

export type OutputTransformer = (line: string, index: number) => string;

type Clip = {
	x1: number | undefined;
	x2: number | undefined;
	y1: number | undefined;
	y2: number | undefined;
};

type Operation =
	| {readonly type: 'write'; readonly x: number; readonly y: number; readonly text: string; readonly transformers: readonly OutputTransformer[]}
	| {readonly type: 'clip'; readonly clip: Clip}
	| {readonly type: 'unclip'};

/**
 * A map that forgets: when it holds `limit` entries, they become the previous generation (still found, and
 * brought back when used) and the generation before that goes. At most 2 × limit entries.
 */
export class BoundedCache<V> {
	private current = new Map<string, V>();
	private previous = new Map<string, V>();

	constructor(private readonly limit: number) {}

	get(key: string): V | undefined {
		const value = this.current.get(key);
		if (value !== undefined) {
			return value;
		}

		const old = this.previous.get(key);
		if (old !== undefined) {
			this.set(key, old);
		}

		return old;
	}

	set(key: string, value: V): void {
		if (this.current.size >= this.limit) {
			this.previous = this.current;
			this.current = new Map();
		}

		this.current.set(key, value);
	}

	get size(): number {
		return this.current.size + this.previous.size;
	}

	clear(): void {
		this.current.clear();
		this.previous.clear();
	}
}

/** A line's styled characters, and the columns each takes as Ink counts them (string-width, at least 1). */
type StyledLine = {readonly chars: readonly StyledChar[]; readonly widths: readonly number[]};

const caches = {
	widths: new BoundedCache<number>(4096),
	blockWidths: new BoundedCache<number>(1024),
	slices: new BoundedCache<string>(1024),
	// Arrays of a few objects per character: kept fewer.
	styledLines: new BoundedCache<StyledLine>(256),
	tokens: new BoundedCache<Token[]>(512),
	// Serialised rows, by width and the writes that make them.
	rows: new BoundedCache<string>(1024),
};

/** Empties the caches shared by all frames (tests; nothing else needs it). */
export function clearOutputCaches(): void {
	for (const cache of Object.values(caches)) {
		cache.clear();
	}

	joins.clear();

	lastRows = [];
	lastOutput = '';
}

/** How many entries the shared caches hold (tests). */
export function outputCacheSizes(): Record<keyof typeof caches, number> {
	return {
		widths: caches.widths.size,
		blockWidths: caches.blockWidths.size,
		slices: caches.slices.size,
		styledLines: caches.styledLines.size,
		tokens: caches.tokens.size,
		rows: caches.rows.size,
	};
}

function getStringWidth(text: string): number {
	let cached = caches.widths.get(text);
	if (cached === undefined) {
		cached = stringWidth(text);
		caches.widths.set(text, cached);
	}

	return cached;
}

function getWidestLine(text: string): number {
	let cached = caches.blockWidths.get(text);
	if (cached === undefined) {
		let lineWidth = 0;
		for (const line of text.split('\n')) {
			lineWidth = Math.max(lineWidth, getStringWidth(line));
		}

		cached = lineWidth;
		caches.blockWidths.set(text, cached);
	}

	return cached;
}

function getSlice(line: string, from: number, to: number): string {
	const key = `${from}\u0000${to}\u0000${line}`;
	let cached = caches.slices.get(key);
	if (cached === undefined) {
		cached = sliceAnsi(line, from, to);
		caches.slices.set(key, cached);
	}

	return cached;
}

function getStyledLine(line: string): StyledLine {
	let cached = caches.styledLines.get(line);
	if (cached === undefined) {
		cached = styledLine(line);
		caches.styledLines.set(line, cached);
	}

	return cached;
}

function getTokens(text: string): Token[] {
	let cached = caches.tokens.get(text);
	if (cached === undefined) {
		cached = tokenize(text);
		caches.tokens.set(text, cached);
	}

	return cached;
}

/** Printable ASCII: each character a grapheme of its own, one column, whatever is around it. */
const printableAscii = /^[\x20-\x7E]*$/;
const pieces = /[\x20-\x7E]+|[^\x20-\x7E]+/g;

function pushAsciiTokens(tokens: Token[], text: string): void {
	for (let index = 0; index < text.length; index++) {
		tokens.push({type: 'char', value: text[index]!, fullWidth: false});
	}
}

/** tokens.push(...more), without an argument per element (a long line would overflow the stack). */
function pushAll(tokens: Token[], more: readonly Token[], from = 0): void {
	for (let index = from; index < more.length; index++) {
		tokens.push(more[index]!);
	}
}

const joins = new BoundedCache<boolean>(1024);

function lastCharacter(text: string): string {
	const low = text.charCodeAt(text.length - 1);
	return text.length > 1 && low >= 0xDC00 && low <= 0xDFFF ? text.slice(-2) : text.slice(-1);
}

/** Whether the grapheme rules join `text` (two characters) into one grapheme, as Ink's tokenize reads it. */
function joined(text: string): boolean {
	let cached = joins.get(text);
	if (cached === undefined) {
		cached = tokenize(text).length === 1;
		joins.set(text, cached);
	}

	return cached;
}

/**
 * The tokens of text without escapes (after an SGR code when `afterCode`), as tokenize() of the whole line
 * gives them; undefined when that needs the whole line. The text is cut where printable ASCII starts or
 * stops, and the other pieces are tokenized apart (and kept): a rule of box-drawing characters with a
 * counter in it costs the counter. The grapheme rules decide a boundary from what is before it and the
 * character after it, and only a few classes reach across printable ASCII: a mark, ZWJ or spacing mark
 * joins the character before it, a prepended concatenation mark the one after it. Each cut is checked for
 * those (with the piece's own first or last character beside an "a"); the rest of a piece is segmented the
 * same alone. After an SGR code, the first piece is segmented after an "m", the code's last character:
 * a combining mark there joins the "m", and Ink's tokenize drops that grapheme with the code, as skipping
 * the first token does here.
 */
function textTokens(text: string, afterCode: boolean): Token[] | undefined {
	const tokens: Token[] = [];
	if (printableAscii.test(text)) {
		pushAsciiTokens(tokens, text);
		return tokens;
	}

	const parts = text.match(pieces)!;
	for (const [index, part] of parts.entries()) {
		const code = part.charCodeAt(0);
		if (code >= 0x20 && code <= 0x7E) {
			pushAsciiTokens(tokens, part);
			continue;
		}

		if (index < parts.length - 1 && joined(`${lastCharacter(part)}a`)) {
			return undefined;
		}

		if (index === 0 && afterCode) {
			pushAll(tokens, getTokens(`m${part}`), 1);
		} else if (index > 0 && joined(`a${String.fromCodePoint(part.codePointAt(0)!)}`)) {
			return undefined;
		} else {
			pushAll(tokens, getTokens(part));
		}
	}

	return tokens;
}

/**
 * The tokens of a line as @alcalzone/ansi-tokenize's tokenize(line) gives them, or undefined when the line has
 * more than text and well-formed SGR codes (\e[…m). The line is cut at its SGR codes, which Ink's tokenize
 * cannot join with a neighbour (ESC is a control character: graphemes always end before it), and its pieces
 * are tokenized apart, so a line that changes in one place (a counter, the draft) reuses the rest.
 */
function splitTokens(line: string): Token[] | undefined {
	const tokens: Token[] = [];
	let start = 0;
	let afterCode = false;
	for (;;) {
		const escape = line.indexOf('\u001B', start);
		const text = escape === -1 ? line.slice(start) : line.slice(start, escape);
		if (text.includes('\u009B')) {
			return undefined;
		}

		if (text !== '') {
			const textPart = textTokens(text, afterCode);
			if (textPart === undefined) {
				return undefined;
			}

			pushAll(tokens, textPart);
		}

		if (escape === -1) {
			return tokens;
		}

		// ansi-tokenize's SGR syntax: ESC [ then digits and semicolons up to an "m".
		if (line.charCodeAt(escape + 1) !== 0x5B) {
			return undefined;
		}

		let end = escape + 2;
		for (let code = line.charCodeAt(end); code === 0x3B || (code >= 0x30 && code <= 0x39); code = line.charCodeAt(++end)) {
			// Digits and semicolons.
		}

		if (line.charCodeAt(end) !== 0x6D) {
			return undefined;
		}

		pushAll(tokens, getTokens(line.slice(escape, end + 1)));
		start = end + 1;
		afterCode = true;
	}
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

function rowString(columns: number, writes: ReadonlyArray<number | string>): string {
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

// The last frame's rows and output: a frame whose rows are the same strings returns the same string, which
// Ink and log-update then compare by reference.
let lastRows: string[] = [];
let lastOutput = '';

export default class Output {
	width: number;
	height: number;
	private readonly operations: Operation[] = [];

	constructor(options: {width: number; height: number}) {
		const {width, height} = options;
		this.width = width;
		this.height = height;
	}

	write(x: number, y: number, text: string, options: {transformers: OutputTransformer[]}): void {
		const {transformers} = options;
		if (!text) {
			return;
		}

		this.operations.push({type: 'write', x, y, text, transformers});
	}

	clip(clip: Clip): void {
		this.operations.push({type: 'clip', clip});
	}

	unclip(): void {
		this.operations.push({type: 'unclip'});
	}

	get(): {output: string; height: number} {
		// As many rows and cells as Ink's loops `for (let y = 0; y < this.height; y++)` make.
		const rowCount = this.height > 0 ? Math.ceil(this.height) : 0;
		const columns = this.width > 0 ? Math.ceil(this.width) : 0;
		// For each row, the writes that land on it: column, text, column, text, …
		const writes: Array<Array<number | string> | undefined> = [];
		const clips: Array<Clip | undefined> = [];
		for (const operation of this.operations) {
			if (operation.type === 'clip') {
				clips.push(operation.clip);
			}

			if (operation.type === 'unclip') {
				clips.pop();
			}

			if (operation.type === 'write') {
				// Ink's clipping, as it is.
				const {text, transformers} = operation;
				let {x, y} = operation;
				let lines = text.split('\n');
				const clip = clips.at(-1);
				if (clip) {
					const clipHorizontally = typeof clip?.x1 === 'number' && typeof clip?.x2 === 'number';
					const clipVertically = typeof clip?.y1 === 'number' && typeof clip?.y2 === 'number';
					if (clipHorizontally) {
						const width = getWidestLine(text);
						if (x + width < clip.x1! || x > clip.x2!) {
							continue;
						}
					}

					if (clipVertically) {
						const height = lines.length;
						if (y + height < clip.y1! || y > clip.y2!) {
							continue;
						}
					}

					if (clipHorizontally) {
						const x1 = clip.x1!;
						const x2 = clip.x2!;
						lines = lines.map(line => {
							const from = x < x1 ? x1 - x : 0;
							const width = getStringWidth(line);
							const to = x + width > x2 ? x2 - x : width;
							return getSlice(line, from, to);
						});
						if (x < x1) {
							x = x1;
						}
					}

					if (clipVertically) {
						const from = y < clip.y1! ? clip.y1! - y : 0;
						const height = lines.length;
						const to = y + height > clip.y2! ? clip.y2! - y : height;
						lines = lines.slice(from, to);
						if (y < clip.y1!) {
							y = clip.y1!;
						}
					}
				}

				let offsetY = 0;
				for (let index = 0; index < lines.length; index++) {
					let line = lines[index]!;
					const rowIndex = y + offsetY;
					// Ink skips a line whose row is missing without moving on a row: after one, none lands.
					if (!(Number.isInteger(rowIndex) && rowIndex >= 0 && rowIndex < rowCount)) {
						continue;
					}

					for (const transformer of transformers) {
						line = transformer(line, index);
					}

					(writes[rowIndex] ??= []).push(x, line);
					offsetY++;
				}
			}
		}

		const rows: string[] = [];
		let same = lastRows.length === rowCount;
		for (let y = 0; y < rowCount; y++) {
			const rowWrites = writes[y];
			const row = rowWrites === undefined ? '' : rowString(columns, rowWrites);
			same &&= row === lastRows[y];
			rows.push(row);
		}

		if (!same) {
			lastRows = rows;
			lastOutput = rows.join('\n');
		}

		return {output: lastOutput, height: rowCount};
	}
}
