// Ink's log-update (node_modules/ink/build/log-update.js), replaced in the bundle by scripts/build.mjs:
// the same interface, but each frame is written as a curses program would, as the cells that changed
// since the last frame (see screen.ts), not as the whole output again. Made for a full-screen app in the
// alternate screen: row y of Ink's output is row y of the terminal.
import {alreadyShown, keepFirstFrame} from './first-frame.js';
import {registerEchoAhead} from './echo-ahead.js';
import {Screen, type CursorPosition} from './screen.js';

export type LogUpdate = {
	/**
	 * Draws a frame; false when it (and the cursor) is what the terminal already shows. `synchronized`:
	 * inside the terminal's synchronized update (DEC 2026), in the same write.
	 */
	(text: string, synchronized?: boolean): boolean;
	/** Forgets what the terminal shows (other output comes): the next frame clears it and draws whole. */
	clear(): void;
	/** The app is done: the style reset and the cursor shown. */
	done(): void;
	/** The terminal shows `text` without this module having drawn it: nothing is known of its cells. */
	sync(text: string): void;
	/** Where the cursor is put (and shown) after each frame; undefined hides it. Kept until set again. */
	setCursorPosition(position: CursorPosition | undefined): void;
	isCursorDirty(): boolean;
	willRender(text: string): boolean;
};

type Stream = {
	readonly columns?: number;
	readonly rows?: number;
	write(chunk: string): unknown;
};

const beginSynchronized = '\u001B[?2026h';
const endSynchronized = '\u001B[?2026l';

/** A sleep after drawing a character ahead of its frame (below). */
const yieldCell = new Int32Array(new SharedArrayBuffer(4));
const yieldMs = 0.05;

/** The rows of a frame: Ink ends one shorter than the terminal with a line break. */
function frameRows(text: string): string[] {
	return (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n');
}

export function create(stream: Stream, {showCursor = false}: {readonly showCursor?: boolean; readonly incremental?: boolean} = {}): LogUpdate {
	const screen = new Screen();
	let drawn: string | undefined;
	let drawnCursor: CursorPosition | undefined;
	let cursor: CursorPosition | undefined;
	const size = () => ({columns: stream.columns || 80, rows: stream.rows || 24});
	const cursorDirty = () => cursor?.x !== drawnCursor?.x || cursor?.y !== drawnCursor?.y;
	/** Characters were drawn ahead (echo below) since the last frame: the next is drawn whatever it holds. */
	let echoed = false;
	const willRender = (text: string) => echoed || text !== drawn || cursorDirty() || !screen.fits(size());

	const log = ((text: string, synchronized = false) => {
		if (!willRender(text)) {
			return false;
		}

		const output = screen.render(frameRows(text), cursor, size(), !showCursor);
		drawn = text;
		drawnCursor = cursor;
		echoed = false;
		const written = synchronized ? `${beginSynchronized}${output}${endSynchronized}` : output;
		if (output !== '' && !alreadyShown(written)) {
			stream.write(written);
			keepFirstFrame();
		}

		return true;
	}) as LogUpdate;

	// Ink clears before other output (its console patch), before <Static> output and when the terminal gets
	// narrower, and draws a frame right after: that frame clears the screen itself, inside the synchronized
	// update, so nothing flashes blank in between.
	log.clear = () => {
		screen.invalidate();
		drawn = undefined;
		drawnCursor = undefined;
	};

	log.done = () => {
		unregister();
		stream.write(screen.release());
		drawn = undefined;
		drawnCursor = undefined;
	};

	log.sync = (text: string) => {
		screen.invalidate();
		drawn = text;
		drawnCursor = cursor;
	};

	log.setCursorPosition = position => {
		cursor = position === undefined ? undefined : {x: position.x, y: position.y};
	};

	// See echo-ahead.ts. Only onto a frame as drawn (no cursor move waiting): the character goes where
	// the cursor is, and the next frame is drawn over it whatever it holds.
	const echo = (char: string) => {
		if (drawn === undefined || drawnCursor === undefined || cursorDirty() || !screen.fits(size())) {
			return false;
		}

		const output = screen.echoAhead(char, drawnCursor);
		if (output === '') {
			return false;
		}

		stream.write(output);
		// The write wakes whoever reads the terminal (its emulator, tmux, sshd). On a core this process
		// keeps busy (the frame comes next), the scheduler lets it run only when we stop, up to a time
		// slice later: 0.6 to 3.5 ms on 2 cores, against 0.6 to 1.1 ms after sleeping this long.
		Atomics.wait(yieldCell, 0, 0, yieldMs);
		drawnCursor = {x: drawnCursor.x + 1, y: drawnCursor.y};
		echoed = true;
		return true;
	};

	const unregister = registerEchoAhead(echo);
	log.isCursorDirty = () => echoed || cursorDirty();
	log.willRender = willRender;
	return log;
}

const logUpdate = {create};
export default logUpdate;
