import {afterEach, describe, expect, it, vi} from 'vitest';
import {splitForDatagram} from '../source/net/wire/split-datagram.js';
import {App} from '../source/ui/app.js';
import {defaultDisplay} from '../source/ui/display-options.js';
import {FakeStore, fixedClock, inLine, systemLine} from './helpers/fake-store.js';
import {draft, expectDraft, startApp, type} from './helpers/app-driver.js';
import {keys, renderInteractive, rows, waitFor, type Interactive} from './helpers/render.js';

let ringing: Interactive[] = [];
afterEach(() => {
	for (const app of ringing) {
		app.unmount();
	}

	ringing = [];
});

/** The App with /bell all from the start: it rings for every message out of sight, as it did before modes. */
async function startRinging(store: FakeStore, bell: () => void): Promise<{app: Interactive; store: FakeStore}> {
	const app = await renderInteractive(<App service={store} bell={bell} display={{...defaultDisplay, bell: 'all'}} />);
	ringing.push(app);
	return {app, store};
}

const ctrlU = '\u0015';
const ctrlW = '\u0017';

/** Types a line and Enter, and waits until the input is empty again. */
async function submit(app: Interactive, line: string): Promise<void> {
	type(app, line);
	await expectDraft(app, line);
	type(app, keys.enter);
	await expectDraft(app, '');
}

describe('App slash commands', () => {
	it('calls setNick on "/nick bob" and sends nothing', async () => {
		const {app, store} = await startApp();
		await submit(app, '/nick bob');
		await waitFor(() => {
			expect(store.calls).toEqual([['setNick', 'bob']]);
		});
		expect(store.sent).toEqual([]);
	});

	it('sends an action on "/me waves"', async () => {
		const {app, store} = await startApp();
		await submit(app, '/me waves');
		await waitFor(() => {
			expect(store.actions).toEqual([{text: 'waves', action: true}]);
		});
	});

	it('adds an error notice on an unknown command and sends nothing', async () => {
		const {app, store} = await startApp();
		await submit(app, '/frobnicate');
		await waitFor(() => {
			expect(store.notices).toEqual([{text: expect.stringContaining('/frobnicate'), level: 'error'}]);
		});
		expect(store.notices[0]?.text).toContain('/help');
		expect(store.sent).toEqual([]);
		expect(store.calls).toEqual([]);
	});

	it('lists every command and the Ctrl+T hotkey on "/help"', async () => {
		const {app, store} = await startApp();
		await submit(app, '/help');
		await waitFor(() => {
			expect(store.notices.length).toBeGreaterThan(10);
		});
		const texts = store.notices.map(notice => notice.text.trim());
		for (const name of ['/help', '/nick', '/connect', '/query', '/peers', '/proto', '/me', '/clear', '/quit', '//text', 'Ctrl+T']) {
			expect(texts.some(text => text.startsWith(name)), name).toBe(true);
		}

		expect(store.notices.every(notice => notice.level === 'info')).toBe(true);
		expect(store.sent).toEqual([]);
	});

	it('exits on "/quit"', async () => {
		const {app, store} = await startApp();
		type(app, '/quit');
		await expectDraft(app, '/quit');
		type(app, keys.enter);
		await app.exited;
		expect(app.isUnmounted()).toBe(true);
		expect(store.sent).toEqual([]);
	});

	it.each<[string, Array<[string, ...unknown[]]>]>([
		['/connect 127.0.0.1:9000', [['connectTo', {host: '127.0.0.1', port: 9000}]]],
		['/query 2', [['query', '2']]],
		['/proto tcp', [['setProtocol', 'tcp']]],
		['/peers', [['showPeers']]],
		['/clear', [['clearHistory']]],
	])('runs "%s" on the service', async (line, calls) => {
		const {app, store} = await startApp();
		await submit(app, line);
		await waitFor(() => {
			expect(store.calls).toEqual(calls);
		});
		expect(store.sent).toEqual([]);
	});

	it('sends "//etc" as the message "/etc"', async () => {
		const {app, store} = await startApp();
		await submit(app, '//etc');
		await waitFor(() => {
			expect(store.sent).toEqual(['/etc']);
		});
	});
});

describe('App input history', () => {
	async function withHistory(...lines: string[]) {
		const started = await startApp();
		for (const line of lines) {
			// eslint-disable-next-line no-await-in-loop
			await submit(started.app, line);
		}

		return started;
	}

	it('recalls the last sent line on Up', async () => {
		const {app} = await withHistory('one', 'two');
		type(app, keys.up);
		await expectDraft(app, 'two');
	});

	it('recalls the line before on Up Up', async () => {
		const {app} = await withHistory('one', 'two');
		type(app, keys.up);
		await expectDraft(app, 'two');
		type(app, keys.up);
		await expectDraft(app, 'one');
	});

	it('returns to the kept unsent draft on Down', async () => {
		const {app} = await withHistory('one', 'two');
		type(app, 'half typed');
		await expectDraft(app, 'half typed');
		type(app, keys.up);
		await expectDraft(app, 'two');
		type(app, keys.up);
		await expectDraft(app, 'one');
		type(app, keys.down);
		await expectDraft(app, 'two');
		type(app, keys.down);
		await expectDraft(app, 'half typed');
	});

	it('stores consecutive duplicate sends once', async () => {
		const {app, store} = await withHistory('first', 'same', 'same');
		expect(store.sent).toEqual(['first', 'same', 'same']);
		type(app, keys.up);
		await expectDraft(app, 'same');
		type(app, keys.up);
		await expectDraft(app, 'first');
	});

	it('sends a recalled line again on Enter', async () => {
		const {app, store} = await withHistory('again please');
		type(app, keys.up);
		await expectDraft(app, 'again please');
		type(app, keys.enter);
		await waitFor(() => {
			expect(store.sent).toEqual(['again please', 'again please']);
		});
	});
});

describe('App line editing keys', () => {
	it('deletes to the start of the line on Ctrl+U', async () => {
		const {app} = await startApp();
		type(app, 'hello world');
		await expectDraft(app, 'hello world');
		type(app, keys.left, keys.left, keys.left, keys.left, keys.left, ctrlU);
		await expectDraft(app, 'world');
		type(app, 'X');
		await expectDraft(app, 'Xworld');
	});

	it('deletes the previous word on Ctrl+W', async () => {
		const {app} = await startApp();
		type(app, 'hello big world');
		await expectDraft(app, 'hello big world');
		// The frame trims trailing spaces, so a typed letter shows where the cursor is.
		type(app, ctrlW, 'X');
		await expectDraft(app, 'hello big X');
		type(app, keys.backspace, ctrlW, 'Y');
		await expectDraft(app, 'hello Y');
	});

	it('moves to the start on Ctrl+A', async () => {
		const {app} = await startApp();
		type(app, 'middle');
		await expectDraft(app, 'middle');
		type(app, keys.ctrlA, '>');
		await expectDraft(app, '>middle');
	});

	it('moves to the end on Ctrl+E', async () => {
		const {app} = await startApp();
		type(app, 'middle');
		await expectDraft(app, 'middle');
		type(app, keys.ctrlA, keys.ctrlE, '<');
		await expectDraft(app, 'middle<');
	});
});

describe('App scrollback', () => {
	// The default 24-row terminal leaves 20 rows for the pane.
	const many = () => Array.from({length: 40}, (_, index) => inLine(`msg ${index}`));
	const row = (text: string) => `${fixedClock} udp <peer> ${text}`;
	const pane = (app: Interactive) => rows(app.frame()).slice(0, -3);

	async function scrolledUp(bell?: () => void) {
		const store = new FakeStore({lines: many(), counts: {in: 40, out: 0}});
		const started = bell ? await startRinging(store, bell) : await startApp(store);
		type(started.app, keys.pageUp);
		await waitFor(() => {
			expect(pane(started.app)).not.toContain(row('msg 39'));
		});
		return started;
	}

	function addIncoming(store: FakeStore, text: string): void {
		store.update(current => ({lines: [...current.lines, inLine(text)], counts: {...current.counts, in: current.counts.in + 1}}));
	}

	it('shows older lines and hides the newest on PageUp', async () => {
		const {app} = await scrolledUp();
		const shown = pane(app);
		expect(shown).toContain(row('msg 10'));
		expect(shown).not.toContain(row('msg 39'));
		expect(shown.at(-1)).toContain('scrolled up');
	});

	it('keeps the view still when a line arrives while scrolled up', async () => {
		const {app, store} = await scrolledUp();
		const before = pane(app).slice(0, -1);
		addIncoming(store, 'fresh');
		await waitFor(() => {
			expect(pane(app).at(-1)).toMatch(/\d+ new messages? below/);
			expect(app.frame()).not.toContain('fresh');
		});
		expect(pane(app).slice(0, -1)).toEqual(before);
	});

	it('says "1 new message" after one message arrives while scrolled up', async () => {
		const {app, store} = await scrolledUp();
		addIncoming(store, 'fresh');
		store.addLine(systemLine('someone connected'));
		await waitFor(() => {
			expect(pane(app).at(-1)).toContain('scrolled up: 1 new message below');
		});
	});

	it('returns to live on PageDown at the end', async () => {
		const {app, store} = await scrolledUp();
		addIncoming(store, 'fresh');
		type(app, keys.pageDown);
		await waitFor(() => {
			expect(pane(app).at(-1)).toBe(row('fresh'));
		});
		expect(app.frame()).not.toContain('scrolled up');
	});

	it('returns to live on End', async () => {
		const {app, store} = await scrolledUp();
		type(app, keys.pageUp);
		addIncoming(store, 'fresh');
		type(app, keys.end);
		await waitFor(() => {
			expect(pane(app).at(-1)).toBe(row('fresh'));
		});
		expect(app.frame()).not.toContain('scrolled up');
	});

	it('rings the bell (/bell all) for a message that arrives while scrolled up', async () => {
		const bell = vi.fn();
		const {store} = await scrolledUp(bell);
		addIncoming(store, 'ding');
		await waitFor(() => {
			expect(bell).toHaveBeenCalledTimes(1);
		});
	});

	it('does not ring the bell (/bell all) for a message that arrives while live', async () => {
		const bell = vi.fn();
		const {app, store} = await startRinging(new FakeStore({lines: many(), counts: {in: 40, out: 0}}), bell);
		addIncoming(store, 'quiet');
		await waitFor(() => {
			expect(pane(app).at(-1)).toBe(row('quiet'));
		});
		// Scroll up and let one more arrive: the bell rings for that one only.
		type(app, keys.pageUp);
		await waitFor(() => {
			expect(pane(app)).not.toContain(row('quiet'));
		});
		addIncoming(store, 'loud');
		await waitFor(() => {
			expect(bell).toHaveBeenCalled();
		});
		expect(bell).toHaveBeenCalledTimes(1);
	});
});

describe('App draft size', () => {
	const rule = (app: Interactive) => rows(app.frame()).at(-3) ?? '';

	it('shows the UTF-8 byte count of the draft on the rule', async () => {
		const {app} = await startApp();
		type(app, '你好');
		await expectDraft(app, '你好');
		expect(rule(app)).toMatch(/─ 6 B ─$/);
	});

	it('shows no count for an empty draft', async () => {
		const {app} = await startApp();
		type(app, 'x', keys.backspace);
		await expectDraft(app, '');
		expect(rule(app)).toBe('─'.repeat(100));
	});

	it('shows how many datagrams a UDP draft over --max-datagram takes', async () => {
		const {app} = await startApp(new FakeStore({maxDatagram: 100}));
		const text = 'x'.repeat(250);
		type(app, text);
		await waitFor(() => {
			expect(rule(app)).toContain('250 B: 3 datagrams of ≤100 B');
		});
	});

	it('shows only the byte count for the same draft over TCP', async () => {
		const {app} = await startApp(new FakeStore({maxDatagram: 100, protocol: 'tcp'}));
		type(app, 'x'.repeat(250));
		await waitFor(() => {
			expect(rule(app)).toMatch(/─ 250 B ─$/);
		});
	});

	it('shows the number of datagrams the message is really cut into (4-byte emoji)', async () => {
		const {app} = await startApp(new FakeStore({maxDatagram: 64}));
		const text = '😀'.repeat(31);
		const pieces = splitForDatagram(text, 63, value => Buffer.byteLength(value)).length;
		type(app, text);
		await waitFor(() => {
			expect(rule(app)).toContain(`124 B: ${pieces} datagrams of ≤64 B`);
		});
	});
});

describe('App paste', () => {
	it('holds a bracketed paste of several lines, however many chunks it comes in, until Enter', async () => {
		const {app, store} = await startApp();
		type(app, '\u001B[200~', 'one\rtw', 'o\rthree', '\u001B[201~');
		await waitFor(() => {
			expect(app.frame()).toContain('Paste of 3 lines');
		});
		expect(store.sent).toEqual([]);
		type(app, keys.enter);
		await waitFor(() => {
			expect(store.sent).toEqual(['one', 'two', 'three']);
		});
	});

	it('puts a bracketed paste of one line into the input instead of sending it', async () => {
		const {app, store} = await startApp();
		type(app, 'say ', '\u001B[200~', 'pasted words', '\u001B[201~');
		await expectDraft(app, 'say pasted words');
		expect(store.sent).toEqual([]);
	});

	it('adds the later chunks of a long unbracketed paste to the one held', async () => {
		const {app, store} = await startApp();
		type(app, 'a\rb\r');
		await waitFor(() => {
			expect(app.frame()).toContain('Paste of 2 lines');
		});
		type(app, 'c\rd\r');
		await waitFor(() => {
			expect(app.frame()).toContain('Paste of 4 lines');
		});
		type(app, keys.enter);
		await waitFor(() => {
			expect(store.sent).toEqual(['a', 'b', 'c', 'd']);
		});
	});
});

describe('App paste edges', () => {
	it('does not add typing to a held bracketed paste', async () => {
		const {app, store} = await startApp();
		type(app, '\u001B[200~', 'one\rtwo', '\u001B[201~');
		await waitFor(() => {
			expect(app.frame()).toContain('Paste of 2 lines');
		});
		type(app, 'xyz');
		type(app, keys.enter);
		await waitFor(() => {
			expect(store.sent).toEqual(['one', 'two']);
		});
	});

	it('lets Ctrl+C end a bracketed paste whose end never came, and typing works again', async () => {
		const {app} = await startApp();
		type(app, '\u001B[200~', 'half a paste');
		type(app, keys.ctrlC);
		type(app, 'typed');
		await expectDraft(app, 'typed');
	});
});
