/**
 * Whether service.send() takes a message with line breaks as one message (one multi-line message to a
 * tui-netchat peer, separate lines to a plain peer). Until it does, a multi-line draft goes line by line.
 * The one switch: set it to true once the service handles '\n'.
 */
export const serviceSendsMultiline = false;

/** What Enter submits for a draft: the whole draft, or (the fallback) each of its non-blank lines. */
export function draftMessages(draft: string, multiline = serviceSendsMultiline): string[] {
	if (!draft.includes('\n')) {
		return [draft];
	}

	if (multiline) {
		// Blank lines at either end say nothing.
		return [draft.replace(/^(?:[ \t]*\n)+/, '').replace(/(?:\n[ \t]*)+$/, '')];
	}

	return draft.split('\n').filter(line => line.trim() !== '');
}
