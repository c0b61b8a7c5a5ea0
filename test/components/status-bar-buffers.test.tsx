import {afterAll, describe, expect, it, vi} from 'vitest';

// Colour is decided when Ink is first imported: forced here so the mention's own colour can be seen.
const previousForceColor = vi.hoisted(() => {
	const previous = process.env['FORCE_COLOR'];
	process.env['FORCE_COLOR'] = '1';
	return previous;
});

import {StatusBar, statusText, type BufferStatus} from '../../source/ui/status/status-bar.js';
import {conversation, snapshot} from '../helpers/fake-store.js';
import {render, rows} from '../helpers/render.js';

afterAll(() => {
	if (previousForceColor === undefined) {
		delete process.env['FORCE_COLOR'];
	} else {
		process.env['FORCE_COLOR'] = previousForceColor;
	}
});

const bob = conversation('c1', 'bob', {address: '127.0.0.1:7852', protocol: 'tcp', link: 'retrying', retryInMs: 1500});

function buffers(overrides: Partial<BufferStatus> = {}): BufferStatus {
	return {number: 1, name: 'all', conversation: undefined, count: 3, active: [], ...overrides};
}

describe('StatusBar with buffers', () => {
	it('is as before buffers while buffer 1 is the only one and has no news', () => {
		const state = snapshot();
		expect(statusText(state, buffers({count: 1}))).toBe(statusText(state));
	});

	it('keeps the protocol and its toggle first and names the buffer shown last, as a field of its own', () => {
		const fields = statusText(snapshot(), buffers()).split(' · ');
		expect(fields.slice(0, 2)).toEqual(['UDP', '^T TCP']);
		expect(fields.at(-1)).toBe('[1:all]');
		expect(fields.at(-2)).toBe('port 7851');
	});

	it('lists the other buffers with news, "!" after those where you were mentioned', () => {
		const text = statusText(snapshot(), buffers({active: [{number: 2, activity: 'message'}, {number: 3, activity: 'mention'}, {number: 5, activity: 'message'}]}));
		expect(text.endsWith(' · port 7851 · [1:all] act 2,3!,5')).toBe(true);
	});

	it('shows a conversation\'s own protocol, name and link in its buffer, not the merged view\'s', () => {
		const state = snapshot({protocol: 'udp', target: 'someone else', tcp: {link: 'connected', retryInMs: undefined, connections: 1}, counts: {in: 1, out: 2}});
		expect(statusText(state, buffers({number: 2, name: 'bob', conversation: bob}))).toBe(
			'TCP · ^T UDP · bob (127.0.0.1:7852) · tcp retry in 2s · in 1 out 2 · port 7851 · [2:bob]',
		);
	});

	it('offers no protocol toggle in a room, which is TCP only', () => {
		const room = conversation('c4', '127.0.0.1:9000', {kind: 'room', address: '127.0.0.1:9000', protocol: 'tcp', link: 'connected'});
		const fields = statusText(snapshot(), buffers({number: 4, name: room.name, conversation: room})).split(' · ');
		expect(fields.slice(0, 3)).toEqual(['TCP', 'room 127.0.0.1:9000', 'tcp connected']);
		expect(fields.at(-1)).toBe('[4:127.0.0.1:9000]');
	});

	it('drops fields from the end, not the buffer and its news, on a narrower terminal', () => {
		const state = buffers({number: 2, name: 'bob', conversation: bob, active: [{number: 1, activity: 'message'}, {number: 3, activity: 'mention'}]});
		const bar = (width: number) => rows(render(<StatusBar snapshot={snapshot()} width={width} buffers={state} />).frame());
		expect(bar(60)).toEqual([' TCP · ^T UDP · bob (127.0.0.1:7852) · [2:bob] act 1,3!']);
		expect(bar(30)).toEqual([' TCP · [2:bob] act 1,3!']);
	});

	it('gives up the port and a quiet TCP link before the counts, and a busy link last of those', () => {
		const state = snapshot({sealed: '1a2b3c4d', target: 'bob (127.0.0.1:47001)', targetSource: 'last-sender', counts: {in: 1, out: 0}, localPort: 47000});
		const row = (overrides: Partial<typeof state>) => rows(render(<StatusBar snapshot={{...state, ...overrides}} width={100} buffers={buffers({active: [{number: 2, activity: 'message'}]})} />).frame())[0];
		expect(row({})).toBe(' UDP sealed 1a2b3c4d · ^T TCP · reply to bob (127.0.0.1:47001) · in 1 out 0 · [1:all] act 2');
		expect(row({tcp: {link: 'retrying', retryInMs: 3000, connections: 0}})).toBe(
			' UDP sealed 1a2b3c4d · ^T TCP · reply to bob (127.0.0.1:47001) · tcp retry in 3s · [1:all] act 2',
		);
	});

	it('draws a mention in a colour of its own, and a plain message in the bar\'s colour', () => {
		const state = buffers({active: [{number: 2, activity: 'message'}, {number: 3, activity: 'mention'}]});
		const raw = render(<StatusBar snapshot={snapshot()} width={100} buffers={state} />).rawFrame();
		// Yellow (33) is set just before the mention and nowhere before the plain number.
		expect(raw).toMatch(/\u001B\[33m3!/);
		expect(raw.slice(0, raw.indexOf('2'))).not.toContain('\u001B[33m');
	});
});
