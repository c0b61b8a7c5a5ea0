// A message of several lines between two tui-netchat peers goes as ONE tagged line: the flag tag "ml" says
// its text escapes line breaks ("\n" for a break, "\\" for a backslash), as IRCv3 tag values do:
//   @id=ab12cd34-7;ml first line\nsecond line
// Plain peers and rooms get the lines themselves (netcat prints each), IRC one PRIVMSG per line.

import {sanitize} from './sanitize.js';

/** The tag that marks an escaped multi-line text. */
export const multilineTag = 'ml';

/** Lines of a peer's multi-line message that are shown; the rest is said in one marker line. */
export const maxShownLines = 200;

/** '\r\n' and a lone '\r' are line breaks too; blank lines at either end say nothing. */
export function normaliseBreaks(text: string): string {
	return text
		.replace(/\r\n?/g, '\n')
		.replace(/^(?:[ \t]*\n)+/, '')
		.replace(/(?:\n[ \t]*)+$/, '');
}

export function isMultiline(text: string): boolean {
	return text.includes('\n');
}

export function escapeBreaks(text: string): string {
	return text.replace(/[\\\n]/g, char => (char === '\n' ? '\\n' : '\\\\'));
}

/** One escape at a time: "\\\\n" is a backslash and an "n"; an unknown "\\x" stays as it is. */
export function unescapeBreaks(text: string): string {
	return text.replace(/\\([\\n])/g, (_all, char: string) => (char === 'n' ? '\n' : '\\'));
}

/**
 * A peer's multi-line text to what may be shown: each line sanitized on its own (so the only control
 * character left is the line break itself), blank lines at the ends dropped, at most maxLines lines.
 */
export function sanitizeLines(text: string, maxLines = maxShownLines): string {
	const lines = normaliseBreaks(text).split('\n');
	const kept = lines.length > maxLines ? [...lines.slice(0, maxLines), `[… ${lines.length - maxLines} more lines]`] : lines;
	return kept.map(line => sanitize(line)).join('\n');
}

/** "* alice waves\n* alice again": a plain peer's /me, line by line. */
export function actionLines(nick: string, text: string): string {
	return text
		.split('\n')
		.map(line => `* ${nick} ${line}`)
		.join('\n');
}

/** Own text (or any text that may hold line breaks) to what is shown: every line sanitized, the breaks kept. */
export function sanitizeText(text: string): string {
	return text.includes('\n') ? sanitizeLines(text, Number.POSITIVE_INFINITY) : sanitize(text);
}
