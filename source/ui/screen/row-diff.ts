import {isBlank, sameCell, type Cell} from './cells.js';
import type {Style} from './style.js';
import type {TerminalWriter} from './terminal-writer.js';

/** Columns up to the last one that shows something. */
function contentEnd(cells: readonly Cell[]): number {
	let end = cells.length;
	while (end > 0 && isBlank(cells[end - 1]!)) {
		end--;
	}

	return end;
}

function utf8Length(char: string): number {
	let length = 0;
	for (let index = 0; index < char.length; index++) {
		const code = char.charCodeAt(index);
		length += code < 0x80 ? 1 : code < 0x800 ? 2 : code >= 0xd800 && code < 0xdc00 ? 2 : 3;
	}

	return length;
}

/**
 * Whether unchanged cells from..to (exclusive) cost no more to write again than the cursor move over them:
 * plain single-column characters of the style already in use.
 */
function cheaperToRewrite(cells: readonly Cell[], from: number, to: number, style: Style): boolean {
	const gap = to - from;
	let budget = gap === 1 ? 3 : 3 + String(gap).length;
	for (let x = from; x < to; x++) {
		const cell = cells[x]!;
		if (cell.style !== style || cell.width !== 1 || !cell.exact) {
			return false;
		}

		budget -= utf8Length(cell.char);
		if (budget < 0) {
			return false;
		}
	}

	return true;
}

function writeCells(writer: TerminalWriter, y: number, cells: readonly Cell[], start: number, end: number): void {
	for (let x = start; x < end; x++) {
		const cell = cells[x]!;
		// A wide character's other columns are drawn by it (a run never starts inside one).
		if (cell.width > 0) {
			writer.write(cell, y, x);
		}
	}
}

/**
 * Writes what turns row y from `old` (what the terminal shows) into `cells`: the changed cells only, in
 * runs (a short stretch of unchanged cells between two changes is written again when that is cheaper than
 * moving over it), and EL where the rest of the row becomes blank. A wide character is always written
 * whole, old or new: its other columns are `continuation`, equal only to another continuation, so a column
 * that is one on a side only is a change too, and a run never starts or ends inside a wide character.
 */
export function diffRow(writer: TerminalWriter, y: number, old: readonly Cell[], cells: readonly Cell[]): void {
	const newEnd = contentEnd(cells);
	const oldEnd = contentEnd(old);
	const limit = Math.max(newEnd, oldEnd);
	let x = 0;
	while (x < limit) {
		if (sameCell(old[x]!, cells[x]!)) {
			x++;
			continue;
		}

		const start = x;
		let end = x;
		for (let next = x + 1; next < limit; ) {
			if (!sameCell(old[next]!, cells[next]!)) {
				end = next++;
				continue;
			}

			let gapEnd = next;
			while (gapEnd < limit && sameCell(old[gapEnd]!, cells[gapEnd]!)) {
				gapEnd++;
			}

			if (gapEnd < limit && cheaperToRewrite(cells, next, gapEnd, cells[end]!.style)) {
				end = gapEnd;
				next = gapEnd + 1;
				continue;
			}

			break;
		}

		if (end + 1 < newEnd) {
			writeCells(writer, y, cells, start, end + 1);
			x = end + 1;
			continue;
		}

		// From here on the new row is blank.
		const blankFrom = Math.max(start, newEnd);
		writeCells(writer, y, cells, start, blankFrom);
		if (oldEnd > blankFrom) {
			writer.moveTo(y, blankFrom);
			if (oldEnd - blankFrom > 3) {
				writer.eraseToEnd();
			} else {
				writeCells(writer, y, cells, blankFrom, oldEnd);
			}
		}

		return;
	}
}
