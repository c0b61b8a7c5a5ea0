import fc from 'fast-check';
import stringWidth from 'string-width';
import {describe, expect, it} from 'vitest';
import {measure} from '../../source/ui/screen/cells.js';
import {echoAhead} from '../../source/ui/screen/echo-ahead.js';
import {screenLog, terminalModel, wholeFrame} from './screen-terminal.js';

// Property: after every frame, a terminal fed only what the screen writer wrote shows exactly (every
// cell's character, width and look, and the cursor) what a terminal shows when the frame is written whole.

const sgr = [
	'\u001B[1m', '\u001B[2m', '\u001B[3m', '\u001B[4m', '\u001B[5m', '\u001B[7m', '\u001B[8m', '\u001B[9m', '\u001B[21m', '\u001B[53m',
	'\u001B[22m', '\u001B[23m', '\u001B[24m', '\u001B[25m', '\u001B[27m', '\u001B[28m', '\u001B[29m', '\u001B[55m',
	'\u001B[31m', '\u001B[92m', '\u001B[38;5;208m', '\u001B[38;2;10;20;30m', '\u001B[39m',
	'\u001B[44m', '\u001B[103m', '\u001B[48;5;17m', '\u001B[48;2;1;2;3m', '\u001B[49m',
	'\u001B[0m', '\u001B[m', '\u001B[1;31;44m', '\u001B[0;7m', '\u001B[22;2m',
];

// Graphemes whose width string-width (Ink's measure) and the terminal model agree on; the emoji and the
// combining sequence are the ones the writer places the cursor again after.
const candidates = ['a', 'b', 'x', 'Z', '0', '.', '<', '>', ' ', ' ', ' ', 'é', 'ß', '─', '│', '…', '你', '好', '世', 'ア', '한', '　', 'e\u0301', '😀', '🎉', '👍', '🚀', '✅', '🇫🇷'];
const probe = terminalModel(8, 1);
const graphemes = candidates.filter(grapheme => {
	probe.write(`\u001B[H\u001B[2K${grapheme}`);
	return probe.cursor().x === stringWidth(grapheme);
});

type Token = {readonly text: string; readonly width: number};
const token: fc.Arbitrary<Token> = fc.oneof(
	{weight: 2, arbitrary: fc.constantFrom(...sgr).map(text => ({text, width: 0}))},
	{weight: 4, arbitrary: fc.constantFrom(...graphemes).map(text => ({text, width: stringWidth(text)}))},
);
const tokens = (maxLength: number) => fc.array(token, {maxLength});

/** The text of tokens that fit in `columns`, and its width. */
function fitting(row: readonly Token[], columns: number): {text: string; width: number} {
	let width = 0;
	let text = '';
	for (const each of row) {
		if (width + each.width > columns) {
			break;
		}

		width += each.width;
		text += each.text;
	}

	return {text, width};
}

/** The row's tokens that fit before column x, then blanks up to it. */
function tokensBefore(row: readonly Token[], x: number): Token[] {
	const kept: Token[] = [];
	let width = 0;
	for (const each of row) {
		if (width + each.width > x) {
			break;
		}

		kept.push(each);
		width += each.width;
	}

	return width < x ? [...kept, {text: ' '.repeat(x - width), width: x - width}] : kept;
}

/**
 * An Ink line, trailing blanks trimmed: the row's tokens, or with a side column (as the nick list beside
 * the pane) its tokens from a fixed column on, after the row's tokens that fit before it.
 */
function line(row: readonly Token[], columns: number, side: readonly Token[] | undefined): string {
	if (side === undefined || columns < 10) {
		return fitting(row, columns).text.trimEnd();
	}

	const left = fitting(row, columns - sideWidth);
	return `${left.text}\u001B[0m${' '.repeat(columns - sideWidth - left.width)}${fitting(side, sideWidth).text}`.trimEnd();
}

const sideWidth = 4;

const step = fc.oneof(
	{weight: 4, arbitrary: fc.record({kind: fc.constant('row' as const), y: fc.nat(), row: tokens(30)})},
	{weight: 6, arbitrary: fc.record({kind: fc.constant('edit' as const), y: fc.nat(), at: fc.nat(), remove: fc.nat(3), insert: tokens(3)})},
	{weight: 4, arbitrary: fc.record({kind: fc.constant('scroll' as const), top: fc.nat(), size: fc.nat(), shift: fc.integer({min: -3, max: 3}), fill: fc.array(tokens(20), {maxLength: 3})})},
	{weight: 3, arbitrary: fc.record({kind: fc.constant('cursor' as const), x: fc.nat(30), y: fc.nat(12)})},
	{weight: 1, arbitrary: fc.constant({kind: 'hide' as const})},
	{weight: 1, arbitrary: fc.constant({kind: 'same' as const})},
	// A character drawn ahead of the frame (echo-ahead.ts), which the frame may or may not hold.
	{weight: 3, arbitrary: fc.record({kind: fc.constant('echo' as const), chars: fc.array(fc.constantFrom('a', 'Z', ' ', '!', '~'), {minLength: 1, maxLength: 3}), keep: fc.boolean()})},
	{weight: 1, arbitrary: fc.record({kind: fc.constant('clear' as const), junk: fc.string({maxLength: 10})})},
	{weight: 1, arbitrary: fc.record({kind: fc.constant('resize' as const), columns: fc.integer({min: 4, max: 24}), rows: fc.integer({min: 2, max: 8})})},
);

const sequence = fc.record({
	columns: fc.integer({min: 4, max: 24}),
	rows: fc.integer({min: 2, max: 8}),
	first: fc.array(tokens(30), {maxLength: 8}),
	steps: fc.array(step, {minLength: 1, maxLength: 12}),
	trailingNewline: fc.boolean(),
	side: fc.option(fc.array(tokens(4), {minLength: 8, maxLength: 8}), {freq: 3}),
});

type Sequence = typeof sequence extends fc.Arbitrary<infer T> ? T : never;

/**
 * Plays a sequence of frames; after each, compares the terminal fed the writer's output (`ours`, of the
 * given Unicode version) with a terminal that had the frame written whole.
 */
function play({columns: startColumns, rows: startRows, first, steps, trailingNewline, side}: Sequence, unicode: '6' | '11', compare: (ours: string[][], reference: string[][], referenceChars: string[][]) => void): void {
	let columns = startColumns;
	let rows = startRows;
	const screen = screenLog(columns, rows);
	const ours = terminalModel(columns, rows, {unicode});
	const reference = terminalModel(columns, rows);
	let frame: Token[][] = Array.from({length: rows}, (_, y) => first[y] ?? []);
	let cursor: {x: number; y: number} | undefined;
	for (const each of steps) {
		const at = (y: number) => y % rows;
		switch (each.kind) {
			case 'row': {
				frame[at(each.y)] = each.row;
				break;
			}

			case 'edit': {
				const row = [...frame[at(each.y)]!];
				row.splice(each.at % (row.length + 1), each.remove, ...each.insert);
				frame[at(each.y)] = row;
				break;
			}

			case 'scroll': {
				const top = each.top % rows;
				const bottom = Math.min(rows - 1, top + (each.size % rows));
				const before = frame;
				frame = before.map((row, y) => {
					const source = y + each.shift;
					return y < top || y > bottom ? row : source >= top && source <= bottom ? before[source]! : (each.fill[y % 4] ?? []);
				});
				break;
			}

			case 'cursor': {
				cursor = {x: each.x, y: each.y};
				break;
			}

			case 'hide': {
				cursor = undefined;
				break;
			}

			case 'clear': {
				// Other output (Ink's console patch): the screen is cleared, something written, then drawn again.
				screen.log.clear();
				ours.write(screen.take() + each.junk);
				break;
			}

			case 'resize': {
				columns = each.columns;
				rows = each.rows;
				screen.stream.columns = columns;
				screen.stream.rows = rows;
				ours.resize(columns, rows);
				reference.resize(columns, rows);
				frame = Array.from({length: rows}, (_, y) => frame[y] ?? []);
				break;
			}

			case 'same': {
				break;
			}

			case 'echo': {
				for (const char of each.chars) {
					if (echoAhead(char)) {
						ours.write(screen.take());
						// Drawn where the cursor was; the frame then holds it there, or something else.
						const y = cursor!.y;
						expect(ours.chars()[y]![cursor!.x]).toBe(char);
						if (each.keep) {
							frame[y] = [...tokensBefore(frame[y]!, cursor!.x), {text: '\u001B[0m', width: 0}, {text: char, width: 1}];
						}

						cursor = {x: cursor!.x + 1, y};
					}
				}

				break;
			}
		}

		const lines = frame.map((row, y) => line(row, columns, side?.[y]));
		ours.write(screen.frame(lines, cursor, trailingNewline));
		reference.write(wholeFrame(lines));
		compare(ours.cells(), reference.cells(), reference.chars());
		const shown = ours.cursor();
		if (cursor === undefined) {
			expect(shown.hidden).toBe(true);
		} else {
			expect(shown).toEqual({x: Math.min(cursor.x, columns - 1), y: Math.min(cursor.y, rows - 1), hidden: false});
		}
	}
}

describe('screen writer against a terminal model', () => {
	it('leaves the screen as the whole frame would after every frame of random sequences', () => {
		expect(graphemes.filter(grapheme => stringWidth(grapheme) === 2 && grapheme.codePointAt(0)! > 0x1f000).length).toBeGreaterThanOrEqual(3);
		fc.assert(
			fc.property(sequence, each => {
				play(each, '11', (ours, reference) => {
					expect(ours).toEqual(reference);
				});
			}),
			{numRuns: 1500},
		);
	});

	it('keeps every other cell right in a terminal that draws emoji narrower than Ink counts them', () => {
		// Cells of graphemes the writer cannot be sure of (and the columns they cover) are left out.
		fc.assert(
			fc.property(sequence, each => {
				play(each, '6', (ours, reference, chars) => {
					const unsure = (y: number, x: number) => x >= 0 && chars[y]![x]! !== '' && !measure(chars[y]![x]!).exact;
					const keep = (row: string[], y: number) => row.map((cell, x) => (unsure(y, x) || unsure(y, x - 1) ? '?' : cell));
					expect(ours.map(keep)).toEqual(reference.map(keep));
				});
			}),
			{numRuns: 300},
		);
	});
});
