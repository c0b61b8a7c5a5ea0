import type {InputLine} from './input-line.js';

/** What Tab can offer in the current buffer, each list best first. */
export type CompletionSources = {
	/** The buffer's nicks: the most recent speaker first, our own nick last. */
	readonly nicks: readonly string[];
	/** Slash commands, with their slash ("/query"). */
	readonly commands: readonly string[];
	/** Who /query and /msg can name: nicks, addresses, /peers numbers. */
	readonly targets: readonly string[];
	/** IRC channels ("#room"). */
	readonly channels: readonly string[];
};

/** A Tab cycle: the line around the completed word, and every replacement for it (its suffix included). */
export type CompletionCycle = {
	readonly before: string;
	readonly after: string;
	readonly candidates: readonly string[];
	readonly index: number;
};

const targetCommands = new Set(['/query', '/msg', '/connect', '/whois']);
const channelCommands = new Set(['/join', '/j', '/part', '/leave']);
const channelStart = /^[#&]/;

function matching(words: readonly string[], prefix: string): string[] {
	const lower = prefix.toLowerCase();
	return words.filter(word => word.toLowerCase().startsWith(lower) && word !== '');
}

/** The words that may replace the word before the cursor, with what follows each; and where that word starts. */
export function completionsAt(value: string, cursor: number, sources: CompletionSources): {start: number; candidates: string[]} {
	const head = value.slice(0, cursor);
	const start = head.search(/\S*$/);
	const prefix = head.slice(start);
	const words = head.slice(0, start).trim().split(/\s+/).filter(Boolean);
	const isCommandLine = value.startsWith('/') && !value.startsWith('//');
	const spaced = (list: string[]) => ({start, candidates: list.map(word => `${word} `)});

	if (start === 0 && isCommandLine) {
		return spaced(matching(sources.commands, prefix));
	}

	const command = isCommandLine ? words[0]?.toLowerCase() : undefined;
	if (command !== undefined && words.length === 1) {
		if (targetCommands.has(command)) {
			const list = channelStart.test(prefix) ? sources.channels : [...sources.targets, ...(command === '/msg' ? sources.channels : [])];
			return spaced(matching(list, prefix));
		}

		if (channelCommands.has(command)) {
			return spaced(matching(sources.channels, prefix));
		}
	}

	if (channelStart.test(prefix) && sources.channels.length > 0) {
		return spaced(matching(sources.channels, prefix));
	}

	// A nick at the very start of a message is addressed ("bob: "), as in weechat and irssi.
	// In a multi-line draft each line has a start of its own.
	const atLineStart = !isCommandLine && (head.slice(0, start).split('\n').at(-1) ?? '').trim() === '';
	const nicks = matching(sources.nicks, prefix);
	return {start, candidates: nicks.map(nick => (atLineStart ? `${nick}: ` : `${nick} `))};
}

function show(cycle: CompletionCycle): InputLine {
	const word = cycle.candidates[cycle.index] ?? '';
	// No second space when one follows already.
	const shown = cycle.after.startsWith(' ') && word.endsWith(' ') ? word.slice(0, -1) : word;
	return {value: cycle.before + shown + cycle.after, cursor: cycle.before.length + shown.length};
}

/** The first Tab: the best candidate in place of the word before the cursor; undefined when nothing matches. */
export function startCompletion(line: InputLine, sources: CompletionSources, backwards = false): [CompletionCycle, InputLine] | undefined {
	const {start, candidates} = completionsAt(line.value, line.cursor, sources);
	if (candidates.length === 0) {
		return undefined;
	}

	const cycle = {before: line.value.slice(0, start), after: line.value.slice(line.cursor), candidates, index: backwards ? candidates.length - 1 : 0};
	return [cycle, show(cycle)];
}

/** Tab again (step 1) or Shift+Tab (step -1): the next candidate, round and round. */
export function stepCompletion(cycle: CompletionCycle, step: 1 | -1): [CompletionCycle, InputLine] {
	const count = cycle.candidates.length;
	const next = {...cycle, index: (cycle.index + step + count) % count};
	return [next, show(next)];
}
