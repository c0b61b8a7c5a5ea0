import {rowsAt, tailRows, type LayoutOptions, type Row} from './format-line.js';
import type {ChatLine} from '../../domain/snapshot.js';

/**
 * Live follows new lines; otherwise the view ends at the line with anchorId and stays there, and lines
 * newer than seenId (the newest when the user scrolled up) are new to them. `below` is how many of the
 * anchor line's last rows are under the view: a line taller than the pane (a multi-line message, a long
 * line wrapped) is scrolled through row by row, never jumped over.
 */
export type Scroll = {readonly mode: 'live'} | {readonly mode: 'held'; readonly anchorId: number; readonly seenId: number; readonly below?: number};

export const live: Scroll = {mode: 'live'};

export type View = {
	readonly rows: readonly Row[];
	/** Messages from others (not system lines, not your own) that arrived below the view while scrolled up. */
	readonly newBelow: number;
	readonly held: boolean;
};

/** Where a held view ends: the line at its bottom, and how many of that line's rows are under it. */
type Position = {readonly index: number; readonly below: number};

/** Index of the line with this id, or of the first newer one: ids only grow, so binary search. */
function indexOf(lines: readonly ChatLine[], id: number): number {
	let low = 0;
	let high = lines.length - 1;
	while (low <= high) {
		const middle = (low + high) >>> 1;
		const candidate = lines[middle]?.id ?? 0;
		if (candidate === id) {
			return middle;
		}

		if (candidate < id) {
			low = middle + 1;
		} else {
			high = middle - 1;
		}
	}

	return Math.min(low, lines.length - 1);
}

/** A view held at a line that is gone (/clear, or older than the history kept) follows the end again. */
function current(lines: readonly ChatLine[], scroll: Scroll): Scroll {
	return scroll.mode === 'held' && (lines.length === 0 || scroll.anchorId < (lines[0]?.id ?? 0)) ? live : scroll;
}

/** The rows lines[index] takes: its marker and date-change rows count, as tailRows draws them. */
function rowsOf(lines: readonly ChatLine[], index: number, width: number, options?: LayoutOptions): number {
	return rowsAt(lines, index, width, options).length;
}

/** True when position a ends the view above position b. */
function before(a: Position, b: Position): boolean {
	return a.index < b.index || (a.index === b.index && a.below > b.below);
}

/**
 * The end of the oldest full page (`rows` rows from the first line): a view never ends before it, so the
 * oldest page is full, with the oldest line at the top, and scrolling up stops there. Its last line may be
 * cut (a line taller than what is left of the page).
 */
function topPosition(lines: readonly ChatLine[], width: number, rows: number, options?: LayoutOptions): Position {
	let filled = 0;
	for (let index = 0; index < lines.length; index++) {
		filled += rowsOf(lines, index, width, options);
		if (filled >= rows) {
			return {index, below: filled - rows};
		}
	}

	return {index: Math.max(0, lines.length - 1), below: 0};
}

/** The held view's end, within the lines there are, and never above the oldest full page. */
function position(lines: readonly ChatLine[], width: number, height: number, scroll: Extract<Scroll, {mode: 'held'}>, options?: LayoutOptions): Position {
	const index = indexOf(lines, scroll.anchorId);
	const below = Math.max(0, Math.min(scroll.below ?? 0, rowsOf(lines, index, width, options) - 1));
	const top = topPosition(lines, width, Math.max(1, height - 1), options);
	return before({index, below}, top) ? top : {index, below};
}

function held(lines: readonly ChatLine[], {index, below}: Position, seenId: number): Scroll {
	return below === 0 ? {mode: 'held', anchorId: lines[index]?.id ?? 0, seenId} : {mode: 'held', anchorId: lines[index]?.id ?? 0, seenId, below};
}

export function view(lines: readonly ChatLine[], width: number, height: number, held: Scroll, options?: LayoutOptions): View {
	const scroll = current(lines, held);
	if (scroll.mode === 'live' || lines.length === 0) {
		return {rows: tailRows(lines, width, height, lines.length, options), newBelow: 0, held: false};
	}

	const {index: anchor, below} = position(lines, width, height, scroll, options);
	let newBelow = 0;
	for (let index = lines.length - 1; index > anchor && (lines[index]?.id ?? 0) > scroll.seenId; index--) {
		// Messages from others: your own line (sent from another buffer, echoed by IRC) is nothing to catch up on.
		if (lines[index]?.kind === 'in') {
			newBelow++;
		}
	}

	const shown = Math.max(1, height - 1);
	const rows = tailRows(lines, width, shown + below, anchor + 1, options);
	return {rows: rows.slice(0, rows.length - below).slice(-shown), newBelow, held: true};
}

/**
 * One page back: the view's bottom moves up by a page less one row (so the row that was at the top of the
 * view stays in sight), to the end of the line there; within a line taller than that, row by row.
 */
export function pageUp(lines: readonly ChatLine[], width: number, height: number, held_: Scroll, options?: LayoutOptions): Scroll {
	const scroll = current(lines, held_);
	if (lines.length === 0) {
		return scroll;
	}

	if (scroll.mode === 'live' && tailRows(lines, width, height + 1, lines.length, options).length <= height) {
		// Everything fits: there is nothing above to scroll to.
		return scroll;
	}

	const seenId = scroll.mode === 'live' ? (lines.at(-1)?.id ?? 0) : scroll.seenId;
	const from: Position = scroll.mode === 'live' ? {index: lines.length - 1, below: 0} : position(lines, width, height, scroll, options);
	const page = Math.max(1, height - 2);
	let {index} = from;
	let below = from.below + Math.max(1, page - 1);
	while (index > 0 && below >= rowsOf(lines, index, width, options)) {
		below -= rowsOf(lines, index, width, options);
		index--;
	}

	if (index < from.index) {
		// Whole lines where they fit: the view ends at the end of the line that row is in.
		below = 0;
	}

	const top = topPosition(lines, width, Math.max(1, height - 1), options);
	const to = {index, below: Math.min(below, rowsOf(lines, index, width, options) - 1)};
	return held(lines, before(to, top) ? top : to, seenId);
}

/** One page on: the view's bottom moves down by a page, to the end of a line unless a taller line is on the way. */
export function pageDown(lines: readonly ChatLine[], width: number, height: number, held_: Scroll, options?: LayoutOptions): Scroll {
	const scroll = current(lines, held_);
	if (scroll.mode === 'live') {
		return scroll;
	}

	const from = position(lines, width, height, scroll, options);
	const page = Math.max(1, height - 2);
	let {index, below} = from;
	let down = page;
	const within = Math.min(below, down);
	below -= within;
	down -= within;
	while (down > 0 && index < lines.length - 1) {
		index++;
		const rows = rowsOf(lines, index, width, options);
		below = Math.max(0, rows - down);
		down -= rows - below;
	}

	if (below > 0 && (index - 1 > from.index || (index - 1 === from.index && from.below > 0))) {
		// That line does not fit whole: the view ends at the end of the one before it, so none of it is skipped.
		index--;
		below = 0;
	}

	return index >= lines.length - 1 && below === 0 ? live : held(lines, {index, below}, scroll.seenId);
}
