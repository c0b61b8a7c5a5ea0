import stringWidth from 'string-width';
import {describe, expect, it} from 'vitest';
import {echoAhead} from '../../source/ui/screen/echo-ahead.js';
import {screenLog, terminalModel, wholeFrame} from './screen-terminal.js';

// Frames shaped like the app's at 120x40 (a full pane of coloured history, the rule with the draft's
// size, the input line, the status bar, one row left free), and what a typed key or a message costs.
// Ink wraps each frame in the synchronized-output pair (16 bytes), counted here too.
const columns = 120;
const rows = 40;
const paneHeight = 36;
const synchronized = '\u001B[?2026h\u001B[?2026l'.length;
/** A message's cost beyond its row: synchronized output, the scroll (region, IND, reset), two moves. */
const overhead = synchronized + '\u001B[1;36r\u001B[36H\u001BD\u001B[r'.length + '\u001B[36H'.length + '\u001B[38;8H'.length;

const words = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet', 'kilo', 'lima'];
const text = (n: number) =>
	n % 3 === 0 ? `你好，世界 ${n} 这是一行中文` : Array.from({length: 4 + (n % 5)}, (_, index) => words[(n * 7 + index * 5) % words.length]).join(' ');
const message = (n: number) => `\u001B[2m12:${String(n % 60).padStart(2, '0')}:07 udp \u001B[22m\u001B[1m\u001B[${31 + (n % 6)}m<alice> \u001B[39m\u001B[22m${text(n)}`;

type Frame = {lines: string[]; cursor: {x: number; y: number}};

/** The app's frame; with `nicks`, a nick list of that width beside the pane. */
function frame(first: number, draft: string, unread: number, nicks = 0): Frame {
	const info = ` ${Buffer.byteLength(draft)} B `;
	const nick = (y: number) => (y === 0 ? '\u001B[1m42 nicks\u001B[22m' : `\u001B[${31 + (y % 6)}mnick${y}\u001B[39m`);
	const paneRow = (y: number) => {
		const row = message(first + y);
		return nicks === 0 ? row : `${row}${' '.repeat(columns - nicks - stringWidth(row))}│ ${nick(y)}`;
	};

	const lines = [
		...Array.from({length: paneHeight}, (_, y) => paneRow(y)),
		`\u001B[2m${'─'.repeat(columns - info.length - 1)}${info}─\u001B[22m`,
		`\u001B[1m> \u001B[22m${draft}`,
		`\u001B[7m 1:udp 2:#lan  ${unread} unread   alice@udp:4000   UTF-8   ^T protocol  ^N nicks${' '.repeat(40)}\u001B[27m`,
		'',
	];
	return {lines, cursor: {x: 2 + draft.length, y: paneHeight + 1}};
}

function session() {
	const screen = screenLog(columns, rows);
	const ours = terminalModel(columns, rows);
	const draw = (next: ReturnType<typeof frame>) => {
		const written = screen.frame(next.lines, next.cursor, true);
		ours.write(written);
		const reference = terminalModel(columns, rows);
		reference.write(wholeFrame(next.lines));
		expect(ours.cells()).toEqual(reference.cells());
		return Buffer.byteLength(written) + synchronized;
	};

	return draw;
}

describe('bytes written at 120x40 with a full pane', () => {
	it('costs at most 64 bytes a typed key', () => {
		const draw = session();
		draw(frame(1000, 'hello ther', 3));
		const costs = ['hello there', 'hello there!', 'hello there! 你'].map(draft => draw(frame(1000, draft, 3)));
		expect(Math.max(...costs)).toBeLessThanOrEqual(64);
	});

	it('costs two cells, two moves and two style changes when the draft size keeps its digits', () => {
		const draw = session();
		draw(frame(1000, 'ab', 3));
		// "2 B" to "3 B": one cell of the rule and one of the input line, two moves and two style changes.
		expect(draw(frame(1000, 'abc', 3)) - synchronized).toBeLessThanOrEqual(26);
	});

	it('costs the typed character alone when it is drawn ahead of the frame, and the frame nothing more for it', () => {
		const screen = screenLog(columns, rows);
		const ours = terminalModel(columns, rows);
		const first = frame(1000, 'hello ther', 3);
		ours.write(screen.frame(first.lines, first.cursor, true));
		expect(echoAhead('e')).toBe(true);
		const ahead = screen.take();
		expect(ahead).toBe('e');
		ours.write(ahead);
		expect(ours.text()[paneHeight + 1]).toBe('> hello there');
		const next = frame(1000, 'hello there', 3);
		const written = screen.frame(next.lines, next.cursor, true);
		ours.write(written);
		// Only the rule's size figure ("10 B" to "11 B") and the cursor's way back.
		expect(written).not.toContain('e');
		const reference = terminalModel(columns, rows);
		reference.write(wholeFrame(next.lines));
		expect(ours.cells()).toEqual(reference.cells());
	});

	it('costs an incoming message at most its row, the changed status cells and a little for cursor and scroll region', () => {
		const draw = session();
		draw(frame(1000, 'draft', 3));
		for (const first of [1001, 1002, 1003]) {
			const row = Buffer.byteLength(message(first + paneHeight - 1));
			// The unread count changes one cell of the status bar (a move, a style, a digit).
			const statusCell = 10;
			expect(draw(frame(first, 'draft', first - 997))).toBeLessThanOrEqual(row + statusCell + overhead);
		}
	});

	it('scrolls the pane for several messages at once', () => {
		const draw = session();
		draw(frame(1000, '', 3));
		const rowsIn = [1, 2, 3, 4, 5].map(index => Buffer.byteLength(message(1000 + paneHeight - 1 + index)));
		expect(draw(frame(1005, '', 3))).toBeLessThanOrEqual(rowsIn.reduce((sum, each) => sum + each, 0) + overhead + 10);
	});
});

describe('bytes written at 120x40 with a nick list beside the pane', () => {
	it('scrolls the pane and draws the nick list again, for less than drawing every row of the pane', () => {
		const draw = session();
		draw(frame(1000, '', 3, 20));
		const scrolled = draw(frame(1001, '', 4, 20));
		// The nick list's rows (a move, a colour and a nick each) are most of it.
		expect(scrolled).toBeLessThan(Buffer.byteLength(message(1035)) + paneHeight * 24);
	});
});
