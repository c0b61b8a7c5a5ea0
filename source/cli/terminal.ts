import {adoptCachedScreen, noteFullScreen} from '../ui/screen/first-frame.js';

// Bracketed paste (2004) marks pasted text, so a paste of several lines is held instead of sent.
const enterAlternateScreen = '\u001B[?1049h\u001B[H\u001B[?2004h';
const leaveAlternateScreen = '\u001B[?2004l\u001B[?1049l';
const showCursor = '\u001B[?25h';

let active = false;
// The loader drew a cached first frame (first-frame.ts): full-screen mode is on, and restored on every way out.
if (adoptCachedScreen()) {
	active = true;
	noteFullScreen(enterAlternateScreen);
	process.once('exit', () => {
		restoreTerminal(process.stdout);
	});
}

/** Full-screen mode; restore() puts the user's terminal back and is safe to call on any exit path, twice. */
export function enterFullScreen(stdout: NodeJS.WriteStream): void {
	if (!stdout.isTTY || active) {
		return;
	}

	active = true;
	stdout.write(enterAlternateScreen);
	noteFullScreen(enterAlternateScreen);
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

/** Enters full-screen mode again after a suspend (restoreTerminal left it): the caller redraws. */
export function reenterFullScreen(stdout: NodeJS.WriteStream): void {
	if (!stdout.isTTY || active) {
		return;
	}

	active = true;
	stdout.write(enterAlternateScreen);
	if (process.stdin.isTTY && !process.stdin.isRaw) {
		process.stdin.setRawMode(true);
	}
}

export {asciiOnly} from '../text/glyphs.js';

/** TERM=dumb (Emacs' shell, some IDE consoles, a serial line): no cursor movement, so no full screen. */
export function dumbTerminal(env: NodeJS.ProcessEnv = process.env): boolean {
	return env['TERM'] === 'dumb';
}

/** Control characters (and the ; that separates OSC 777's fields) would end or break the sequence. */
const clean = (text: string) => text.replaceAll(/[\p{Cc};]/gu, ' ').slice(0, 200);

/**
 * A desktop notification through the terminal: OSC 777 for VTE terminals (GNOME Terminal, Tilix), foot and
 * urxvt, OSC 9 for the others that have one (iTerm2, WezTerm, kitty, Windows Terminal, ConEmu); inside tmux
 * wrapped to pass through (tmux needs `set -g allow-passthrough on`). Terminals without either ignore both.
 */
export function notificationSequence(title: string, body: string, env: NodeJS.ProcessEnv = process.env): string {
	const term = env['TERM'] ?? '';
	const vte = env['VTE_VERSION'] !== undefined || /^(?:foot|rxvt)/.test(term);
	const sequence = vte ? `\u001B]777;notify;${clean(title)};${clean(body)}\u001B\\` : `\u001B]9;${clean(title)}: ${clean(body)}\u001B\\`;
	return env['TMUX'] === undefined ? sequence : `\u001BPtmux;${sequence.replaceAll('\u001B', '\u001B\u001B')}\u001B\\`;
}

/**
 * Ctrl+Z in full screen: Ink's raw mode reads it as a key (0x1a) instead of the terminal stopping us. The
 * terminal is put back, the process stops as the shell expects, and on `fg` (SIGCONT) full screen comes
 * back and `redraw` draws the chat again. Returns a function that stops listening.
 */
export function allowSuspend(stdin: NodeJS.ReadStream, stdout: NodeJS.WriteStream, redraw: () => void): () => void {
	const onData = (chunk: Buffer | string) => {
		if (!chunk.toString().includes('\u001A') || !active) {
			return;
		}

		restoreTerminal(stdout);
		// A frame drawn after `fg` but before SIGCONT is handled (a message that came meanwhile) would land on
		// the shell's screen: output is dropped until then, and redraw() draws the latest frame.
		const write = stdout.write;
		stdout.write = ((_chunk: unknown, ...rest: unknown[]) => {
			const done = rest.find(argument => typeof argument === 'function') as (() => void) | undefined;
			done?.();
			return true;
		}) as typeof stdout.write;
		process.once('SIGCONT', () => {
			stdout.write = write;
			reenterFullScreen(stdout);
			redraw();
		});
		// The whole process group, as a shell's job: npx (or a wrapper script) above us stops too, so the shell shows its prompt.
		process.kill(0, 'SIGTSTP');
	};

	stdin.on('data', onData);
	return () => {
		stdin.off('data', onData);
	};
}
