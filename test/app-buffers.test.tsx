import {describe, expect, it} from 'vitest';
import type {ChatLine} from '../source/domain/snapshot.js';
import {conversation, FakeStore, fixedClock, inLine, outLine} from './helpers/fake-store.js';
import {expectDraft, startApp, type} from './helpers/app-driver.js';
import {keys, rows, waitFor, type Interactive} from './helpers/render.js';

const alt = (digit: number) => `\u001B${digit}`;
const ctrlN = '\u000E';
const ctrlP = '\u0010';
const altLeft = '\u001B[1;3D';
const altRight = '\u001B[1;3C';

const bob = conversation('c1', 'bob', {address: '127.0.0.1:7852'});
const alice = conversation('c2', 'alice', {address: '127.0.0.1:7853'});

const pane = (app: Interactive) => rows(app.frame()).slice(0, -3).filter(row => row !== '');
const status = (app: Interactive) => rows(app.frame()).at(-1) ?? '';
const fromBob = (text: string) => inLine(text, {conversation: 'c1', from: 'bob'});
const fromAlice = (text: string) => inLine(text, {conversation: 'c2', from: 'alice', address: '127.0.0.1:7853'});

/** bob and alice each said something; buffer 1 is shown. */
function twoConversations(lines: ChatLine[] = [fromBob('hi from bob'), fromAlice('hi from alice')]): FakeStore {
	return new FakeStore({conversations: [bob, alice], lines});
}

async function submit(app: Interactive, line: string): Promise<void> {
	type(app, line);
	await expectDraft(app, line);
	type(app, keys.enter);
	await expectDraft(app, '');
}

async function expectBuffer(app: Interactive, head: string): Promise<void> {
	await waitFor(() => {
		expect(status(app)).toMatch(new RegExp(` · ${head.replaceAll(/[[\]]/g, '\\$&')}( act [\\d,!]+)?$`));
	});
}

describe('App buffers: what each shows', () => {
	it('shows one conversation alone on Alt+2, and everything again on Alt+1', async () => {
		const {app} = await startApp(twoConversations());
		expect(pane(app)).toEqual([`${fixedClock} udp <bob> hi from bob`, `${fixedClock} udp <alice> hi from alice`]);
		type(app, alt(2));
		await waitFor(() => {
			expect(pane(app)).toEqual([`${fixedClock} udp <bob> hi from bob`]);
		});
		type(app, alt(3));
		await waitFor(() => {
			expect(pane(app)).toEqual([`${fixedClock} udp <alice> hi from alice`]);
		});
		type(app, alt(1));
		await waitFor(() => {
			expect(pane(app)).toEqual([`${fixedClock} udp <bob> hi from bob`, `${fixedClock} udp <alice> hi from alice`]);
		});
	});

	it('names the buffer shown at the end of the status bar, and nothing about buffers while there is one', async () => {
		const {app: alone} = await startApp();
		expect(status(alone)).toMatch(/^ UDP · /);
		expect(status(alone)).not.toContain('[1:');
		const {app} = await startApp(twoConversations());
		await expectBuffer(app, '[1:all]');
		type(app, alt(3));
		await expectBuffer(app, '[3:alice]');
	});

	it('opens a buffer for a conversation when its first message arrives', async () => {
		const {app, store} = await startApp(new FakeStore({conversations: [bob]}));
		expect(status(app)).toMatch(/^ UDP · /);
		store.addLine(fromBob('first'));
		await waitFor(() => {
			expect(status(app)).toMatch(/ · \[1:all\] act 2$/);
		});
	});

	it('switches with Ctrl+N / Ctrl+P and Alt+Right / Alt+Left, wrapping around', async () => {
		const {app} = await startApp(twoConversations());
		type(app, ctrlN);
		await expectBuffer(app, '[2:bob]');
		type(app, altRight);
		await expectBuffer(app, '[3:alice]');
		type(app, ctrlN);
		await expectBuffer(app, '[1:all]');
		type(app, ctrlP);
		await expectBuffer(app, '[3:alice]');
		type(app, altLeft, altLeft);
		await expectBuffer(app, '[1:all]');
	});

	it('keeps the scroll position of each buffer', async () => {
		const lines = Array.from({length: 40}, (_, index) => [fromBob(`bob ${index}`), fromAlice(`alice ${index}`)]).flat();
		const {app} = await startApp(twoConversations(lines));
		type(app, alt(2));
		await waitFor(() => {
			expect(pane(app).at(-1)).toContain('<bob> bob 39');
		});
		type(app, keys.pageUp);
		await waitFor(() => {
			expect(pane(app).at(-1)).toContain('scrolled up');
		});
		const held = pane(app);
		type(app, alt(3));
		await waitFor(() => {
			expect(pane(app).at(-1)).toContain('<alice> alice 39');
		});
		type(app, alt(2));
		await waitFor(() => {
			expect(pane(app)).toEqual(held);
		});
		expect(app.frame()).not.toContain('bob 39');
	});
});

describe('App buffers: where input goes', () => {
	it('sends what is typed in a conversation\'s buffer to that conversation', async () => {
		const {app, store} = await startApp(twoConversations());
		type(app, alt(2));
		await expectBuffer(app, '[2:bob]');
		await submit(app, 'hello bob');
		await submit(app, '/me waves');
		await waitFor(() => {
			expect(store.actions).toEqual([
				{text: 'hello bob', action: false, conversation: 'c1'},
				{text: 'waves', action: true, conversation: 'c1'},
			]);
		});
	});

	it('sends what is typed in buffer 1 to the current target, naming no conversation', async () => {
		const {app, store} = await startApp(twoConversations());
		await submit(app, 'to whoever');
		await waitFor(() => {
			expect(store.actions).toEqual([{text: 'to whoever', action: false, conversation: undefined}]);
		});
	});

	it('says where Enter sends in a conversation\'s buffer, over that conversation\'s protocol', async () => {
		const store = new FakeStore({conversations: [bob, {...alice, protocol: 'tcp'}], lines: [fromBob('a'), fromAlice('b')]});
		const {app} = await startApp(store);
		type(app, alt(2));
		await waitFor(() => {
			expect(rows(app.frame()).at(-2)).toBe('> type a message, Enter sends to bob over UDP; /help for commands');
		});
		type(app, alt(3));
		await waitFor(() => {
			expect(rows(app.frame()).at(-2)).toBe('> type a message, Enter sends to alice over TCP; /help for commands');
		});
	});

	it('toggles the protocol of the conversation you are in on Ctrl+T, and the merged view\'s in buffer 1', async () => {
		const {app, store} = await startApp(twoConversations());
		type(app, alt(3));
		await expectBuffer(app, '[3:alice]');
		type(app, keys.ctrlT);
		await waitFor(() => {
			expect(store.toggledIn).toEqual(['c2']);
		});
		type(app, alt(1));
		await expectBuffer(app, '[1:all]');
		type(app, keys.ctrlT);
		await waitFor(() => {
			expect(store.toggledIn).toEqual(['c2', undefined]);
		});
	});

	it('sets the protocol of the conversation you are in on /proto', async () => {
		const {app, store} = await startApp(twoConversations());
		type(app, alt(2));
		await expectBuffer(app, '[2:bob]');
		await submit(app, '/proto tcp');
		await waitFor(() => {
			expect(store.calls).toEqual([['setProtocol', 'tcp', 'c1']]);
		});
	});

	it('shows the conversation\'s protocol, name and link in its buffer\'s status bar', async () => {
		const store = new FakeStore({conversations: [bob, {...alice, protocol: 'tcp', link: 'connected'}], lines: [fromBob('a'), fromAlice('b')], counts: {in: 2, out: 0}});
		const {app} = await startApp(store);
		type(app, alt(3));
		await waitFor(() => {
			// Buffer 2 has bob's message, unread.
			expect(status(app)).toBe(' TCP · ^T UDP · alice (127.0.0.1:7853) · tcp connected · in 2 out 0 · port 7851 · [3:alice] act 2');
		});
	});
});

describe('App buffers: activity', () => {
	it('marks a buffer you are not in with new messages, a mention apart, and clears each when you visit it', async () => {
		const {app, store} = await startApp(new FakeStore({conversations: [bob, alice], lines: [outLine('hi bob', {conversation: 'c1'}), outLine('hi alice', {conversation: 'c2'})]}));
		await waitFor(() => {
			expect(status(app)).toMatch(/^ UDP · .* · \[1:all\]$/);
		});
		store.addLine(fromBob('plain news'));
		store.addLine(fromAlice('me: are you there?'));
		await waitFor(() => {
			expect(status(app)).toMatch(/^ UDP · .* · \[1:all\] act 2,3!$/);
		});
		type(app, alt(3));
		await waitFor(() => {
			expect(status(app)).toMatch(/^ UDP · .* · \[3:alice\] act 2$/);
		});
		type(app, alt(2));
		await waitFor(() => {
			expect(status(app)).toMatch(/^ UDP · .* · \[2:bob\]$/);
		});
	});

	it('marks buffer 1 when a message arrives while you are in another buffer', async () => {
		const {app, store} = await startApp(twoConversations());
		type(app, alt(2), alt(3), alt(2));
		await waitFor(() => {
			expect(status(app)).toMatch(/ · \[2:bob\]$/);
		});
		store.addLine(fromAlice('elsewhere'));
		await waitFor(() => {
			expect(status(app)).toMatch(/ · \[2:bob\] act 1,3$/);
		});
		store.addLine(fromBob('here'));
		await waitFor(() => {
			expect(pane(app).at(-1)).toContain('<bob> here');
		});
		type(app, alt(1));
		await waitFor(() => {
			expect(status(app)).toMatch(/ · \[1:all\] act 3$/);
		});
	});
});

describe('App buffers: commands', () => {
	it('closes the buffer shown on /close and shows the one before it', async () => {
		const {app} = await startApp(twoConversations());
		type(app, alt(3));
		await expectBuffer(app, '[3:alice]');
		await submit(app, '/close');
		await expectBuffer(app, '[2:bob]');
		await submit(app, '/close');
		await waitFor(() => {
			expect(status(app)).toMatch(/^ UDP · /);
		});
		expect(pane(app)).toEqual([`${fixedClock} udp <bob> hi from bob`, `${fixedClock} udp <alice> hi from alice`]);
	});

	it('says buffer 1 cannot be closed', async () => {
		const {app, store} = await startApp(twoConversations());
		await submit(app, '/close');
		await waitFor(() => {
			expect(store.notices).toEqual([{text: expect.stringContaining('Buffer 1'), level: 'error'}]);
		});
		await expectBuffer(app, '[1:all]');
	});

	it('lists the buffers on /buffers, into the buffer it was typed in', async () => {
		const {app, store} = await startApp(twoConversations());
		type(app, alt(2));
		await expectBuffer(app, '[2:bob]');
		await submit(app, '/buffers');
		await waitFor(() => {
			expect(store.notices.map(notice => notice.text).slice(1)).toEqual([
				'   1 all: every conversation',
				'  *2 bob (127.0.0.1:7852)',
				'   3 alice (127.0.0.1:7853) (new messages)',
			]);
		});
		expect(store.notices.every(notice => notice.conversation === 'c1')).toBe(true);
	});

	it('goes to buffer N on /buffer N', async () => {
		const {app} = await startApp(twoConversations());
		await submit(app, '/buffer 3');
		await expectBuffer(app, '[3:alice]');
	});

	it('opens the buffer of the peer /query chose and goes there', async () => {
		const {app, store} = await startApp(new FakeStore({conversations: [bob, alice]}));
		await submit(app, '/query alice');
		await expectBuffer(app, '[2:alice]');
		expect(store.calls).toEqual([['query', 'alice']]);
	});

	it('sends /msg NICK TEXT once through message(), staying in the buffer it was typed in', async () => {
		const {app, store} = await startApp(twoConversations());
		await submit(app, '/msg alice just this once');
		await waitFor(() => {
			expect(store.calls).toEqual([['message', 'alice', 'just this once']]);
		});
		await expectBuffer(app, '[1:all]');
		expect(store.sent).toEqual([]);
	});
});
