import {describe, expect, it} from 'vitest';
import {conversation, FakeStore, inLine} from './helpers/fake-store.js';
import {expectDraft, startApp, type} from './helpers/app-driver.js';
import {keys, rows, waitFor, type Interactive} from './helpers/render.js';

const shiftTab = '\u001B[Z';
const altEnter = '\u001B\r';
const ctrlD = '\u0004';
const escape = '\u001B';

function speakers(...nicks: string[]): FakeStore {
	return new FakeStore({lines: nicks.map(nick => inLine(`hi from ${nick}`, {from: nick}))});
}

async function typed(app: Interactive, text: string): Promise<void> {
	type(app, text);
	await expectDraft(app, text);
}

describe('App Tab completion', () => {
	it('completes a nick at line start as "nick: ", the most recent speaker first, and cycles on Tab', async () => {
		const {app} = await startApp(speakers('bea', 'bob'));
		await typed(app, 'b');
		type(app, keys.tab);
		await expectDraft(app, 'bob:');
		type(app, keys.tab);
		await expectDraft(app, 'bea:');
		type(app, keys.tab);
		await expectDraft(app, 'bob:');
	});

	it('goes back with Shift+Tab', async () => {
		const {app} = await startApp(speakers('bea', 'bob'));
		await typed(app, 'b');
		type(app, keys.tab);
		await expectDraft(app, 'bob:');
		type(app, shiftTab);
		await expectDraft(app, 'bea:');
	});

	it('ends the cycle on any other key: the next Tab completes the new word', async () => {
		const {app, store} = await startApp(speakers('carol', 'bob'));
		await typed(app, 'b');
		type(app, keys.tab);
		await expectDraft(app, 'bob:');
		type(app, 'hi c');
		await expectDraft(app, 'bob: hi c');
		type(app, keys.tab);
		await expectDraft(app, 'bob: hi carol');
		type(app, keys.enter);
		await waitFor(() => {
			expect(store.sent).toEqual(['bob: hi carol ']);
		});
	});

	it('completes commands after "/" and /query targets', async () => {
		const {app} = await startApp(new FakeStore({conversations: [conversation('c1', 'dave')]}));
		await typed(app, '/que');
		type(app, keys.tab);
		await expectDraft(app, '/query');
		type(app, 'd', keys.tab);
		await expectDraft(app, '/query dave');
	});

	it('completes channel names', async () => {
		const network = {id: 'n1', name: 'net', nick: 'me', state: 'registered' as const, caps: []};
		const {app} = await startApp(new FakeStore({conversations: [conversation('i1', '#rust', {kind: 'channel', network})]}));
		await typed(app, '/join #r');
		type(app, keys.tab);
		await expectDraft(app, '/join #rust');
	});

	it('keeps a Tab pasted inside text a space', async () => {
		const {app} = await startApp(speakers('bob'));
		type(app, 'a\tb');
		await expectDraft(app, 'a b');
	});
});

describe('App multi-line drafts', () => {
	it('inserts a line break on Alt+Enter, shown as ⏎, and Enter sends the whole draft as one message', async () => {
		const {app, store} = await startApp();
		await typed(app, 'one');
		type(app, altEnter, 'two');
		await expectDraft(app, 'one⏎two');
		expect(store.sent).toEqual([]);
		type(app, keys.enter);
		await waitFor(() => {
			expect(store.sent).toEqual(['one\ntwo']);
		});
		await expectDraft(app, '');
	});

	it('recalls a multi-line draft whole with Up', async () => {
		const {app} = await startApp();
		await typed(app, 'one');
		type(app, altEnter, 'two', keys.enter);
		await expectDraft(app, '');
		type(app, keys.up);
		await expectDraft(app, 'one⏎two');
	});
});

describe('App held paste', () => {
	it('drops only the paste on Esc: what was typed before it is the draft again', async () => {
		const {app, store} = await startApp();
		await typed(app, 'typed');
		type(app, '\u001B[200~', 'one\rtwo', '\u001B[201~');
		await waitFor(() => {
			expect(app.frame()).toContain('Paste of 2 lines');
		});
		type(app, escape);
		await waitFor(() => {
			expect(app.frame()).not.toContain('Paste of');
		});
		await expectDraft(app, 'typed');
		type(app, ' more', keys.enter);
		await waitFor(() => {
			expect(store.sent).toEqual(['typed more']);
		});
	});

	it('drops only the paste on Esc for a paste without brackets', async () => {
		const {app} = await startApp();
		await typed(app, 'keep');
		type(app, 'one\rtwo');
		await waitFor(() => {
			expect(app.frame()).toContain('Paste of 2 lines');
		});
		type(app, escape);
		await expectDraft(app, 'keep');
	});

	it('sends the typed text with the paste on Enter, joined at the cursor', async () => {
		const {app, store} = await startApp();
		await typed(app, 'ab');
		type(app, keys.left, '\u001B[200~', 'one\rtwo', '\u001B[201~');
		await waitFor(() => {
			expect(app.frame()).toContain('Paste of 2 lines');
		});
		type(app, keys.enter);
		await waitFor(() => {
			expect(store.sent).toEqual(['aone', 'twob']);
		});
	});
});

describe('App Ctrl+D', () => {
	it('quits on an empty line', async () => {
		const {app, store} = await startApp();
		type(app, ctrlD);
		await app.exited;
		expect(app.isUnmounted()).toBe(true);
		expect(store.sent).toEqual([]);
	});

	it('deletes forward on a line with text, and does not quit', async () => {
		const {app} = await startApp();
		await typed(app, 'abc');
		type(app, keys.home, ctrlD);
		await expectDraft(app, 'bc');
		expect(app.isUnmounted()).toBe(false);
	});
});

describe('App /help', () => {
	it('lists every key: Delete, Esc, paste, buffers, Tab, Alt+Enter, Ctrl+D', async () => {
		const {app, store} = await startApp();
		await typed(app, '/help');
		type(app, keys.enter);
		await waitFor(() => {
			expect(store.notices.some(notice => notice.text === 'Keys:')).toBe(true);
		});
		const keysPart = store.notices.map(notice => notice.text).slice(store.notices.findIndex(notice => notice.text === 'Keys:'));
		for (const key of ['Delete', 'Esc', 'Paste', 'Alt+1..9', 'Tab, Shift+Tab', 'Alt+Enter', 'Ctrl+D']) {
			expect(keysPart.some(text => text.includes(key)), key).toBe(true);
		}

		expect(rows(app.frame()).length).toBeGreaterThan(0);
	});
});
