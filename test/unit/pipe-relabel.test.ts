import {describe, expect, it} from 'vitest';
import type {ChatLine} from '../../source/domain/snapshot.js';
import {ChatHistory, type StatusFields} from '../../source/net/history/history.js';

const address = '127.0.0.1:41006';

function historyWith(...texts: string[]): ChatHistory {
	const history = new ChatHistory(() => ({}) as StatusFields, 1000, 0);
	for (const text of texts) {
		history.append({id: history.newId(), time: 0, conversation: 'c1', kind: 'in', transport: 'udp', from: address, address, text, action: false});
	}

	return history;
}

const received = (history: ChatHistory) =>
	history
		.getSnapshot()
		.lines.filter((line): line is Extract<ChatLine, {kind: 'in'}> => line.kind === 'in')
		.map(({from, text, action}) => ({from, text, action}));

describe('ChatHistory.relabel: the lines a tui-netchat sent before it knew us', () => {
	it('names them, and reads its plain "* NICK text" as the action it was', () => {
		const history = historyWith('hello', '* ci starts the build');
		history.relabel(address, 'ci');
		expect(received(history)).toEqual([
			{from: 'ci', text: 'hello', action: false},
			{from: 'ci', text: 'starts the build', action: true},
		]);
	});

	it('leaves "* someone else …" and a bare "* ci" as text', () => {
		const history = historyWith('* bob waves', '* ci', '** ci waves');
		history.relabel(address, 'ci');
		expect(received(history).map(line => line.action)).toEqual([false, false, false]);
		expect(received(history).map(line => line.text)).toEqual(['* bob waves', '* ci', '** ci waves']);
	});

	it('announces the relabelled lines in a new snapshot', () => {
		const history = historyWith('hello');
		let frames = 0;
		history.subscribe(() => {
			frames++;
		});
		history.relabel(address, 'ci');
		expect(frames).toBe(1);
		history.relabel('127.0.0.1:1', 'nobody');
		expect(frames).toBe(1);
	});
});
