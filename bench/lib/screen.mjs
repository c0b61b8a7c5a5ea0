// A terminal model for the bench: what a program wrote to its pty (recorded by bench/pty-driver.py with
// --record, each chunk with the driver's read time) replayed into xterm.js headless (@xterm/headless,
// with its Unicode 11 widths), so a figure says what the screen showed, whatever bytes drew it.
import {createRequire} from 'node:module';

const require = createRequire(import.meta.url);

function load() {
	try {
		const {Terminal} = require('@xterm/headless');
		let Unicode11Addon;
		try {
			({Unicode11Addon} = require('@xterm/addon-unicode11'));
		} catch {}

		return {Terminal, Unicode11Addon};
	} catch {
		return undefined;
	}
}

const xterm = load();

/** Whether the terminal model is there (it is a devDependency: `npm ci` installs it). */
export const haveScreen = xterm !== undefined;

export class Screen {
	constructor(cols = 120, rows = 40) {
		if (!xterm) {
			throw new Error('@xterm/headless is not installed (npm ci)');
		}

		this.rows = rows;
		this.term = new xterm.Terminal({cols, rows, scrollback: 0, allowProposedApi: true});
		if (xterm.Unicode11Addon) {
			this.term.loadAddon(new xterm.Unicode11Addon());
			this.term.unicode.activeVersion = '11';
		}
	}

	write(data) {
		return new Promise(resolve => this.term.write(data, resolve));
	}

	/** The visible rows as text, right-trimmed. */
	lines() {
		const buffer = this.term.buffer.active;
		const lines = [];
		for (let y = 0; y < this.rows; y++) {
			lines.push(buffer.getLine(buffer.viewportY + y)?.translateToString(true) ?? '');
		}

		return lines;
	}

	dispose() {
		this.term.dispose();
	}
}

/** The screen after every chunk: the final lines. */
export async function finalLines(chunks, cols, rows) {
	const screen = new Screen(cols, rows);
	try {
		for (const chunk of chunks) {
			await screen.write(chunk.data);
		}

		return screen.lines();
	} finally {
		screen.dispose();
	}
}

/** The bottom-most row of `lines` that contains `text`, or -1. */
export const rowWith = (lines, text) => lines.findLastIndex(line => line.includes(text));

/**
 * Key echo on the model's screen, fed `chunks` (after what it was fed before): key i (written at sent[i],
 * hrtime ms) has echoed at the first chunk read after it once which row `row` differs from what it held
 * just before the key and holds drafts[i] (the input so far; "differs" because a placeholder may hold the
 * letters before). Resolves with ms per key (null: never shown).
 */
export async function echoOn(screen, chunks, sent, drafts, row) {
	const times = sent.map(() => null);
	const before = [];
	let next = 0;
	for (const chunk of chunks) {
		// What the row held before each key that was written by now (chunks come in time order).
		while (before.length < sent.length && chunk.at >= sent[before.length]) {
			before.push(screen.lines()[row] ?? '');
		}

		await screen.write(chunk.data);
		const now = screen.lines()[row] ?? '';
		while (next < before.length && now !== before[next] && now.includes(drafts[next])) {
			times[next] = chunk.at - sent[next];
			next++;
		}
	}

	return times;
}

/** echoOn() over every chunk from the start, on a fresh model: {times, lines (the final screen)}. */
export async function echoTimes(chunks, sent, drafts, row, cols = 120, rows = 40) {
	const screen = new Screen(cols, rows);
	try {
		const times = await echoOn(screen, chunks, sent, drafts, row);
		return {times, lines: screen.lines()};
	} finally {
		screen.dispose();
	}
}
