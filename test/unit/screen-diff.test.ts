import {describe, expect, it} from 'vitest';
import {screenLog, terminalModel, wholeFrame} from './screen-terminal.js';

const clearAll = '\u001B[r\u001B[H\u001B[2J';
/** After other output, the terminal's style and cursor are not known: both are set again. */
const afterOther = (drawing: string) => `\u001B[m${clearAll}${drawing}\u001B[?25l`;

/** A log with a first frame drawn; frame() returns what each later frame wrote. */
function drawn(lines: string[], cursor?: {x: number; y: number}, columns = 20, rows = lines.length) {
	const screen = screenLog(columns, rows);
	screen.frame(lines, cursor);
	return screen;
}

describe('screen writer', () => {
	it('writes only the typed character when the cursor is already there', () => {
		const screen = drawn(['> hell', 'status'], {x: 6, y: 0});
		expect(screen.frame(['> hello', 'status'], {x: 7, y: 0})).toBe('o');
	});

	it('erases a character with a backspace, a space and a backspace', () => {
		const screen = drawn(['> hello', 'status'], {x: 7, y: 0});
		expect(screen.frame(['> hell', 'status'], {x: 6, y: 0})).toBe('\b \b');
	});

	it('moves the cursor alone when only the cursor moved', () => {
		const screen = drawn(['> hello', 'status'], {x: 7, y: 0});
		expect(screen.frame(['> hello', 'status'], {x: 3, y: 0})).toBe('\u001B[4D');
		expect(screen.log.willRender('> hello\nstatus')).toBe(false);
	});

	it('writes nothing when neither the frame nor the cursor changed', () => {
		const screen = drawn(['> hello', 'status'], {x: 7, y: 0});
		expect(screen.log.willRender('> hello\nstatus')).toBe(false);
		expect(screen.frame(['> hello', 'status'], {x: 7, y: 0})).toBe('');
	});

	it('writes a wide character over the narrow ones it replaces', () => {
		const screen = drawn(['ab']);
		expect(screen.frame(['你'])).toBe('\r你');
	});

	it('writes spaces under an emoji and places the cursor again after it', () => {
		const screen = drawn(['a']);
		expect(screen.frame(['😀b'])).toBe('\r  \u001B[1G😀\u001B[3Gb');
	});

	it('erases the rest of a row that became shorter with EL', () => {
		const screen = drawn(['hello world']);
		expect(screen.frame(['he'])).toBe('\u001B[9D\u001B[K');
	});

	it('changes only the style of cells whose look changed, and resets it at the end', () => {
		const screen = drawn(['abc']);
		expect(screen.frame(['a\u001B[1mb\u001B[22mc'])).toBe('\u001B[2D\u001B[1mb\u001B[m');
	});

	it('scrolls a block of rows up inside a scroll region (IND at its bottom) and draws the row that came in', () => {
		const pane = (from: number) => Array.from({length: 4}, (_, index) => `message ${from + index}`);
		const screen = drawn([...pane(1), '> draft', 'status'], {x: 7, y: 4});
		expect(screen.frame([...pane(2), '> draft', 'status'], {x: 7, y: 4})).toBe('\u001B[1;4r\u001B[4H\u001BD\u001B[r\u001B[4Hmessage 5\u001B[5;8H');
	});

	it('scrolls rows down (RI at the region\'s top) when they moved down', () => {
		const pane = (from: number) => Array.from({length: 4}, (_, index) => `message ${from + index}`);
		const screen = drawn([...pane(2), 'status']);
		expect(screen.frame([...pane(1), 'status'])).toBe('\u001B[1;4r\u001B[H\u001BM\u001B[r\u001B[Hmessage 1');
	});

	it('draws everything again after the terminal changed size', () => {
		const screen = drawn(['abc', 'def']);
		screen.stream.columns = 30;
		expect(screen.log.willRender('abc\ndef')).toBe(true);
		expect(screen.frame(['abc', 'def'])).toBe(`${clearAll}abc\u001B[2Hdef`);
	});

	it('draws the next frame whole, clearing the screen first, after clear()', () => {
		const screen = drawn(['abc', 'def']);
		screen.log.clear();
		expect(screen.take()).toBe('');
		expect(screen.frame(['abc', 'def'])).toBe(afterOther('abc\u001B[2Hdef'));
	});

	it('draws the next frame whole after sync(), which says the terminal shows something else', () => {
		const screen = drawn(['abc']);
		screen.log.sync('xyz');
		expect(screen.log.willRender('xyz')).toBe(false);
		expect(screen.frame(['abd'])).toBe(afterOther('abd'));
	});

	it('shows the cursor once where it is asked, and hides it when no position is set', () => {
		const screen = screenLog(10, 2);
		expect(screen.frame(['\u001B[1m> \u001B[22m'], {x: 2, y: 0})).toBe(`\u001B[m${clearAll}\u001B[1m> \u001B[m\u001B[?25h`);
		expect(screen.frame(['\u001B[1m> \u001B[22ma'], {x: 3, y: 0})).toBe('a');
		expect(screen.frame(['\u001B[1m> \u001B[22ma'])).toBe('\u001B[?25l');
	});

	it('resets the style and shows the cursor when done', () => {
		const screen = drawn(['abc']);
		screen.log.done();
		expect(screen.take()).toBe('\u001B[?25h');
	});

	it('draws the first frame as the terminal shows it written whole', () => {
		const lines = ['\u001B[1m\u001B[32mnick\u001B[39m\u001B[22m hi 你好 😀', '', '\u001B[7m status \u001B[27m'];
		const ours = terminalModel(20, 3);
		const reference = terminalModel(20, 3);
		ours.write(screenLog(20, 3).frame(lines));
		reference.write(wholeFrame(lines));
		expect(ours.cells()).toEqual(reference.cells());
	});
});
