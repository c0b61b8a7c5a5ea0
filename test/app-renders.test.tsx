import {beforeEach, describe, expect, it, vi} from 'vitest';
import {expectDraft, startApp, type} from './helpers/app-driver.js';
import {conversation, FakeStore, inLine} from './helpers/fake-store.js';
import {keys, waitFor} from './helpers/render.js';
import {renderCounts, rendersOf} from './helpers/render-count.js';

// The App's parts, counted where they render; each stays the memoised component it is.
vi.mock('../source/ui/pane/message-pane.js', async importOriginal => {
	const original = await importOriginal<typeof import('../source/ui/pane/message-pane.js')>();
	const {counted} = await import('./helpers/render-count.js');
	return {...original, MessagePane: counted('MessagePane', original.MessagePane)};
});
vi.mock('../source/ui/status/status-bar.js', async importOriginal => {
	const original = await importOriginal<typeof import('../source/ui/status/status-bar.js')>();
	const {counted} = await import('./helpers/render-count.js');
	return {...original, StatusBar: counted('StatusBar', original.StatusBar)};
});
vi.mock('../source/ui/nicklist/nick-list.js', async importOriginal => {
	const original = await importOriginal<typeof import('../source/ui/nicklist/nick-list.js')>();
	const {counted} = await import('./helpers/render-count.js');
	return {...original, NickList: counted('NickList', original.NickList)};
});
vi.mock('../source/ui/input/input-box.js', async importOriginal => {
	const original = await importOriginal<typeof import('../source/ui/input/input-box.js')>();
	const {counted} = await import('./helpers/render-count.js');
	return {...original, InputBox: counted('InputBox', original.InputBox)};
});

const parts = ['MessagePane', 'StatusBar', 'NickList', 'InputBox'] as const;

function counts(): Record<(typeof parts)[number], number> {
	return Object.fromEntries(parts.map(name => [name, rendersOf(name)])) as Record<(typeof parts)[number], number>;
}

const network = {id: 'n1', name: 'TestNet', nick: 'me', state: 'registered' as const, caps: []};
const room = conversation('i2', '#room', {kind: 'channel', network, members: ['@op', 'bob', 'carol']});

/** A channel shown with its nick list and a full pane of history. */
function busyChannel(): FakeStore {
	const lines = Array.from({length: 300}, (_, index) => inLine(`history ${index}`, {from: 'bob', conversation: 'i2'}));
	return new FakeStore({conversations: [room], lines, focus: {conversation: 'i2', serial: 1}});
}

/** Started, and showing the channel (its nick list is up). */
async function startInChannel(store = busyChannel()): ReturnType<typeof startApp> {
	const started = await startApp(store);
	await waitFor(() => {
		expect(started.app.frame()).toContain('3 nicks');
	});
	return started;
}

beforeEach(() => {
	renderCounts.clear();
});

describe('App renders per key', () => {
	it('a typed key re-renders the input line only: not the message pane, the nick list or the status bar', async () => {
		const {app} = await startInChannel();
		const before = counts();
		const text = 'hello';
		for (const [index, key] of [...text].entries()) {
			type(app, key);
			await expectDraft(app, text.slice(0, index + 1));
		}

		const after = counts();
		expect(after.InputBox - before.InputBox).toBeGreaterThanOrEqual(text.length);
		expect({pane: after.MessagePane, status: after.StatusBar, nicks: after.NickList}).toEqual({pane: before.MessagePane, status: before.StatusBar, nicks: before.NickList});
	});

	it('an incoming message re-renders the pane and the status bar, not the input line', async () => {
		const {app, store} = await startInChannel();
		type(app, 'draft');
		await expectDraft(app, 'draft');
		const before = counts();
		store.addLine(inLine('news', {from: 'carol', conversation: 'i2'}));
		await waitFor(() => {
			expect(app.frame()).toContain('news');
		});
		const after = counts();
		expect(after.MessagePane).toBeGreaterThan(before.MessagePane);
		expect(after.StatusBar).toBeGreaterThan(before.StatusBar);
		expect(after.InputBox).toBe(before.InputBox);
		expect(after.NickList).toBe(before.NickList);
	});

	it('Page Up redraws the pane but not the status bar, which reads the same', async () => {
		const {app} = await startInChannel();
		const before = counts();
		type(app, keys.pageUp);
		await waitFor(() => {
			expect(app.frame()).toContain('scrolled up');
		});
		const after = counts();
		expect(after.MessagePane).toBeGreaterThan(before.MessagePane);
		expect(after.StatusBar).toBe(before.StatusBar);
	});

	it('measures a draft once per value, not again for each incoming message', async () => {
		const store = busyChannel();
		const measure = vi.spyOn(store, 'measureDraft');
		const {app} = await startInChannel(store);
		type(app, 'abc');
		await expectDraft(app, 'abc');
		const measured = measure.mock.calls.length;
		store.addLine(inLine('news', {from: 'carol', conversation: 'i2'}));
		await waitFor(() => {
			expect(app.frame()).toContain('news');
		});
		expect(measure.mock.calls.length).toBe(measured);
		expect(measure).toHaveBeenLastCalledWith('abc');
	});
});
