// Bracketed paste (2004) marks pasted text, so a paste of several lines is held instead of sent.
const enterAlternateScreen = '\u001B[?1049h\u001B[H\u001B[?2004h';
const leaveAlternateScreen = '\u001B[?2004l\u001B[?1049l';
const showCursor = '\u001B[?25h';

let active = false;

/** Full-screen mode; restore() puts the user's terminal back and is safe to call on any exit path, twice. */
export function enterFullScreen(stdout: NodeJS.WriteStream): void {
	if (!stdout.isTTY || active) {
		return;
	}

	active = true;
	stdout.write(enterAlternateScreen);
	process.once('exit', () => {
		restoreTerminal(stdout);
	});
}

export function restoreTerminal(stdout: NodeJS.WriteStream): void {
	if (!active) {
		return;
	}

	active = false;
	try {
		stdout.write(showCursor + leaveAlternateScreen);
		if (process.stdin.isTTY && process.stdin.isRaw) {
			process.stdin.setRawMode(false);
		}
	} catch {
		// The terminal is gone; nothing to restore.
	}
}
