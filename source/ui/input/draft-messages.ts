/** A draft whose first line is a command (not /me or /msg, whose text may go on, nor //text): each line is its own. */
const commandLine = /^\/(?!\/|me(?:\s|$)|msg\s)/;

/**
 * What Enter submits for a draft: one message, line breaks and all (one multi-line message to a tui-netchat
 * peer, separate lines to plain peers and IRC); but a paste of commands runs them one by one.
 */
export function draftMessages(draft: string): string[] {
	if (!draft.includes('\n')) {
		return [draft];
	}

	if (commandLine.test(draft.trimStart())) {
		return draft.split('\n').filter(line => line.trim() !== '');
	}

	// Blank lines at either end say nothing.
	return [draft.replace(/^(?:[ \t]*\n)+/, '').replace(/(?:\n[ \t]*)+$/, '')];
}
