import {graphemes, textWidth} from '../../text/text-width.js';
import {glyphs} from '../../text/glyphs.js';
import type {InputLine} from './input-line.js';

export type InputWindow = {
	/** The visible text, without the edge marks. */
	readonly text: string;
	/** The cursor's column in the row, the left mark included. */
	readonly cursorColumn: number;
	/** Text is hidden before the first shown column: the row starts with `<`. */
	readonly hiddenBefore: boolean;
	/** Text is hidden after the last shown column: the row ends with `>`. */
	readonly hiddenAfter: boolean;
};

/** What a line break in a multi-line draft shows as: one column, one UTF-16 unit, so offsets stay the same. */
export const newlineMark = glyphs.newline;

/** ASCII, as irssi marks a scrolled input line, so it reads the same in any locale. */
export const hiddenBeforeMark = '<';
export const hiddenAfterMark = '>';

/** The draft as one row: each line break becomes the ⏎ mark (same length, so the cursor offset holds). */
export function shownDraft(value: string): string {
	return value.replaceAll('\n', newlineMark);
}

/**
 * The part of the draft that fits in width columns, scrolled so the cursor stays visible. When text is hidden
 * past an edge, that edge's column holds a mark instead (`<` at the left, `>` at the right).
 */
export function inputWindow(value: string, cursor: number, width: number): InputWindow {
	// The last column stays free for the cursor after the text (or for the right mark).
	const columns = Math.max(1, width - 1);
	const before = value.slice(0, cursor);
	const beforeWidth = textWidth(before);
	if (textWidth(value) <= columns) {
		return {text: value, cursorColumn: beforeWidth, hiddenBefore: false, hiddenAfter: false};
	}

	const marks = columns >= 4;
	const after = graphemes(value.slice(cursor));
	// The character under the cursor must show too.
	const underCursor = textWidth(after[0] ?? '');
	const left = graphemes(before);
	let start = 0;
	let shownWidth = beforeWidth;
	const leftMark = () => (marks && start > 0 ? 1 : 0);
	while (leftMark() + shownWidth + underCursor > columns && start < left.length) {
		shownWidth -= textWidth(left[start] ?? '');
		start++;
	}

	let text = left.slice(start).join('');
	let used = leftMark() + shownWidth;
	let shownAfter = 0;
	for (const grapheme of after) {
		const size = textWidth(grapheme);
		if (used + size > columns) {
			break;
		}

		text += grapheme;
		used += size;
		shownAfter++;
	}

	return {text, cursorColumn: leftMark() + shownWidth, hiddenBefore: leftMark() === 1, hiddenAfter: marks && shownAfter < after.length};
}

/** The input row's first columns: the draft's window is the row's width less this. */
export const inputPrompt = '> ';

/**
 * Whether a key that turned `before` into `after` changed the input row (of `width` columns after the
 * prompt) only by `char`, one column, drawn where the cursor was, with the cursor one column on and
 * nothing after it: what the screen can show before the frame is rendered (echo-ahead.ts).
 */
export function echoesAtCursor(before: InputLine, after: InputLine, char: string, width: number): boolean {
	const was = inputWindow(shownDraft(before.value), before.cursor, width);
	const now = inputWindow(shownDraft(after.value), after.cursor, width);
	const atEnd = was.cursorColumn === (was.hiddenBefore ? 1 : 0) + textWidth(was.text);
	return atEnd && now.text === was.text + char && now.cursorColumn === was.cursorColumn + 1 && now.hiddenBefore === was.hiddenBefore && !now.hiddenAfter;
}
