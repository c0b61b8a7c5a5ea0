import {afterEach, describe, expect, it} from 'vitest';
import {App} from '../../source/ui/app.js';
import {PacketCapture} from '../../source/net/index.js';
import {inspectHook} from '../../source/net/inspect/hook.js';
import {paneLayout} from '../../source/ui/inspector/inspector-layout.js';
import {closedInspector} from '../../source/ui/inspector/inspector-state.js';
import {FakeStore} from '../helpers/fake-store.js';
import {keys, renderInteractive, rows, waitFor, type Interactive} from '../helpers/render.js';

const f2 = '\u001BOQ';
const f3 = '\u001BOR';
const shiftUp = '\u001B[1;2A';
const altDown = '\u001B[1;3B';

let running: Interactive | undefined;
afterEach(() => {
	running?.unmount();
	running = undefined;
	inspectHook.tap = undefined;
});

async function start(store = new FakeStore()) {
	const capture = new PacketCapture({batchMs: 5});
	const app = await renderInteractive(<App service={store} capture={capture} />);
	running = app;
	return {app, capture, store};
}

async function open(app: Interactive): Promise<void> {
	app.press(f2);
	await waitFor(() => {
		expect(app.frame()).toContain('packets · all');
		expect(inspectHook.tap).toBeDefined();
	});
}

function udpIn(text: string | Buffer, remote = '127.0.0.1:40112'): void {
	inspectHook.tap?.data('udp', 'in', '127.0.0.1:7852', remote, typeof text === 'string' ? Buffer.from(text) : text);
}

describe('the packet inspector pane', () => {
	it('opens on F2 below the messages, shows a datagram\'s header, hex and ASCII, and closes on F2 with nothing kept', async () => {
		const {app, capture} = await start();
		expect(inspectHook.tap).toBeUndefined();
		await open(app);
		expect(inspectHook.tap).toBe(capture);
		udpIn('hi\n');
		await waitFor(() => {
			expect(app.frame()).toMatch(/\d\d:\d\d:\d\d\.\d{3} udp in {2}127\.0\.0\.1:7852 <- 127\.0\.0\.1:40112 3 B {2}text/);
			expect(app.frame()).toContain('0000  68 69 0a');
			expect(app.frame()).toContain(' hi.');
		});
		// Below the messages, above the input row and the status bar.
		const lines = rows(app.frame());
		expect(lines.findIndex(line => line.includes('packets · all'))).toBeLessThan(lines.length - 3);
		app.press(f2);
		await waitFor(() => {
			expect(app.frame()).not.toContain('packets ·');
			expect(inspectHook.tap).toBeUndefined();
		});
		expect(capture.getSnapshot().records).toEqual([]);
	});

	it('shows connection events as one line', async () => {
		const {app} = await start();
		await open(app);
		inspectHook.tap?.event('tcp', 'in', '127.0.0.1:7852', '127.0.0.1:50000', 'reset', 'ECONNRESET');
		await waitFor(() => {
			expect(app.frame()).toMatch(/tcp reset 127\.0\.0\.1:7852 <- 127\.0\.0\.1:50000 \(ECONNRESET\)/);
		});
	});

	it('lets no byte of a hostile datagram reach the terminal raw', async () => {
		const {app} = await start();
		await open(app);
		udpIn(Buffer.from('\u001B]0;pwned\u0007\u001B[2J\u009B31m\r\n', 'latin1'));
		await waitFor(() => {
			expect(app.frame()).toContain('.]0;pwned..[2J');
		});
		expect(app.rawFrame()).not.toContain('\u001B]0;');
		expect(app.rawFrame()).not.toContain('\u001B[2J');
		expect(app.rawFrame()).not.toContain('\u0007');
		expect(app.rawFrame()).not.toContain('\u009B');
	});

	it('filters with /inspect tcp and /inspect all, typed in the input line', async () => {
		const {app, store} = await start();
		await open(app);
		udpIn('over udp\n');
		inspectHook.tap?.data('tcp', 'in', '127.0.0.1:7852', '127.0.0.1:50000', Buffer.from('over tcp\n'));
		await waitFor(() => {
			expect(app.frame()).toContain('over udp');
			expect(app.frame()).toContain('over tcp');
		});
		app.press(`/inspect tcp${keys.enter}`);
		await waitFor(() => {
			expect(app.frame()).toContain('packets · tcp · 1 shown of 2 seen');
			expect(app.frame()).not.toContain('over udp');
		});
		app.press(`/inspect all${keys.enter}`);
		await waitFor(() => {
			expect(app.frame()).toContain('over udp');
		});
		expect(store.sent).toEqual([]);
	});

	it('filters by a peer number /peers shows, and says so when there is no such peer', async () => {
		const peers = [
			{number: 2, name: 'bob', address: '127.0.0.1:7853', endpoints: ['127.0.0.1:7853'], transport: 'udp' as const, lastHeard: 0, tnc: true},
			{number: 3, name: 'carol', address: '127.0.0.1:7854', endpoints: ['127.0.0.1:7854'], transport: 'udp' as const, lastHeard: 0, tnc: true},
		];
		const {app, store} = await start(new FakeStore({peers}));
		await open(app);
		udpIn('from bob\n', '127.0.0.1:7853');
		udpIn('from carol\n', '127.0.0.1:7854');
		app.press(`/inspect peer 3${keys.enter}`);
		await waitFor(() => {
			expect(app.frame()).toContain('packets · peer 3');
			expect(app.frame()).toContain('from carol');
			expect(app.frame()).not.toContain('from bob');
		});
		app.press(`/inspect peer 9${keys.enter}`);
		await waitFor(() => {
			expect(store.notices).toContainEqual({text: 'No peer 9: /peers lists them.', level: 'error'});
		});
		app.press(`/inspect sctp${keys.enter}`);
		await waitFor(() => {
			expect(store.notices.at(-1)?.text).toBe('Usage: /inspect [udp|tcp|peer N|all|off]');
		});
		app.press(`/inspect off${keys.enter}`);
		await waitFor(() => {
			expect(app.frame()).not.toContain('packets ·');
		});
	});

	it('holds the view on F3, still counting, and catches up when resumed', async () => {
		const {app} = await start();
		await open(app);
		udpIn('first\n');
		await waitFor(() => {
			expect(app.frame()).toContain('first');
		});
		app.press(f3);
		await waitFor(() => {
			expect(app.frame()).toContain('paused');
		});
		udpIn('second\n');
		await waitFor(() => {
			expect(app.frame()).toContain('1 shown of 2 seen · paused, 1 new (F3 resumes)');
		});
		expect(app.frame()).not.toContain('second');
		app.press(f3);
		await waitFor(() => {
			expect(app.frame()).toContain('second');
			expect(app.frame()).not.toContain('paused');
		});
	});

	it('scrolls back a row on Shift+Up and to the newest again on Alt+Down', async () => {
		const {app} = await start();
		await open(app);
		for (let index = 0; index < 30; index++) {
			udpIn(`datagram ${String(index).padStart(2, '0')}\n`);
		}

		const lastRow = () => rows(app.frame()).filter(line => line.startsWith('  00')).at(-1) ?? '';
		await waitFor(() => {
			expect(lastRow()).toContain('datagram 29');
		});
		app.press(shiftUp);
		await waitFor(() => {
			expect(app.frame()).toContain('scrolled');
			expect(lastRow()).toContain('datagram 28');
		});
		app.press(altDown);
		await waitFor(() => {
			expect(app.frame()).not.toContain('scrolled');
			expect(lastRow()).toContain('datagram 29');
		});
	});
});

describe('the packet inspector\'s place', () => {
	it('goes beside the messages from 140 columns, below them in part of their height on a narrower terminal', () => {
		const open = {...closedInspector, open: true};
		expect(paneLayout(closedInspector, 160, 30)).toEqual({inspector: undefined, width: 160, height: 30});
		expect(paneLayout(open, 160, 30)).toEqual({inspector: {side: 'beside', width: 74, height: 30}, width: 86, height: 30});
		expect(paneLayout(open, 100, 30)).toEqual({inspector: {side: 'below', width: 100, height: 13}, width: 100, height: 17});
		expect(paneLayout(open, 80, 6).height).toBeGreaterThanOrEqual(4);
	});
});
