import {rowsAt, tailRows, type LayoutOptions, type Row} from './format-line.js';
import type {ChatLine} from '../../domain/snapshot.js';

/**
 * Live follows new lines; otherwise the view ends at the line with anchorId and stays there, and lines
 * newer than seenId (the newest when the user scrolled up) are new to them.
 */
export type Scroll = {readonly mode: 'live'} | {readonly mode: 'held'; readonly anchorId: number; readonly seenId: number};

export const live: Scroll = {mode: 'live'};

export type View = {
	readonly rows: readonly Row[];
	/** Messages from others (not system lines, not your own) that arrived below the view while scrolled up. */
	readonly newBelow: number;
	readonly held: boolean;
};

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

/**
 * The last line of the oldest full page (rows rows from the first line): a view never ends before it, so the
 * oldest page is full, with the oldest line at the top, and scrolling up stops there.
 */
function topAnchor(lines: readonly ChatLine[], width: number, rows: number, options?: LayoutOptions): number {
	let index = 0;
	let filled = rowsOf(lines, 0, width, options);
	while (index < lines.length - 1 && filled + rowsOf(lines, index + 1, width, options) <= rows) {
		index++;
		filled += rowsOf(lines, index, width, options);
	}

	return index;
}

export function view(lines: readonly ChatLine[], width: number, height: number, held: Scroll, options?: LayoutOptions): View {
	const scroll = current(lines, held);
	if (scroll.mode === 'live' || lines.length === 0) {
		return {rows: tailRows(lines, width, height, lines.length, options), newBelow: 0, held: false};
	}

	const anchor = Math.max(indexOf(lines, scroll.anchorId), topAnchor(lines, width, Math.max(1, height - 1), options));
	let newBelow = 0;
	for (let index = lines.length - 1; index > anchor && (lines[index]?.id ?? 0) > scroll.seenId; index--) {
		// Messages from others: your own line (sent from another buffer, echoed by IRC) is nothing to catch up on.
		if (lines[index]?.kind === 'in') {
			newBelow++;
		}
	}

	return {rows: tailRows(lines, width, Math.max(1, height - 1), anchor + 1, options), newBelow, held: true};
}

/** One page back: the line at the top of the view becomes the bottom one. */
export function pageUp(lines: readonly ChatLine[], width: number, height: number, held: Scroll, options?: LayoutOptions): Scroll {
	const scroll = current(lines, held);
	if (lines.length === 0) {
		return scroll;
	}

	if (scroll.mode === 'live' && tailRows(lines, width, height + 1, lines.length, options).length <= height) {
		// Everything fits: there is nothing above to scroll to.
		return scroll;
	}

	const seenId = scroll.mode === 'live' ? (lines.at(-1)?.id ?? 0) : scroll.seenId;
	let index = scroll.mode === 'live' ? lines.length - 1 : indexOf(lines, scroll.anchorId);
	let rows = rowsOf(lines, index, width, options);
	const page = Math.max(1, height - 2);
	while (index > 0 && rows < page) {
		index--;
		rows += rowsOf(lines, index, width, options);
	}

	return {mode: 'held', anchorId: lines[Math.max(index, topAnchor(lines, width, Math.max(1, height - 1), options))]?.id ?? 0, seenId};
}

export function pageDown(lines: readonly ChatLine[], width: number, height: number, held: Scroll, options?: LayoutOptions): Scroll {
	const scroll = current(lines, held);
	if (scroll.mode === 'live') {
		return scroll;
	}

	let index = indexOf(lines, scroll.anchorId);
	let rows = 0;
	const page = Math.max(1, height - 2);
	while (index < lines.length - 1 && rows < page) {
		index++;
		rows += rowsOf(lines, index, width, options);
	}

	return index >= lines.length - 1 ? live : {mode: 'held', anchorId: lines[index]?.id ?? 0, seenId: scroll.seenId};
}
