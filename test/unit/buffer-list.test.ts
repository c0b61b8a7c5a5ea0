import {describe, expect, it} from 'vitest';
import {statusConversation, type ConversationSummary} from '../../source/domain/conversation.js';
import type {ChatLine} from '../../source/domain/snapshot.js';
import {
	activeBuffers,
	currentBuffer,
	currentConversation,
	initialBuffers,
	reduceBuffers,
	type BufferAction,
	type BufferList,
} from '../../source/ui/buffers/buffer-list.js';
import {bufferLines} from '../../source/ui/buffers/buffer-lines.js';
import {conversation, inLine, outLine, systemLine} from '../helpers/fake-store.js';

function sync(list: BufferList, lines: readonly ChatLine[], conversations: readonly ConversationSummary[] = [], nick = 'me'): BufferList {
	return reduceBuffers(list, {type: 'sync', lines, conversations, nick});
}

function apply(list: BufferList, ...actions: BufferAction[]): BufferList {
	return actions.reduce(reduceBuffers, list);
}

const ids = (list: BufferList) => list.entries.map(buffer => buffer.id);

describe('buffer list: opening', () => {
	it('starts with buffer 1 alone, the merged view, and shows it', () => {
		expect(ids(initialBuffers)).toEqual([statusConversation]);
		expect(currentConversation(initialBuffers)).toBeUndefined();
		expect(currentBuffer(initialBuffers).name).toBe('all');
	});

	it('opens one buffer per conversation in the order their traffic began, sent or received', () => {
		const list = sync(initialBuffers, [inLine('a', {conversation: 'c2'}), outLine('b', {conversation: 'c1'}), inLine('c', {conversation: 'c2'})]);
		expect(ids(list)).toEqual([statusConversation, 'c2', 'c1']);
		expect(list.current).toBe(statusConversation);
	});

	it('opens no buffer for system lines, nor for lines of the status conversation', () => {
		const notice: ChatLine = {...systemLine('bob connected'), conversation: 'c1'};
		expect(ids(sync(initialBuffers, [notice, inLine('from nowhere')]))).toEqual([statusConversation]);
	});

	it('names a buffer after its conversation once the snapshot lists it', () => {
		const list = sync(initialBuffers, [inLine('a', {conversation: 'c1'})]);
		expect(list.entries[1]?.name).toBe('c1');
		const named = sync(list, [inLine('a', {conversation: 'c1'})], [conversation('c1', 'bob', {address: '10.0.0.2:7852'})]);
		expect(named.entries[1]).toMatchObject({name: 'bob', label: 'bob (10.0.0.2:7852)'});
	});

	it('opens a conversation without traffic and goes there on open, and only goes there when it is open', () => {
		const opened = apply(initialBuffers, {type: 'open', id: 'c7'});
		expect(ids(opened)).toEqual([statusConversation, 'c7']);
		expect(opened.current).toBe('c7');
		const again = apply(opened, {type: 'select', number: 1}, {type: 'open', id: 'c7'});
		expect(ids(again)).toEqual([statusConversation, 'c7']);
		expect(again.current).toBe('c7');
	});

	it('names a buffer opened between snapshots from the conversations of the last one', () => {
		const list = sync(initialBuffers, [], [conversation('c3', 'carol', {address: '10.0.0.3:7852'})]);
		expect(apply(list, {type: 'open', id: 'c3'}).entries[1]).toMatchObject({name: 'carol', label: 'carol (10.0.0.3:7852)'});
	});

	it('keeps a buffer opened by /query before the snapshot lists its conversation', () => {
		const opened = apply(initialBuffers, {type: 'open', id: 'c7'});
		expect(ids(sync(opened, [inLine('unrelated')]))).toEqual([statusConversation, 'c7']);
	});
});

describe('buffer list: switching', () => {
	const three = sync(initialBuffers, [inLine('a', {conversation: 'c1'}), inLine('b', {conversation: 'c2'})]);

	it('goes to buffer N by number, and ignores a number with no buffer', () => {
		expect(apply(three, {type: 'select', number: 3}).current).toBe('c2');
		expect(apply(three, {type: 'select', number: 2}).current).toBe('c1');
		expect(apply(three, {type: 'select', number: 4})).toBe(three);
	});

	it('goes to the next and previous buffer, wrapping around at both ends', () => {
		expect(apply(three, {type: 'next'}).current).toBe('c1');
		expect(apply(three, {type: 'next'}, {type: 'next'}, {type: 'next'}).current).toBe(statusConversation);
		expect(apply(three, {type: 'prev'}).current).toBe('c2');
		expect(apply(three, {type: 'prev'}, {type: 'prev'}).current).toBe('c1');
	});

	it('stays in buffer 1 on next and prev when it is the only buffer', () => {
		expect(apply(initialBuffers, {type: 'next'}).current).toBe(statusConversation);
		expect(apply(initialBuffers, {type: 'prev'}).current).toBe(statusConversation);
	});
});

describe('buffer list: closing', () => {
	const three = sync(initialBuffers, [inLine('a', {conversation: 'c1'}), inLine('b', {conversation: 'c2'})]);

	it('closes the current buffer and shows the one before it', () => {
		const list = apply(three, {type: 'select', number: 3}, {type: 'close'});
		expect(ids(list)).toEqual([statusConversation, 'c1']);
		expect(list.current).toBe('c1');
	});

	it('closes buffer N and stays where it is', () => {
		const list = apply(three, {type: 'select', number: 3}, {type: 'close', number: 2});
		expect(ids(list)).toEqual([statusConversation, 'c2']);
		expect(list.current).toBe('c2');
	});

	it('never closes buffer 1, and ignores a number with no buffer', () => {
		expect(apply(three, {type: 'close'})).toBe(three);
		expect(apply(three, {type: 'close', number: 1})).toBe(three);
		expect(apply(three, {type: 'close', number: 9})).toBe(three);
	});

	it('keeps a closed buffer closed when the same lines come again', () => {
		const lines = [inLine('a', {conversation: 'c1'}), inLine('b', {conversation: 'c2'})];
		const closed = apply(sync(initialBuffers, lines), {type: 'close', number: 2});
		expect(ids(sync(closed, lines))).toEqual([statusConversation, 'c2']);
		expect(ids(sync(closed, [...lines, inLine('c', {conversation: 'c2'})]))).toEqual([statusConversation, 'c2']);
	});

	it('reopens a closed buffer, at the end, when its conversation has newer traffic', () => {
		const lines = [inLine('a', {conversation: 'c1'}), inLine('b', {conversation: 'c2'})];
		const closed = apply(sync(initialBuffers, lines), {type: 'close', number: 2});
		expect(ids(sync(closed, [...lines, outLine('again', {conversation: 'c1'})]))).toEqual([statusConversation, 'c2', 'c1']);
	});
});

describe('buffer list: conversations that are gone', () => {
	const bob = conversation('c1', 'bob');

	it('drops a buffer whose conversation left the snapshot and whose lines are all gone', () => {
		const line = inLine('a', {conversation: 'c1'});
		const listed = sync(initialBuffers, [line], [bob]);
		expect(ids(sync(listed, [line], []))).toEqual([statusConversation, 'c1']);
		expect(ids(sync(listed, [inLine('newer')], []))).toEqual([statusConversation]);
		expect(ids(sync(listed, [], []))).toEqual([statusConversation]);
	});

	it('goes back to buffer 1 when the buffer shown is dropped', () => {
		const listed = apply(sync(initialBuffers, [inLine('a', {conversation: 'c1'})], [bob]), {type: 'select', number: 2});
		expect(sync(listed, [], []).current).toBe(statusConversation);
	});

	it('keeps a buffer while its conversation is listed, even with no lines left', () => {
		const listed = sync(initialBuffers, [inLine('a', {conversation: 'c1'})], [bob]);
		expect(ids(sync(listed, [], [bob]))).toEqual([statusConversation, 'c1']);
	});
});

describe('buffer list: activity', () => {
	it('marks new messages in a buffer you are not in, and in buffer 1 while you are elsewhere', () => {
		const inBob = apply(sync(initialBuffers, [outLine('hi', {conversation: 'c1'})]), {type: 'select', number: 2});
		const list = sync(inBob, [inLine('x', {conversation: 'c2'})]);
		expect(activeBuffers(list)).toEqual([
			{number: 1, activity: 'message'},
			{number: 3, activity: 'message'},
		]);
	});

	it('counts buffer 1 as seen while you are in it, and the current buffer as seen', () => {
		const list = sync(initialBuffers, [inLine('x')]);
		expect(activeBuffers(list)).toEqual([]);
		const inBob = apply(sync(initialBuffers, [outLine('hi', {conversation: 'c1'})]), {type: 'select', number: 2});
		expect(activeBuffers(sync(inBob, [inLine('reply', {conversation: 'c1'})]))).toEqual([{number: 1, activity: 'message'}]);
	});

	it('marks nothing for your own lines or system lines', () => {
		expect(activeBuffers(sync(initialBuffers, [outLine('hi', {conversation: 'c1'}), {...systemLine('note'), conversation: 'c1'}]))).toEqual([]);
	});

	it('marks any line of a private IRC query as a mention, and a channel line by the nick on that network', () => {
		const net = {id: 'i1', name: 'Net', nick: 'alice_', state: 'registered' as const, caps: []};
		const summaries = [conversation('i2', 'bob', {kind: 'query', network: net}), conversation('i3', '#room', {kind: 'channel', network: net})];
		const list = sync(initialBuffers, [inLine('no nick in this', {conversation: 'i2'}), inLine('alice_: here', {conversation: 'i3'})], summaries, 'alice');
		expect(activeBuffers(list)).toEqual([{number: 2, activity: 'mention'}, {number: 3, activity: 'mention'}]);
	});

	it('marks a mention of your nick apart, and a later plain message does not undo it', () => {
		const mentioned = sync(initialBuffers, [inLine('Alice: look', {conversation: 'c1'}), inLine('and this', {conversation: 'c1'})], [], 'alice');
		expect(activeBuffers(mentioned)).toEqual([{number: 2, activity: 'mention'}]);
		expect(activeBuffers(sync(initialBuffers, [inLine('malice', {conversation: 'c1'})], [], 'alice'))).toEqual([{number: 2, activity: 'message'}]);
	});

	it('clears a buffer\'s activity when you go there, and it stays clear when the same lines come again', () => {
		const lines = [inLine('Alice!', {conversation: 'c1'})];
		const visited = apply(sync(initialBuffers, lines, [], 'alice'), {type: 'select', number: 2}, {type: 'select', number: 1});
		expect(activeBuffers(visited)).toEqual([]);
		expect(activeBuffers(sync(visited, lines, [], 'alice'))).toEqual([]);
	});

	it('looks only at lines newer than the last sync, not the whole history again', () => {
		const old = Array.from({length: 100}, (_, index) => inLine(`old ${index}`, {conversation: 'c1'}));
		const list = sync(initialBuffers, old);
		// The lines before the newest one already seen may not be read again (the flood path).
		const untouchable = old.map((line, index) =>
			index === old.length - 1
				? line
				: new Proxy(line, {
						get(target, key) {
							if (key === 'id') {
								return target.id;
							}

							throw new Error(`line ${target.id} read again (${String(key)})`);
						},
					}),
		);
		const next = sync(list, [...untouchable, inLine('new', {conversation: 'c2'})]);
		expect(ids(next)).toEqual([statusConversation, 'c1', 'c2']);
	});
});

describe('buffer list: scroll', () => {
	it('keeps a scroll position per buffer', () => {
		const held = {mode: 'held', anchorId: 5, seenId: 9} as const;
		const list = apply(sync(initialBuffers, [inLine('a', {conversation: 'c1'})]), {type: 'select', number: 2}, {type: 'scroll', scroll: held}, {type: 'select', number: 1});
		expect(currentBuffer(list).scroll).toEqual({mode: 'live'});
		expect(currentBuffer(apply(list, {type: 'select', number: 2})).scroll).toEqual(held);
	});
});

describe('bufferLines', () => {
	const lines = [inLine('a', {conversation: 'c1'}), inLine('b', {conversation: 'c2'}), systemLine('s'), outLine('c', {conversation: 'c1'})];

	it('shows everything in buffer 1 and a conversation\'s own lines in its buffer', () => {
		expect(bufferLines(lines, statusConversation)).toBe(lines);
		expect(bufferLines(lines, 'c1').map(line => line.text)).toEqual(['a', 'c']);
		expect(bufferLines(lines, 'c3')).toEqual([]);
	});

	it('filters once per lines array and buffer', () => {
		expect(bufferLines(lines, 'c1')).toBe(bufferLines(lines, 'c1'));
		expect(bufferLines([...lines], 'c1')).not.toBe(bufferLines(lines, 'c1'));
	});
});
