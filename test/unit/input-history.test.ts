import {describe, expect, it} from 'vitest';
import {emptyHistory, newer, older, remember, type InputHistory} from '../../source/ui/input/input-history.js';

function historyOf(...lines: string[]): InputHistory {
	return lines.reduce(remember, emptyHistory);
}

/** Presses Up `count` times from the given draft; returns the history and the text shown last. */
function up(history: InputHistory, draft: string, count = 1): [InputHistory, string] {
	let state: [InputHistory, string] = [history, draft];
	for (let index = 0; index < count; index++) {
		const step = older(state[0], state[1]);
		expect(step, `Up #${index + 1}`).toBeDefined();
		state = step!;
	}

	return state;
}

describe('input history', () => {
	it('remembers sent lines in order and stops browsing at the draft', () => {
		const history = historyOf('one', 'two');
		expect(history.entries).toEqual(['one', 'two']);
		expect(history.index).toBe(2);
		expect(history.edits.size).toBe(0);
	});

	it('recalls the last sent line on Up', () => {
		expect(up(historyOf('one', 'two'), '')[1]).toBe('two');
	});

	it('recalls the line before on a second Up', () => {
		expect(up(historyOf('one', 'two'), '', 2)[1]).toBe('one');
	});

	it('has nothing older than the first line', () => {
		const [history] = up(historyOf('one', 'two'), '', 2);
		expect(older(history, 'one')).toBeUndefined();
	});

	it('has nothing to recall when nothing was sent', () => {
		expect(older(emptyHistory, 'draft')).toBeUndefined();
	});

	it('steps forward again on Down', () => {
		const [history, shown] = up(historyOf('one', 'two'), '', 2);
		expect(newer(history, shown)?.[1]).toBe('two');
	});

	it('returns the unsent draft on Down past the newest line', () => {
		const [history, shown] = up(historyOf('one', 'two'), 'half typed', 2);
		const first = newer(history, shown)!;
		const second = newer(first[0], first[1])!;
		expect(second[1]).toBe('half typed');
		expect(second[0].index).toBe(2);
	});

	it('keeps the first draft when a recalled line is edited and Up is pressed again', () => {
		const [once] = up(historyOf('one', 'two'), 'my draft');
		const [twice, shown] = older(once, 'two, edited')!;
		const [back, backShown] = newer(twice, shown)!;
		expect(newer(back, backShown)?.[1]).toBe('my draft');
	});

	it('keeps an edit to a recalled line while browsing, as readline does', () => {
		const [once] = up(historyOf('one', 'two'), '');
		const [twice, shown] = older(once, 'two, edited')!;
		expect(newer(twice, shown)?.[1]).toBe('two, edited');
	});

	it('forgets edits once a line is sent, and the sent history is unchanged', () => {
		const [once] = up(historyOf('one', 'two'), '');
		const [twice] = older(once, 'two, edited')!;
		const after = remember(twice, 'one');
		expect(after.entries).toEqual(['one', 'two', 'one']);
		expect(after.edits.size).toBe(0);
	});

	it('does nothing on Down when not browsing', () => {
		expect(newer(historyOf('one'), '')).toBeUndefined();
	});

	it('stores consecutive duplicate sends once', () => {
		expect(historyOf('a', 'b', 'b', 'b').entries).toEqual(['a', 'b']);
	});

	it('keeps a repeated line that was not sent right after itself', () => {
		expect(historyOf('a', 'b', 'a').entries).toEqual(['a', 'b', 'a']);
	});

	it('ends browsing and clears the draft when a line is sent', () => {
		const [browsing] = up(historyOf('one', 'two'), 'draft', 2);
		const after = remember(browsing, 'one');
		expect(after.index).toBe(after.entries.length);
		expect(after.edits.size).toBe(0);
		expect(older(after, '')?.[1]).toBe('one');
	});

	it('keeps the newest 500 lines', () => {
		const lines = Array.from({length: 520}, (_, index) => `line ${index}`);
		const history = historyOf(...lines);
		expect(history.entries).toHaveLength(500);
		expect(history.entries[0]).toBe('line 20');
		expect(history.entries.at(-1)).toBe('line 519');
	});

	it('does not change the history it is given', () => {
		const history = historyOf('one');
		const copy = structuredClone(history);
		remember(history, 'two');
		older(history, 'x');
		expect(history).toEqual(copy);
	});
});
