import {describe, expect, it} from 'vitest';
import {echoesAtCursor, inputWindow, newlineMark, shownDraft} from '../../source/ui/input/input-window.js';
import {textWidth} from '../../source/text/text-width.js';

/** The row as drawn: the marks and the text, as the input box puts them together. */
function drawn(value: string, cursor: number, width: number): string {
	const window = inputWindow(value, cursor, width);
	return `${window.hiddenBefore ? '<' : ''}${window.text}${window.hiddenAfter ? '>' : ''}`;
}

describe('inputWindow edge marks', () => {
	const value = 'abcdefghijklmnopqrstuvwxyz';

	it('marks nothing when the draft fits', () => {
		expect(drawn('hello', 5, 10)).toBe('hello');
	});

	it('marks text hidden at the right when the cursor is at the start', () => {
		const window = inputWindow(value, 0, 10);
		expect(window).toMatchObject({hiddenBefore: false, hiddenAfter: true, cursorColumn: 0});
		expect(drawn(value, 0, 10)).toBe('abcdefghi>');
	});

	it('marks text hidden at the left when the cursor is at the end, the cursor after the text', () => {
		const window = inputWindow(value, value.length, 10);
		expect(window).toMatchObject({hiddenBefore: true, hiddenAfter: false});
		expect(drawn(value, value.length, 10)).toBe('<stuvwxyz');
		expect(window.cursorColumn).toBe(9);
	});

	it('marks both edges in the middle, and the character under the cursor shows', () => {
		const cursor = 13;
		const window = inputWindow(value, cursor, 10);
		expect(window.hiddenBefore && window.hiddenAfter).toBe(true);
		const row = drawn(value, cursor, 10);
		expect(textWidth(row)).toBeLessThanOrEqual(10);
		// The cursor's column, counted in the drawn row, holds the character at the cursor.
		expect(row[window.cursorColumn]).toBe(value[cursor]);
	});

	it('never draws wider than the width, with wide characters at the edges', () => {
		const wide = '漢字'.repeat(20);
		for (let cursor = 0; cursor <= wide.length; cursor++) {
			const row = drawn(wide, cursor, 11);
			expect(textWidth(row), `cursor ${cursor}`).toBeLessThanOrEqual(11);
			expect(inputWindow(wide, cursor, 11).cursorColumn).toBeLessThanOrEqual(10);
		}
	});

	it('leaves the marks out when the box is too narrow for them', () => {
		expect(inputWindow(value, 5, 3)).toMatchObject({hiddenBefore: false, hiddenAfter: false});
	});
});

describe('shownDraft', () => {
	it('shows each line break as one ⏎ column, the same length so cursor offsets hold', () => {
		const draft = 'one\ntwo';
		expect(shownDraft(draft)).toBe(`one${newlineMark}two`);
		expect(shownDraft(draft)).toHaveLength(draft.length);
		expect(textWidth(newlineMark)).toBe(1);
	});
});

describe('echoesAtCursor: what the screen may draw before the frame', () => {
	const line = (value: string, cursor = value.length) => ({value, cursor});

	it('is true for a character typed at the end of a draft that fits', () => {
		expect(echoesAtCursor(line('hell'), line('hello'), 'o', 20)).toBe(true);
		expect(echoesAtCursor(line(''), line('h'), 'h', 20)).toBe(true);
	});

	it('is false when the character goes anywhere but after the last one shown', () => {
		// Inserted in the middle: the text after it moves.
		expect(echoesAtCursor(line('helo', 3), line('hello', 4), 'l', 20)).toBe(false);
		// The window scrolls at the right edge: every shown character moves.
		const full = 'abcdefgh';
		expect(echoesAtCursor(line(full), line(`${full}i`), 'i', 9)).toBe(false);
		// A key that did not insert what it says.
		expect(echoesAtCursor(line('ab'), line('ab'), 'c', 20)).toBe(false);
	});

	it('is false once the window scrolls: every shown character moves left', () => {
		const value = 'abcdefghijklmnopqrstuvwxyz';
		const before = inputWindow(value, value.length, 10);
		expect(before.hiddenBefore).toBe(true);
		expect(echoesAtCursor(line(value), line(`${value}!`), '!', 10)).toBe(false);
	});
});
