import {sameCell, type Cell} from './cells.js';
import type {Scroll} from './scroll.js';

/** Cells a scroll must save, at least, to pay for itself (the region, SU or SD, the reset, the moves). */
const scrollCost = 24;
/** Changed rows below which no scroll is looked for. */
const minimumRows = 4;

function differing(a: readonly Cell[], b: readonly Cell[]): number {
	let count = 0;
	for (let x = 0; x < a.length; x++) {
		if (!sameCell(a[x]!, b[x]!)) {
			count++;
		}
	}

	return count;
}

/** The characters of a row's left half: a pane's text, which moves, beside a column that stays (a nick list). */
function signature(cells: readonly Cell[]): string {
	let text = '';
	for (let x = 0; x < cells.length >> 1; x++) {
		text += cells[x]!.char;
	}

	return text.trim() === '' ? '' : text;
}

/**
 * A scroll for rows that moved as a block but are not equal as strings, because something beside them
 * stayed (the nick list beside the message pane): found on cells. `next[y]` is row y of the frame, or
 * undefined where it is what the screen shows (`old[y]`). The scroll is the one that leaves the fewest
 * cells to write, if it saves more than it costs.
 */
export function findCellScroll(old: readonly Cell[][], next: ReadonlyArray<Cell[] | undefined>, blankRow: readonly Cell[]): Scroll | undefined {
	const rows = old.length;
	const changed = next.filter(row => row !== undefined).length;
	if (changed < minimumRows) {
		return undefined;
	}

	const frame = (y: number) => next[y] ?? old[y]!;
	const where = new Map<string, number[]>();
	for (let y = 0; y < rows; y++) {
		const key = signature(old[y]!);
		if (key !== '') {
			where.set(key, [...(where.get(key) ?? []), y].slice(0, 8));
		}
	}

	const votes = new Map<number, number>();
	for (let y = 0; y < rows; y++) {
		const key = next[y] === undefined ? '' : signature(next[y]!);
		for (const source of key === '' ? [] : (where.get(key) ?? [])) {
			if (source !== y) {
				votes.set(source - y, (votes.get(source - y) ?? 0) + 1);
			}
		}
	}

	// What each row costs where it is now.
	const standing = Array.from({length: rows}, (_, y) => (next[y] === undefined ? 0 : differing(next[y]!, old[y]!)));
	let best: {scroll: Scroll; saving: number} | undefined;
	for (const [shift, count] of [...votes].sort((a, b) => b[1] - a[1]).slice(0, 3)) {
		if (count < 2) {
			break;
		}

		// The run of rows that gains most from taking the row `shift` away (Kadane's), then the rows that
		// come in blank at its far end.
		let run = {first: 0, gain: 0};
		for (let y = Math.max(0, -shift); y < Math.min(rows, rows - shift); y++) {
			const gain = standing[y]! - differing(frame(y), old[y + shift]!);
			run = run.gain > 0 ? {first: run.first, gain: run.gain + gain} : {first: y, gain};
			const last = y;
			const [top, bottom] = shift > 0 ? [run.first, last + shift] : [run.first + shift, last];
			if (top < 0 || bottom >= rows) {
				continue;
			}

			let saving = run.gain - scrollCost;
			const [blankFrom, blankTo] = shift > 0 ? [last + 1, bottom] : [top, run.first - 1];
			for (let row = blankFrom; row <= blankTo; row++) {
				saving += standing[row]! - differing(frame(row), blankRow);
			}

			if (saving > 0 && (best === undefined || saving > best.saving)) {
				best = {scroll: {top, bottom, shift}, saving};
			}
		}
	}

	return best?.scroll;
}
