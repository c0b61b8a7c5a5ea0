// A typed character drawn the moment its key is read, before React renders the frame that holds it (the
// echo a curses program gives): the screen writer that draws Ink's frames (log-update.ts) registers here,
// and the input line asks it to draw a character it knows the next frame puts at the cursor. The frame
// that follows is diffed against what the terminal then shows, so a guess that turns out wrong is
// corrected by it, and a right one costs that frame nothing.

type Echo = (char: string) => boolean;

let active: Echo | undefined;

/** The screen writer of the running app registers; the function returned takes it away again. */
export function registerEchoAhead(echo: Echo): () => void {
	active = echo;
	return () => {
		if (active === echo) {
			active = undefined;
		}
	};
}

/**
 * Draws `char` (one column wide) at the cursor, in the default look, and moves the cursor one column on,
 * clearing the rest of the row: what the next frame will show there. False when nothing was drawn.
 */
export function echoAhead(char: string): boolean {
	return active?.(char) ?? false;
}
