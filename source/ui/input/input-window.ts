import {graphemes, textWidth} from '../../text/text-width.js';

export type InputWindow = {readonly text: string; readonly cursorColumn: number};

/** The part of the draft that fits in width columns, scrolled so the cursor stays visible. */
export function inputWindow(value: string, cursor: number, width: number): InputWindow {
	const columns = Math.max(1, width - 1);
	const before = value.slice(0, cursor);
	const beforeWidth = textWidth(before);
	if (textWidth(value) <= columns) {
		return {text: value, cursorColumn: beforeWidth};
	}

	const left = graphemes(before);
	let start = 0;
	let shownWidth = beforeWidth;
	while (shownWidth > columns && start < left.length) {
		shownWidth -= textWidth(left[start] ?? '');
		start++;
	}

	let text = left.slice(start).join('');
	let used = shownWidth;
	for (const grapheme of graphemes(value.slice(cursor))) {
		const size = textWidth(grapheme);
		if (used + size > columns) {
			break;
		}

		text += grapheme;
		used += size;
	}

	return {text, cursorColumn: shownWidth};
}
