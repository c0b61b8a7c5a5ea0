import type {Cell} from './cells.js';
import {defaultStyle, transition, type Style} from './style.js';

const csi = '\u001B[';

function shorter(a: string, b: string): string {
	return b.length < a.length ? b : a;
}

/** A count parameter, left out when it is 1. */
function count(n: number): string {
	return n === 1 ? '' : String(n);
}

/** CUP, with the parameters a terminal assumes left out. */
function cup(y: number, x: number): string {
	return x === 0 ? (y === 0 ? `${csi}H` : `${csi}${y + 1}H`) : `${csi}${y + 1};${x + 1}H`;
}

function horizontal(from: number, to: number): string {
	if (to === from) {
		return '';
	}

	if (to > from) {
		return `${csi}${count(to - from)}C`;
	}

	if (to === 0) {
		return '\r';
	}

	return from - to === 1 ? '\b' : shorter(`${csi}${from - to}D`, `${csi}${to + 1}G`);
}

function vertical(from: number, to: number): string {
	return to > from ? `${csi}${count(to - from)}B` : `${csi}${count(from - to)}A`;
}

/**
 * Output for a terminal whose cursor and style it keeps track of, so each move and style change is the
 * shortest sequence from where the terminal is. Nothing is written until take().
 */
export class TerminalWriter {
	columns = 80;
	rows = 24;
	/** The terminal's style; undefined when not known (at start, after something else wrote). */
	style: Style | undefined;
	private out = '';
	private x = 0;
	private y = 0;
	/**
	 * 'all': x and y are where the cursor is. 'row': only y (after a character whose width terminals disagree
	 * on). 'none': after a write in the last column (terminals differ on moves from its pending wrap) and at start.
	 */
	private known: 'all' | 'row' | 'none' = 'none';
	private cursorShown: boolean | undefined;

	take(): string {
		const out = this.out;
		this.out = '';
		return out;
	}

	/** Something else wrote to the terminal: nothing is known of its cursor or style. */
	forget(): void {
		this.known = 'none';
		this.style = undefined;
		this.cursorShown = undefined;
	}

	/** Whether the cursor is known to be at row y, column x. */
	isAt(y: number, x: number): boolean {
		return this.known === 'all' && this.y === y && this.x === x;
	}

	moveTo(y: number, x: number): void {
		if (this.known === 'all' && this.y === y && this.x === x) {
			return;
		}

		let move = cup(y, x);
		if (this.known === 'all') {
			move = shorter(move, (y === this.y ? '' : vertical(this.y, y)) + horizontal(this.x, x));
		} else if (this.known === 'row' && y === this.y) {
			move = shorter(move, x === 0 ? '\r' : `${csi}${x + 1}G`);
		}

		this.out += move;
		this.x = x;
		this.y = y;
		this.known = 'all';
	}

	useStyle(style: Style): void {
		this.out += transition(this.style, style);
		this.style = style;
	}

	/** Writes a cell at row y, column x (the cursor is moved there if it is not). */
	write(cell: Cell, y: number, x: number): void {
		this.moveTo(y, x);
		this.useStyle(cell.style);
		if (!cell.exact && cell.width > 1) {
			// Spaces first: a terminal that draws the character narrower still shows every column right.
			this.out += `${' '.repeat(cell.width)}${csi}${x + 1}G`;
		}

		this.out += cell.char;
		this.x = x + cell.width;
		if (this.x >= this.columns) {
			this.known = 'none';
		} else if (!cell.exact) {
			this.known = 'row';
		}
	}

	/** Clears from the cursor to the end of its row. */
	eraseToEnd(): void {
		// Erased cells take the current background (BCE): the default look first.
		this.useStyle(defaultStyle);
		this.out += `${csi}K`;
	}

	clearScreen(): void {
		this.useStyle(defaultStyle);
		// No scroll region left from anything, the cursor home, the screen blank.
		this.out += `${csi}r${csi}H${csi}2J`;
		this.x = 0;
		this.y = 0;
		this.known = 'all';
	}

	/**
	 * Scrolls rows top..bottom (inclusive) up by shift rows (down for a negative shift); new rows are blank.
	 * With IND at the bottom margin (RI at the top), as VT100 did: every terminal has them, while SU and SD
	 * are missing from some (the Linux console).
	 */
	scroll(top: number, bottom: number, shift: number): void {
		// New rows take the current background (BCE): the default look first.
		this.useStyle(defaultStyle);
		const region = top !== 0 || bottom !== this.rows - 1;
		if (region) {
			this.out += `${csi}${top + 1};${bottom + 1}r`;
			// Setting the region moves the cursor home (the move below does not count on it).
			this.known = 'none';
		}

		this.moveTo(shift > 0 ? bottom : top, 0);
		this.out += (shift > 0 ? '\u001BD' : '\u001BM').repeat(Math.abs(shift));
		if (region) {
			this.out += `${csi}r`;
			this.known = 'none';
		}
	}

	/** The end of a frame: the default style, and the cursor where Ink asked (shown), or hidden. */
	finish(cursor: {readonly x: number; readonly y: number} | undefined, hideWithoutPosition: boolean): void {
		if (this.style !== undefined && this.style !== defaultStyle) {
			this.useStyle(defaultStyle);
		}

		if (cursor !== undefined) {
			this.moveTo(Math.max(0, Math.min(this.rows - 1, cursor.y)), Math.max(0, Math.min(this.columns - 1, cursor.x)));
			this.showCursor();
		} else if (hideWithoutPosition && this.cursorShown !== false) {
			this.out += `${csi}?25l`;
			this.cursorShown = false;
		}
	}

	showCursor(): void {
		if (this.cursorShown !== true) {
			this.out += `${csi}?25h`;
			this.cursorShown = true;
		}
	}
}
