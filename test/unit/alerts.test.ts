import {describe, expect, it} from 'vitest';
import type {ConversationSummary} from '../../source/domain/conversation.js';
import type {ChatLine} from '../../source/domain/snapshot.js';
import {mentionNotification, notificationText, rateLimit, ringsFor} from '../../source/ui/buffers/alerts.js';
import {initialBuffers, reduceBuffers, type BufferAction, type BufferList} from '../../source/ui/buffers/buffer-list.js';
import {readMarker} from '../../source/ui/buffers/read-marker.js';
import {layoutLine} from '../../source/ui/pane/format-line.js';
import {nickColours} from '../../source/ui/pane/theme.js';
import {conversation, inLine, outLine, systemLine} from '../helpers/fake-store.js';

function sync(list: BufferList, lines: readonly ChatLine[], conversations: readonly ConversationSummary[] = [], nick = 'alice'): BufferList {
	return reduceBuffers(list, {type: 'sync', lines, conversations, nick});
}

function apply(list: BufferList, ...actions: BufferAction[]): BufferList {
	return actions.reduce(reduceBuffers, list);
}

describe('arrivals: what the bell is for', () => {
	it('counts each sync that brought a message from someone, with the newest mention', () => {
		const first = sync(initialBuffers, [inLine('hello')]);
		expect(first.arrivals).toMatchObject({serial: 1, mention: undefined, unseen: false});
		const lines = [...[inLine('hello')], inLine('ALICE: look'), inLine('and this')];
		const second = sync(first, lines);
		expect(second.arrivals.serial).toBe(2);
		expect(second.arrivals.mention?.line.text).toBe('ALICE: look');
		expect(second.arrivals.mention?.buffer).toBe('status');
	});

	it('brings nothing for your own lines, system lines, or lines already seen', () => {
		const seen = sync(initialBuffers, [inLine('alice')]);
		const again = sync(seen, [...[], outLine('alice here'), systemLine('alice joined')]);
		expect(again.arrivals).toBe(seen.arrivals);
	});

	it('brings nothing for lines an IRC server replays from its history', () => {
		const replay: ChatLine = Object.assign(inLine('alice: from yesterday'), {history: true});
		expect(sync(initialBuffers, [replay]).arrivals.serial).toBe(0);
	});

	it('counts a private IRC query line as a mention, whatever it says', () => {
		const net = {id: 'i1', name: 'Net', nick: 'alice_', state: 'registered' as const, caps: []};
		const list = sync(initialBuffers, [inLine('psst', {conversation: 'i2'})], [conversation('i2', 'bob', {kind: 'query', network: net})]);
		expect(list.arrivals.mention?.buffer).toBe('i2');
	});

	it('says a message is out of sight in another buffer, or below a scrolled-up view, and in sight otherwise', () => {
		const inBob = apply(sync(initialBuffers, [inLine('hi', {conversation: 'c1'})]), {type: 'select', number: 2});
		expect(sync(inBob, [inLine('here', {conversation: 'c1'})]).arrivals.unseen).toBe(false);
		expect(sync(inBob, [inLine('elsewhere', {conversation: 'c2'})]).arrivals.unseen).toBe(true);
		expect(sync(initialBuffers, [inLine('merged', {conversation: 'c2'})]).arrivals.unseen).toBe(false);
		const held = apply(initialBuffers, {type: 'scroll', scroll: {mode: 'held', anchorId: 1, seenId: 1}});
		expect(sync(held, [inLine('below')]).arrivals.unseen).toBe(true);
	});

	it('rings as the mode says', () => {
		const mention = {serial: 1, unseen: false, mention: {line: inLine('alice'), buffer: 'status'}};
		const unseen = {serial: 1, unseen: true, mention: undefined};
		expect([ringsFor('off', mention), ringsFor('off', unseen)]).toEqual([false, false]);
		expect([ringsFor('mention', mention), ringsFor('mention', unseen)]).toEqual([true, false]);
		expect([ringsFor('all', mention), ringsFor('all', unseen), ringsFor('all', {...unseen, unseen: false})]).toEqual([true, true, false]);
	});

	it('lets one alert a second through', () => {
		const allowed = rateLimit(1000);
		expect([allowed(10_000), allowed(10_500), allowed(10_999), allowed(11_000), allowed(11_100)]).toEqual([true, false, false, true, false]);
	});
});

describe('read marker', () => {
	it('marks where you left a buffer, and moves when you leave it again', () => {
		const list = sync(initialBuffers, [inLine('one', {conversation: 'c1'})]);
		expect(list.entries[0]?.readId).toBeUndefined();
		const away = apply(list, {type: 'select', number: 2});
		expect(away.entries[0]?.readId).toBe(list.syncedId);
		const later = sync(away, [inLine('one'), inLine('two')]);
		const back = apply(later, {type: 'select', number: 1}, {type: 'select', number: 2});
		expect(back.entries[0]?.readId).toBe(later.syncedId);
		expect(back.entries[1]?.readId).toBe(later.syncedId);
	});

	it('does not move when you "go" to the buffer you are in', () => {
		const list = sync(initialBuffers, [inLine('one')]);
		expect(apply(list, {type: 'select', number: 1}).entries[0]?.readId).toBeUndefined();
	});

	it('goes above the first line newer than what you had read, named by the last line read', () => {
		const read = inLine('read', {time: new Date(2024, 0, 2, 12, 30, 5).getTime()});
		const fresh = inLine('fresh');
		expect(readMarker([read, fresh], read.id)).toEqual({beforeId: fresh.id, label: 'new since 12:30'});
		expect(readMarker([read], read.id)).toBeUndefined();
		expect(readMarker([fresh], read.id)).toBeUndefined();
		expect(readMarker([read, fresh], undefined)).toBeUndefined();
	});
});

describe('layout: mentions and the marker', () => {
	const nickFor = (conversation: string | undefined) => (conversation === 'i2' ? 'alice_' : 'alice');

	it('highlights the text of an incoming line that names you (on a network: your nick there)', () => {
		const tones = (line: ChatLine) => layoutLine(line, 80, {nickFor})[0]?.segments.at(-1)?.tone;
		expect(tones(inLine('hi Alice!'))).toBe('mention');
		expect(tones(inLine('hi malice'))).toBe('text');
		expect(tones(inLine('alice_: there', {conversation: 'i2'}))).toBe('mention');
		expect(tones(inLine('alice: there', {conversation: 'i2'}))).toBe('text');
		expect(tones(outLine('I am alice'))).toBe('text');
	});

	it('puts the marker row, a dim rule across the pane, above the first unread line', () => {
		const line = inLine('fresh');
		const rows = layoutLine(line, 50, {marker: {beforeId: line.id, label: 'new since 12:30'}});
		expect(rows).toHaveLength(2);
		expect(rows[0]?.segments).toEqual([{text: `── new since 12:30 ${'─'.repeat(31)}`, tone: 'marker'}]);
		expect(layoutLine(inLine('other'), 50, {marker: {beforeId: line.id, label: 'x'}})).toHaveLength(1);
	});

	it('never gives a nick the colour of errors', () => {
		expect(nickColours.some(colour => /red/i.test(colour))).toBe(false);
		expect(nickColours.some(colour => /cyan/i.test(colour))).toBe(false);
	});
});

describe('notifications', () => {
	it('drops control characters and cuts the text to 200 characters', () => {
		expect(notificationText('a\u001B]9;x\u0007b\u009Bc\nd')).toBe('a ]9;x b c d');
		const long = notificationText('你'.repeat(300));
		expect(Array.from(long)).toHaveLength(200);
		expect(long.endsWith('…')).toBe(true);
	});

	it('titles a mention by who and where', () => {
		expect(mentionNotification({line: inLine('alice: hi', {from: 'bob'}), buffer: 'i3'}, '#room')).toEqual({title: 'bob in #room', body: 'alice: hi'});
		expect(mentionNotification({line: inLine('waves at alice', {from: 'bob', action: true}), buffer: 'c1'}, 'bob')).toEqual({title: 'bob', body: '* bob waves at alice'});
	});
});
