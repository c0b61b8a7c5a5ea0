import {findCellScroll} from './cell-scroll.js';
import {blank, cellOf, continuation, isBlank, type Cell} from './cells.js';
import {defaultStyle} from './style.js';
import {parseLine} from './parse-line.js';
import {diffRow} from './row-diff.js';
import {findScroll, scrolled, type Scroll} from './scroll.js';
import {TerminalWriter} from './terminal-writer.js';

export type CursorPosition = {readonly x: number; readonly y: number};
export type ScreenSize = {readonly columns: number; readonly rows: number};

/** What a row drawn by echoAhead() is known as: no frame's row is this string (frames hold no NUL). */
const echoedRow = '\u0000';

/** Scrolls tried in one frame at most (a frame rarely moves more than one block). */
const maxScrolls = 3;

/**
 * What the terminal shows (the rows of the last frame, as Ink's strings and as cells) and the writer that
 * brings it to the next frame with the fewest bytes: scrolls for rows that moved as a block (found on
 * strings, or on cells when something beside them stayed), then the changed cells of the rows whose string
 * changed (only those are parsed), the cursor last.
 */
export class Screen {
	private readonly writer = new TerminalWriter();
	private lines: string[] = [];
	private cells: Cell[][] = [];
	private blankRow: Cell[] = [];
	private valid = false;

	/** Whether the last frame was drawn for this size (a frame of another size is drawn whole). */
	fits({columns, rows}: ScreenSize): boolean {
		return this.writer.columns === columns && this.writer.rows === rows;
	}

	/** The output that draws `frame` (its rows; more than the screen has are left out) with the cursor. */
	render(frame: readonly string[], cursor: CursorPosition | undefined, size: ScreenSize, hideCursor: boolean): string {
		const {columns, rows} = size;
		const writer = this.writer;
		if (!this.valid || !this.fits(size)) {
			writer.columns = columns;
			writer.rows = rows;
			writer.clearScreen();
			this.blankRow = new Array<Cell>(columns).fill(blank);
			this.lines = new Array<string>(rows).fill('');
			this.cells = new Array<Cell[]>(rows).fill(this.blankRow);
			this.valid = true;
		}

		const lines = frame.length === rows ? frame : Array.from({length: rows}, (_, y) => frame[y] ?? '');
		let scrolls = 0;
		for (; scrolls < maxScrolls; scrolls++) {
			const scroll = findScroll(this.lines, lines);
			if (scroll === undefined) {
				break;
			}

			this.scroll(scroll);
		}

		const parse = (y: number) => (lines[y] === this.lines[y] ? undefined : parseLine(lines[y]!, columns));
		let next = Array.from({length: rows}, (_, y) => parse(y));
		if (scrolls === 0) {
			const scroll = findCellScroll(this.cells, next, this.blankRow);
			if (scroll !== undefined) {
				this.scroll(scroll);
				next = next.map((cells, y) => (lines[y] === this.lines[y] ? undefined : (cells ?? parse(y))));
			}
		}

		// The cursor's row last: its last change is usually where the cursor goes (a typed character).
		const cursorRow = cursor?.y;
		for (let y = 0; y <= rows; y++) {
			const row = y === rows ? cursorRow : y === cursorRow ? undefined : y;
			const cells = row === undefined ? undefined : next[row];
			if (row !== undefined && cells !== undefined) {
				diffRow(writer, row, this.cells[row]!, cells);
				this.cells[row] = cells;
				this.lines[row] = lines[row]!;
			}
		}

		writer.finish(cursor, hideCursor);
		return writer.take();
	}

	/**
	 * Output that writes `char` (one column, the default look) at the cursor, at `at`, and clears the rest
	 * of its row: '' when the terminal's cursor or that cell is not as simple as that needs. The row is
	 * parsed again at the next frame, which writes only where it differs.
	 */
	echoAhead(char: string, at: CursorPosition): string {
		const {x, y} = at;
		const row = this.cells[y];
		const writer = this.writer;
		// Not in the last column: terminals differ on where a write there leaves the cursor.
		if (!this.valid || row === undefined || x + 1 >= writer.columns || !writer.isAt(y, x)) {
			return '';
		}

		const here = row[x]!;
		if (here === continuation || here.width !== 1 || row[x + 1] === continuation) {
			return '';
		}

		const cells = row.slice();
		cells[x] = cellOf(char, 1, true, defaultStyle);
		writer.write(cells[x], y, x);
		if (cells.slice(x + 1).some(cell => !isBlank(cell))) {
			writer.eraseToEnd();
			cells.fill(blank, x + 1);
		}

		this.cells[y] = cells;
		// Equal to no frame's row: the next frame parses this row and compares cells.
		this.lines[y] = echoedRow;
		return writer.take();
	}

	private scroll(scroll: Scroll): void {
		this.writer.scroll(scroll.top, scroll.bottom, scroll.shift);
		this.lines = scrolled(this.lines, scroll, '');
		this.cells = scrolled(this.cells, scroll, this.blankRow);
	}

	/** The end: the default style and the cursor shown; whatever comes next is drawn whole. */
	release(): string {
		this.writer.finish(undefined, false);
		this.writer.showCursor();
		const output = this.writer.take();
		this.invalidate();
		return output;
	}

	/** The terminal may show anything now (something else wrote to it): the next frame is drawn whole. */
	invalidate(): void {
		this.valid = false;
		this.writer.forget();
	}
}
