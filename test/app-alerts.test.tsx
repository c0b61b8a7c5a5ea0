import {afterEach, describe, expect, it, vi} from 'vitest';
import type {ChatLine} from '../source/domain/snapshot.js';
import {App, type AppProps} from '../source/ui/app.js';
import {defaultDisplay, type DisplayOptions} from '../source/ui/display-options.js';
import {expectDraft, type} from './helpers/app-driver.js';
import {conversation, FakeStore, fixedClock, inLine, outLine} from './helpers/fake-store.js';
import {keys, renderInteractive, rows, waitFor, type Interactive} from './helpers/render.js';

let running: Interactive[] = [];
afterEach(() => {
	for (const app of running) {
		app.unmount();
	}

	running = [];
	vi.useRealTimers();
});

const alt = (digit: number) => `\u001B${digit}`;
const pane = (app: Interactive) => rows(app.frame()).slice(0, -3).filter(row => row !== '');
const bob = conversation('c1', 'bob', {address: '127.0.0.1:7852'});
const net = {id: 'i1', name: 'TestNet', nick: 'alice_', state: 'registered' as const, caps: []};
const room = conversation('i2', '#room', {kind: 'channel', network: net, address: 'irc://127.0.0.1:6667'});
const query = conversation('i3', 'carol', {kind: 'query', network: net, address: 'irc://127.0.0.1:6667'});

type Started = {app: Interactive; store: FakeStore; bell: ReturnType<typeof vi.fn>; notify: ReturnType<typeof vi.fn>};

async function start(lines: ChatLine[] = [], display: Partial<DisplayOptions> = {}, props: Partial<AppProps> = {}): Promise<Started> {
	const store = new FakeStore({nick: 'alice', conversations: [bob, room, query], lines});
	const bell = vi.fn();
	const notify = vi.fn();
	const app = await renderInteractive(<App service={store} bell={bell} notify={notify} display={{...defaultDisplay, ...display}} {...props} />);
	running.push(app);
	return {app, store, bell, notify};
}

function arrive(store: FakeStore, line: ChatLine): void {
	store.addLine(line);
}

async function submit(app: Interactive, line: string): Promise<void> {
	type(app, line);
	await expectDraft(app, line);
	type(app, keys.enter);
	await expectDraft(app, '');
}

/** Lets the App render what arrived, so a bell that should not ring has had its chance. */
async function shown(app: Interactive, text: string): Promise<void> {
	await waitFor(() => {
		expect(app.frame()).toContain(text);
	});
}

describe('App bell: mention (the default)', () => {
	it('rings once when someone writes your nick, and not for other messages', async () => {
		const {app, store, bell} = await start();
		arrive(store, inLine('just talk', {from: 'bob', conversation: 'c1'}));
		await shown(app, 'just talk');
		expect(bell).not.toHaveBeenCalled();
		arrive(store, inLine('Alice: look', {from: 'bob', conversation: 'c1'}));
		await waitFor(() => {
			expect(bell).toHaveBeenCalledTimes(1);
		});
	});

	it('rings for your nick on an IRC network, and for any line of a private query', async () => {
		const {app, store, bell} = await start();
		arrive(store, inLine('alice: not my nick there', {from: 'bob', conversation: 'i2', transport: 'irc'}));
		await shown(app, 'not my nick there');
		expect(bell).not.toHaveBeenCalled();
		arrive(store, inLine('alice_: you', {from: 'bob', conversation: 'i2', transport: 'irc'}));
		await waitFor(() => {
			expect(bell).toHaveBeenCalledTimes(1);
		});
		vi.useFakeTimers({toFake: ['Date'], now: Date.now() + 2000});
		arrive(store, inLine('psst', {from: 'carol', conversation: 'i3', transport: 'irc'}));
		await waitFor(() => {
			expect(bell).toHaveBeenCalledTimes(2);
		});
	});

	it('does not ring for your own lines, history replays, or what was there at start', async () => {
		const {app, store, bell} = await start([inLine('alice, from before the start')]);
		arrive(store, outLine('I am alice', {from: 'alice'}));
		// As the IRC client marks a chathistory line (history: true on the line).
		arrive(store, Object.assign(inLine('alice: replayed from history', {conversation: 'i2', transport: 'irc'}), {history: true}));
		await shown(app, 'replayed from history');
		expect(bell).not.toHaveBeenCalled();
	});

	it('rings at most once a second, however many mentions come', async () => {
		const {app, store, bell} = await start();
		for (let index = 0; index < 5; index++) {
			arrive(store, inLine(`alice ${index}`));
			await shown(app, `alice ${index}`);
		}

		expect(bell).toHaveBeenCalledTimes(1);
		vi.useFakeTimers({toFake: ['Date'], now: Date.now() + 1500});
		arrive(store, inLine('alice again'));
		await waitFor(() => {
			expect(bell).toHaveBeenCalledTimes(2);
		});
	});
});

describe('App bell: /bell', () => {
	it('never rings on /bell off, and says the mode on /bell alone', async () => {
		const {app, store, bell} = await start();
		await submit(app, '/bell off');
		arrive(store, inLine('alice!'));
		await shown(app, 'alice!');
		expect(bell).not.toHaveBeenCalled();
		await submit(app, '/bell');
		expect(store.notices.at(-1)?.text).toMatch(/^Bell: off/);
	});

	it('rings on /bell all for a message in another buffer, but not for one in sight', async () => {
		const {app, store, bell} = await start([inLine('hi', {conversation: 'c1', from: 'bob'})], {bell: 'off'});
		await submit(app, '/bell all');
		arrive(store, inLine('in sight', {from: 'bob', conversation: 'c1'}));
		await shown(app, 'in sight');
		expect(bell).not.toHaveBeenCalled();
		type(app, alt(2));
		await waitFor(() => {
			expect(pane(app)).not.toContain(`${fixedClock} udp <peer> elsewhere`);
		});
		arrive(store, inLine('elsewhere', {conversation: 'c9'}));
		await waitFor(() => {
			expect(bell).toHaveBeenCalledTimes(1);
		});
	});
});

describe('App notifications', () => {
	it('sends none by default, and one per mention with /notify on, text cut and clean', async () => {
		const {app, store, notify} = await start();
		arrive(store, inLine('alice: first', {from: 'bob', conversation: 'c1'}));
		await shown(app, 'alice: first');
		expect(notify).not.toHaveBeenCalled();
		await submit(app, '/notify on');
		expect(store.notices.at(-1)?.text).toMatch(/^Notifications: on/);
		vi.useFakeTimers({toFake: ['Date'], now: Date.now() + 2000});
		arrive(store, inLine(`alice: ${'x'.repeat(300)}`, {from: 'bob', conversation: 'i2', transport: 'irc'}));
		arrive(store, inLine('alice_: second\u0007 look', {from: 'bob', conversation: 'i2', transport: 'irc'}));
		await waitFor(() => {
			expect(notify).toHaveBeenCalledWith('bob in #room', 'alice_: second look');
		});
		expect(notify).toHaveBeenCalledTimes(1);
	});

	it('starts with notifications on when display says so', async () => {
		const {store, notify} = await start([], {notify: true});
		arrive(store, inLine('hi alice', {from: 'bob', conversation: 'c1'}));
		await waitFor(() => {
			expect(notify).toHaveBeenCalledWith('bob', 'hi alice');
		});
	});
});

describe('App read marker', () => {
	const marker = /^── new since 12:34 ─+$/;

	it('marks where you stopped reading when you come back to a buffer, buffer 1 too, and moves it when you leave again', async () => {
		const {app, store} = await start([inLine('read it', {conversation: 'c1', from: 'bob'})]);
		type(app, alt(2));
		await waitFor(() => {
			expect(app.frame()).toContain('[2:bob]');
		});
		arrive(store, inLine('while away', {conversation: 'c9', from: 'dan'}));
		type(app, alt(1));
		await waitFor(() => {
			expect(pane(app)).toEqual([`${fixedClock} udp <bob> read it`, expect.stringMatching(marker), `${fixedClock} udp <dan> while away`]);
		});
		// Left with nothing new, back again: no marker.
		type(app, alt(2));
		await waitFor(() => {
			expect(app.frame()).toContain('[2:bob]');
		});
		type(app, alt(1));
		await waitFor(() => {
			expect(pane(app)).toEqual([`${fixedClock} udp <bob> read it`, `${fixedClock} udp <dan> while away`]);
		});
	});

	it('marks a conversation\'s buffer the same way', async () => {
		const {app, store} = await start([inLine('old', {conversation: 'c1', from: 'bob'})]);
		type(app, alt(2));
		await waitFor(() => {
			expect(app.frame()).toContain('[2:bob]');
		});
		type(app, alt(1));
		await waitFor(() => {
			expect(app.frame()).toContain('[1:all]');
		});
		arrive(store, inLine('newer', {conversation: 'c1', from: 'bob'}));
		type(app, alt(2));
		await waitFor(() => {
			expect(pane(app)).toEqual([`${fixedClock} udp <bob> old`, expect.stringMatching(marker), `${fixedClock} udp <bob> newer`]);
		});
	});
});

describe('App: sending while scrolled up', () => {
	it('goes back to live, and your own line is not "1 new message below"', async () => {
		const many = Array.from({length: 40}, (_, index) => inLine(`msg ${index}`));
		const {app, store} = await start(many);
		type(app, keys.pageUp);
		await shown(app, 'scrolled up');
		await submit(app, 'my answer');
		arrive(store, outLine('my answer', {from: 'alice'}));
		await waitFor(() => {
			expect(pane(app).at(-1)).toBe(`${fixedClock} udp <alice> my answer`);
		});
		expect(app.frame()).not.toContain('scrolled up');
	});
});

describe('App: /nick and /proto alone', () => {
	it('says who you are and the protocol in use, changing neither', async () => {
		const {app, store} = await start();
		await submit(app, '/nick');
		await submit(app, '/proto');
		expect(store.notices.map(notice => notice.text)).toEqual(['You are alice.', expect.stringMatching(/^UDP in the merged view/)]);
		expect(store.calls).toEqual([]);
	});
});
