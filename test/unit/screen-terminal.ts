// A terminal model for the screen tests: xterm.js without a DOM, with Unicode 11 widths (emoji are two
// columns, as string-width counts them). Cells are described as text, so a mismatch reads in a diff.
import unicode11 from '@xterm/addon-unicode11';
import xterm from '@xterm/headless';
import {create} from '../../source/ui/screen/log-update.js';

type Cell = NonNullable<ReturnType<NonNullable<ReturnType<xterm.IBuffer['getLine']>>['getCell']>>;

export type TerminalModel = {
	/** Feeds output to the terminal, processed at once. */
	write(data: string): void;
	/** Each row's cells, as character, width and look ("a1b:1.1/0.0" is a bold "a" in colour 1). */
	cells(): string[][];
	/** Each row's cells' characters. */
	chars(): string[][];
	/** Each row's text. */
	text(): string[];
	cursor(): {x: number; y: number; hidden: boolean};
	resize(columns: number, rows: number): void;
};

function describe(cell: Cell): string {
	const flags = [
		cell.isBold() ? 'b' : '',
		cell.isDim() ? 'd' : '',
		cell.isItalic() ? 'i' : '',
		// The underline style (single, double) is not in the public API.
		cell.isUnderline() ? `u${(cell as unknown as {extended?: {underlineStyle?: number}}).extended?.underlineStyle ?? ''}` : '',
		cell.isBlink() ? 'k' : '',
		cell.isInverse() ? 'r' : '',
		cell.isInvisible() ? 'h' : '',
		cell.isStrikethrough() ? 's' : '',
		cell.isOverline() ? 'o' : '',
	].join('');
	// A cell never written and a written space look alike.
	const chars = cell.getChars() === '' && cell.getWidth() === 1 ? ' ' : cell.getChars();
	return `${chars}${cell.getWidth()}${flags}:${cell.getFgColorMode()}.${cell.getFgColor()}/${cell.getBgColorMode()}.${cell.getBgColor()}`;
}

/** `unicode: '6'` is a terminal with older widths, which draws most emoji one column wide. */
export function terminalModel(columns: number, rows: number, {unicode = '11'}: {readonly unicode?: '6' | '11'} = {}): TerminalModel {
	const terminal = new xterm.Terminal({cols: columns, rows, allowProposedApi: true, scrollback: 0, logLevel: 'off'});
	terminal.loadAddon(new unicode11.Unicode11Addon());
	terminal.unicode.activeVersion = unicode;
	// Synchronous writes: the public write() is processed on a later tick.
	const core = (terminal as unknown as {_core: {writeSync(data: string): void; coreService: {isCursorHidden: boolean}}})._core;
	// The app draws in the alternate screen, as here (the normal one would also reflow rows on a resize).
	core.writeSync('\u001B[?1049h');
	const lines = () => {
		const buffer = terminal.buffer.active;
		return Array.from({length: terminal.rows}, (_, y) => buffer.getLine(buffer.baseY + y)!);
	};

	return {
		write(data) {
			core.writeSync(data);
		},
		cells() {
			return lines().map(line => Array.from({length: terminal.cols}, (_, x) => describe(line.getCell(x)!)));
		},
		chars() {
			return lines().map(line => Array.from({length: terminal.cols}, (_, x) => line.getCell(x)!.getChars()));
		},
		text() {
			return lines().map(line => line.translateToString(true));
		},
		cursor() {
			const buffer = terminal.buffer.active;
			return {x: buffer.cursorX, y: buffer.cursorY, hidden: core.coreService.isCursorHidden};
		},
		resize(newColumns, newRows) {
			terminal.resize(newColumns, newRows);
		},
	};
}

/** What a terminal shows for a frame written whole on a cleared screen, each row from its first column. */
export function wholeFrame(lines: readonly string[]): string {
	return `\u001B[0m\u001B[H\u001B[2J${lines.map((line, y) => `\u001B[0m\u001B[${y + 1};1H${line}`).join('')}`;
}

/** Our log-update on a fake stream of a given size; each call returns what that frame wrote. */
export function screenLog(columns: number, rows: number) {
	const stream = {
		columns,
		rows,
		written: '',
		write(chunk: string) {
			this.written += chunk;
			return true;
		},
	};
	const log = create(stream);
	const take = () => {
		const written = stream.written;
		stream.written = '';
		return written;
	};

	return {
		log,
		stream,
		/** Draws a frame (rows joined as Ink joins them) with the cursor; returns the bytes written. */
		frame(lines: readonly string[], cursor?: {x: number; y: number}, trailingNewline = false) {
			log.setCursorPosition(cursor);
			log(lines.join('\n') + (trailingNewline ? '\n' : ''));
			return take();
		},
		take,
	};
}
