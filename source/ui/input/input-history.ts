/**
 * Sent lines for Up/Down, readline style: the unsent draft is kept while browsing, and so is an edit to
 * a recalled line, until a line is sent.
 */
export type InputHistory = {
	readonly entries: readonly string[];
	/** Position while browsing (entries.length means "the draft"). */
	readonly index: number;
	/** What is shown at each position that was changed while browsing (the draft is one of them). */
	readonly edits: ReadonlyMap<number, string>;
};

export const emptyHistory: InputHistory = {entries: [], index: 0, edits: new Map()};

const maxEntries = 500;

export function remember(history: InputHistory, line: string): InputHistory {
	const entries = history.entries.at(-1) === line ? history.entries : [...history.entries, line].slice(-maxEntries);
	return {entries, index: entries.length, edits: new Map()};
}

function shownAt(history: InputHistory, index: number): string {
	return history.edits.get(index) ?? history.entries[index] ?? '';
}

function moveTo(history: InputHistory, current: string, index: number): [InputHistory, string] {
	const edits = new Map(history.edits);
	if (current !== (history.entries[history.index] ?? '')) {
		edits.set(history.index, current);
	} else {
		edits.delete(history.index);
	}

	const next = {...history, index, edits};
	return [next, shownAt(next, index)];
}

/** Up: returns the new history and the text to show, or undefined when there is nothing older. */
export function older(history: InputHistory, current: string): [InputHistory, string] | undefined {
	return history.index === 0 ? undefined : moveTo(history, current, history.index - 1);
}

/** Down: towards the draft; undefined when already there. */
export function newer(history: InputHistory, current: string): [InputHistory, string] | undefined {
	return history.index >= history.entries.length ? undefined : moveTo(history, current, history.index + 1);
}
