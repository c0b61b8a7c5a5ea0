import {conversationLabel, statusConversation, type ConversationSummary} from '../../domain/conversation.js';
import type {ChatLine} from '../../domain/snapshot.js';
import {live, type Scroll} from '../pane/scrollback.js';
import {isReplay} from './alerts.js';
import {mentions} from './mentions.js';

/** New messages in a buffer you are not in: none, some, or some that name you. */
export type Activity = 'none' | 'message' | 'mention';

export type BufferEntry = {
	/** The conversation it shows; statusConversation for buffer 1, the merged view of everything. */
	readonly id: string;
	/** The conversation's name as the snapshot last gave it ("bob", an address); its id until then. */
	readonly name: string;
	/** The longer form, with the address: "bob (127.0.0.1:7852)". */
	readonly label: string;
	/** Set once the conversation has been in the snapshot: from then on, its leaving it may drop the buffer. */
	readonly listed: boolean;
	readonly activity: Activity;
	/** The newest of its lines seen so far: when that is older than the oldest line kept, none is left. */
	readonly lastLineId: number;
	readonly scroll: Scroll;
	/** The read marker: every line up to this id had come when you last left the buffer (unset until then). */
	readonly readId?: number;
};

/** A message that names you, or came in a private query: what the bell and a notification are for. */
export type Mention = {readonly line: ChatLine; readonly buffer: string};

/**
 * What the latest syncs brought that may call for the bell: serial grows with each sync that brought a
 * message from someone else (not a history replay), so the App rings once for it.
 */
export type Arrivals = {
	readonly serial: number;
	/** A message arrived out of sight: in another buffer than the one shown, or below a scrolled-up view. */
	readonly unseen: boolean;
	/** The newest of them that names you (or came in a private query), if any. */
	readonly mention: Mention | undefined;
};

export type BufferList = {
	/** entries[0] is buffer 1, the merged view; the others in the order they opened. */
	readonly entries: readonly BufferEntry[];
	/** The id of the buffer shown. */
	readonly current: string;
	/** Every line up to this id has been looked at: each line is looked at once, however often sync runs. */
	readonly syncedId: number;
	/** As of the last sync: names a buffer that open() adds between snapshots. */
	readonly conversations: readonly ConversationSummary[];
	readonly arrivals: Arrivals;
};

export type BufferAction =
	| {
			readonly type: 'sync';
			readonly lines: readonly ChatLine[];
			readonly conversations: readonly ConversationSummary[];
			readonly nick: string;
	  }
	/** By number, as the status bar and /buffers count: 1 is the merged view. */
	| {readonly type: 'select'; readonly number: number}
	| {readonly type: 'next'}
	| {readonly type: 'prev'}
	/** Without a number, the current buffer. Buffer 1 stays. */
	| {readonly type: 'close'; readonly number?: number}
	/** Opens the conversation's buffer if it is not open, and goes there. */
	| {readonly type: 'open'; readonly id: string}
	| {readonly type: 'scroll'; readonly scroll: Scroll};

function entry(id: string, name: string): BufferEntry {
	return {id, name, label: name, listed: false, activity: 'none', lastLineId: 0, scroll: live};
}

const merged = entry(statusConversation, 'all');

const noArrivals: Arrivals = {serial: 0, unseen: false, mention: undefined};

export const initialBuffers: BufferList = {entries: [merged], current: statusConversation, syncedId: 0, conversations: [], arrivals: noArrivals};

const rank: Record<Activity, number> = {none: 0, message: 1, mention: 2};

function raise(activity: Activity, to: Activity): Activity {
	return rank[to] > rank[activity] ? to : activity;
}

/** Index of the first line newer than id; new lines only come at the end, so look from there. */
function firstNewer(lines: readonly ChatLine[], id: number): number {
	let index = lines.length;
	while (index > 0 && (lines[index - 1]?.id ?? 0) > id) {
		index--;
	}

	return index;
}

/**
 * Opens buffers for conversations with new traffic (a closed one too: its traffic is newer than its closing)
 * and marks activity in buffers other than the current one, looking only at lines not seen before.
 */
function readNewLines(
	list: BufferList,
	lines: readonly ChatLine[],
	nick: string,
	conversations: readonly ConversationSummary[],
): {readonly entries: readonly BufferEntry[]; readonly arrivals: Arrivals} {
	const first = firstNewer(lines, list.syncedId);
	if (first === lines.length) {
		return {entries: list.entries, arrivals: list.arrivals};
	}

	// On an IRC network you are mentioned by the nick you have there (alice_ after a clash).
	const networkNicks = new Map(conversations.flatMap(summary => (summary.network ? [[summary.id, summary.network.nick] as const] : [])));
	// A private IRC message is for you whatever it says, as weechat and irssi highlight it.
	const queries = new Set(conversations.flatMap(summary => (summary.kind === 'query' ? [summary.id] : [])));

	const open = new Set(list.entries.map(buffer => buffer.id));
	const opened: BufferEntry[] = [];
	const lastLineIds = new Map<string, number>();
	const news = new Map<string, Activity>();
	const held = list.entries.find(buffer => buffer.id === list.current)?.scroll.mode === 'held';
	let alerts = 0;
	let unseen = false;
	let mention: Mention | undefined;
	const arrived = (id: string, activity: Activity) => {
		if (id !== list.current) {
			news.set(id, raise(news.get(id) ?? 'none', activity));
		}
	};

	for (let index = first; index < lines.length; index++) {
		const line = lines[index];
		if (line === undefined || line.kind === 'system') {
			continue;
		}

		const {conversation} = line;
		if (conversation !== undefined) {
			if (!open.has(conversation)) {
				open.add(conversation);
				opened.push(entry(conversation, conversation));
			}

			lastLineIds.set(conversation, line.id);
		}

		if (line.kind === 'in') {
			const activity: Activity = (conversation !== undefined && queries.has(conversation)) || mentions(line.text, (conversation === undefined ? undefined : networkNicks.get(conversation)) ?? nick) ? 'mention' : 'message';
			arrived(statusConversation, activity);
			if (conversation !== undefined) {
				arrived(conversation, activity);
			}

			if (!isReplay(line)) {
				alerts++;
				unseen ||= held || (list.current !== statusConversation && conversation !== list.current);
				mention = activity === 'mention' ? {line, buffer: conversation ?? statusConversation} : mention;
			}
		}
	}

	const entries = [...list.entries, ...opened].map(buffer => {
		const lastLineId = lastLineIds.get(buffer.id) ?? buffer.lastLineId;
		const activity = raise(buffer.activity, news.get(buffer.id) ?? 'none');
		return lastLineId === buffer.lastLineId && activity === buffer.activity ? buffer : {...buffer, lastLineId, activity};
	});
	return {entries, arrivals: alerts === 0 ? list.arrivals : {serial: list.arrivals.serial + 1, unseen, mention}};
}

function hasLines(lines: readonly ChatLine[], buffer: BufferEntry): boolean {
	if (lines.length === 0 || buffer.lastLineId < (lines[0]?.id ?? 0)) {
		return false;
	}

	// Rare (a forgotten conversation whose lines may be kept): only then are the lines searched.
	return lines.some(line => line.conversation === buffer.id);
}

function named(buffer: BufferEntry, conversation: ConversationSummary): BufferEntry {
	const label = conversationLabel(conversation);
	return buffer.listed && buffer.name === conversation.name && buffer.label === label ? buffer : {...buffer, listed: true, name: conversation.name, label};
}

/** Names from the snapshot; a buffer whose conversation is gone and whose lines are all gone closes. */
function reconcile(entries: readonly BufferEntry[], lines: readonly ChatLine[], conversations: readonly ConversationSummary[]): readonly BufferEntry[] {
	const byId = new Map(conversations.map(conversation => [conversation.id, conversation]));
	return entries.flatMap((buffer, index) => {
		if (index === 0) {
			return [buffer];
		}

		const conversation = byId.get(buffer.id);
		if (conversation) {
			return [named(buffer, conversation)];
		}

		return buffer.listed && !hasLines(lines, buffer) ? [] : [buffer];
	});
}

function show(list: BufferList, index: number): BufferList {
	const target = list.entries[index];
	if (!target || (target.id === list.current && target.activity === 'none')) {
		return list;
	}

	// The buffer left keeps a read marker: what came up to now has been seen (weechat's read marker).
	return {
		...list,
		current: target.id,
		entries: list.entries.map((buffer, at) =>
			at === index ? {...buffer, activity: 'none'} : buffer.id === list.current && target.id !== list.current ? {...buffer, readId: list.syncedId} : buffer,
		),
	};
}

export function currentIndex(list: BufferList): number {
	return Math.max(0, list.entries.findIndex(buffer => buffer.id === list.current));
}

export function currentBuffer(list: BufferList): BufferEntry {
	return list.entries[currentIndex(list)] ?? merged;
}

/** Buffers other than the current one with new messages, by number. */
export function activeBuffers(list: BufferList): Array<{readonly number: number; readonly activity: Exclude<Activity, 'none'>}> {
	return list.entries.flatMap((buffer, index) => (buffer.activity === 'none' ? [] : [{number: index + 1, activity: buffer.activity}]));
}

/** The conversation the current buffer belongs to; undefined in buffer 1, the merged view. */
export function currentConversation(list: BufferList): string | undefined {
	return list.current === statusConversation ? undefined : list.current;
}

export function reduceBuffers(list: BufferList, action: BufferAction): BufferList {
	switch (action.type) {
		case 'sync': {
			const read = readNewLines(list, action.lines, action.nick, action.conversations);
			const entries = reconcile(read.entries, action.lines, action.conversations);
			const current = entries.some(buffer => buffer.id === list.current) ? list.current : statusConversation;
			return {entries, current, syncedId: Math.max(list.syncedId, action.lines.at(-1)?.id ?? 0), conversations: action.conversations, arrivals: read.arrivals};
		}

		case 'select': {
			return show(list, action.number - 1);
		}

		case 'next':
		case 'prev': {
			const step = action.type === 'next' ? 1 : -1;
			return show(list, (currentIndex(list) + step + list.entries.length) % list.entries.length);
		}

		case 'close': {
			const index = action.number === undefined ? currentIndex(list) : action.number - 1;
			const closing = list.entries[index];
			if (index === 0 || !closing) {
				return list;
			}

			const entries = list.entries.filter((_, at) => at !== index);
			return closing.id === list.current ? show({...list, entries}, index - 1) : {...list, entries};
		}

		case 'open': {
			const index = list.entries.findIndex(buffer => buffer.id === action.id);
			if (index !== -1) {
				return show(list, index);
			}

			const conversation = list.conversations.find(candidate => candidate.id === action.id);
			const opened = entry(action.id, action.id);
			return show({...list, entries: [...list.entries, conversation ? named(opened, conversation) : opened]}, list.entries.length);
		}

		case 'scroll': {
			const index = currentIndex(list);
			return {...list, entries: list.entries.map((buffer, at) => (at === index ? {...buffer, scroll: action.scroll} : buffer))};
		}
	}
}
