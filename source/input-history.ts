/** Sent lines for Up/Down, readline style: the unsent draft is kept while browsing. */
export type InputHistory = {
	readonly entries: readonly string[];
	/** Position while browsing (entries.length means "the draft"). */
	readonly index: number;
	readonly draft: string;
};

export const emptyHistory: InputHistory = {entries: [], index: 0, draft: ''};

const maxEntries = 500;

export function remember(history: InputHistory, line: string): InputHistory {
	const entries = history.entries.at(-1) === line ? history.entries : [...history.entries, line].slice(-maxEntries);
	return {entries, index: entries.length, draft: ''};
}

/** Up: returns the new history and the text to show, or undefined when there is nothing older. */
export function older(history: InputHistory, current: string): [InputHistory, string] | undefined {
	if (history.index === 0) {
		return undefined;
	}

	const draft = history.index === history.entries.length ? current : history.draft;
	const index = history.index - 1;
	return [{...history, index, draft}, history.entries[index] ?? ''];
}

export function newer(history: InputHistory): [InputHistory, string] | undefined {
	if (history.index >= history.entries.length) {
		return undefined;
	}

	const index = history.index + 1;
	const text = index === history.entries.length ? history.draft : (history.entries[index] ?? '');
	return [{...history, index}, text];
}
