// Ink's log-update (node_modules/ink/build/log-update.js), replaced in the bundle by scripts/build.mjs:
// the same interface, but each frame is written as a curses program would, as the cells that changed
// since the last frame (see screen.ts), not as the whole output again. Made for a full-screen app in the
// alternate screen: row y of Ink's output is row y of the terminal.
import {Screen, type CursorPosition} from './screen.js';

export type LogUpdate = {
	/** Draws a frame; false when it (and the cursor) is what the terminal already shows. */
	(text: string): boolean;
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
	const willRender = (text: string) => text !== drawn || cursorDirty() || !screen.fits(size());

	const log = ((text: string) => {
		if (!willRender(text)) {
			return false;
		}

		const output = screen.render(frameRows(text), cursor, size(), !showCursor);
		drawn = text;
		drawnCursor = cursor;
		if (output !== '') {
			stream.write(output);
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

	log.isCursorDirty = cursorDirty;
	log.willRender = willRender;
	return log;
}

const logUpdate = {create};
export default logUpdate;
