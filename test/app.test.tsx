import {describe, expect, it} from 'vitest';
import {FakeStore, fixedClock, inLine, outLine} from './helpers/fake-store.js';
import {draft, expectDraft, startApp, type} from './helpers/app-driver.js';
import {keys, rows, waitFor} from './helpers/render.js';

const placeholderUdp = 'type a message, Enter sends over UDP; /help for commands';

describe('App layout', () => {
	it('shows the message pane, the input with its placeholder and the status bar', async () => {
		const {app} = await startApp(new FakeStore({lines: [inLine('welcome')]}));
		const frame = rows(app.frame());
		expect(frame.at(-1)).toMatch(/^ UDP · /);
		expect(frame.at(-2)).toBe(`> ${placeholderUdp}`);
		expect(frame.at(-3)).toBe('─'.repeat(100));
		expect(frame.at(-4)).toBe(`${fixedClock} udp <peer> welcome`);
	});

	it('leaves one terminal row free (24 rows when the terminal does not say)', async () => {
		const {app} = await startApp();
		expect(rows(app.frame())).toHaveLength(23);
	});

	it('lays out again for the new height when the terminal is resized', async () => {
		const {app} = await startApp(new FakeStore({lines: Array.from({length: 30}, (_, index) => inLine(`msg ${index}`))}));
		Object.defineProperty(app.stdout, 'rows', {value: 10, configurable: true});
		app.stdout.emit('resize');
		await waitFor(() => {
			expect(rows(app.frame())).toHaveLength(9);
		});
		const pane = rows(app.frame()).slice(0, 6);
		expect(pane.map(row => row.split('> ')[1])).toEqual(['msg 24', 'msg 25', 'msg 26', 'msg 27', 'msg 28', 'msg 29']);
	});
});

describe('App sending', () => {
	it('sends the typed text on Enter and clears the input', async () => {
		const {app, store} = await startApp();
		type(app, 'h', 'e', 'l', 'l', 'o');
		await expectDraft(app, 'hello');
		type(app, keys.enter);
		await waitFor(() => {
			expect(store.sent).toEqual(['hello']);
		});
		await expectDraft(app, '');
		expect(rows(app.frame()).at(-2)).toBe(`> ${placeholderUdp}`);
	});

	it('sends text and Enter that arrive in one read ("hi\\r")', async () => {
		const {app, store} = await startApp();
		type(app, 'hi\r');
		await waitFor(() => {
			expect(store.sent).toEqual(['hi']);
		});
		await expectDraft(app, '');
	});

	it('holds a paste of several lines until Enter confirms, then sends them in order', async () => {
		const {app, store} = await startApp();
		type(app, 'one\rtwo\r');
		await waitFor(() => {
			expect(app.frame()).toContain('Paste of 2 lines');
		});
		expect(store.sent).toEqual([]);
		type(app, keys.enter);
		await waitFor(() => {
			expect(store.sent).toEqual(['one', 'two']);
		});
	});

	it('drops a held paste on Esc', async () => {
		const {app, store} = await startApp();
		type(app, 'one\rtwo');
		await waitFor(() => {
			expect(app.frame()).toContain('Paste of 2 lines');
		});
		type(app, '\u001B');
		await waitFor(() => {
			expect(app.frame()).not.toContain('Paste of');
		});
		type(app, keys.enter);
		expect(store.sent).toEqual([]);
	});

	it('sends nothing when Enter is pressed on an empty or blank input', async () => {
		const {app, store} = await startApp();
		type(app, keys.enter, '   ');
		await expectDraft(app, '');
		type(app, keys.enter, 'x');
		await expectDraft(app, 'x');
		expect(store.sent).toEqual([]);
	});
});

describe('App protocol toggle', () => {
	it('calls toggleProtocol on Ctrl+T', async () => {
		const {app, store} = await startApp();
		type(app, keys.ctrlT);
		await waitFor(() => {
			expect(store.toggles).toBe(1);
		});
	});

	it('does not type a letter into the input on Ctrl+T', async () => {
		const {app, store} = await startApp();
		type(app, 'ab', keys.ctrlT, 'c');
		await expectDraft(app, 'abc');
		expect(store.toggles).toBe(1);
		expect(store.sent).toEqual([]);
	});

	it('shows the new protocol in the status bar and placeholder when the store switches', async () => {
		const {app, store} = await startApp();
		store.update({protocol: 'tcp'});
		await waitFor(() => {
			const frame = rows(app.frame());
			expect(frame.at(-1)).toMatch(/^ TCP · \^T UDP · /);
			expect(frame.at(-2)).toBe('> type a message, Enter sends over TCP; /help for commands');
		});
	});
});

describe('App editing', () => {
	it('deletes the character before the cursor on Backspace', async () => {
		const {app} = await startApp();
		type(app, 'abc');
		await expectDraft(app, 'abc');
		type(app, keys.backspace);
		await expectDraft(app, 'ab');
	});

	it('moves the cursor left so Backspace deletes inside the text', async () => {
		const {app} = await startApp();
		type(app, 'abc');
		await expectDraft(app, 'abc');
		type(app, keys.left, keys.backspace);
		await expectDraft(app, 'ac');
	});

	it('moves the cursor to the start on Home so Delete removes the first character', async () => {
		const {app} = await startApp();
		type(app, 'abc', keys.left, keys.backspace);
		await expectDraft(app, 'ac');
		type(app, keys.home, keys.delete);
		await expectDraft(app, 'c');
	});

	it('moves the cursor right over one character', async () => {
		const {app} = await startApp();
		type(app, 'abc');
		await expectDraft(app, 'abc');
		type(app, keys.home, keys.right, keys.delete);
		await expectDraft(app, 'ac');
	});

	it('moves the cursor to the end on End so typing appends', async () => {
		const {app} = await startApp();
		type(app, 'abc');
		await expectDraft(app, 'abc');
		type(app, keys.home, keys.end, 'd');
		await expectDraft(app, 'abcd');
	});

	it('inserts typed text at the cursor', async () => {
		const {app} = await startApp();
		type(app, 'ac');
		await expectDraft(app, 'ac');
		type(app, keys.left, 'b');
		await expectDraft(app, 'abc');
	});

	it('does nothing on Backspace at the start or Delete at the end', async () => {
		const {app} = await startApp();
		type(app, 'ab');
		await expectDraft(app, 'ab');
		type(app, keys.delete, keys.home, keys.backspace, keys.left, 'x');
		await expectDraft(app, 'xab');
	});

	it('sends the edited text, not what was first typed', async () => {
		const {app, store} = await startApp();
		type(app, 'helo');
		await expectDraft(app, 'helo');
		type(app, keys.left, 'l', keys.enter);
		await waitFor(() => {
			expect(store.sent).toEqual(['hello']);
		});
	});

	it('ignores keys it does not bind (PageUp, Up) instead of typing their escape codes', async () => {
		const {app} = await startApp();
		type(app, 'a', keys.pageUp, keys.up, keys.pageDown, keys.down, 'b');
		await expectDraft(app, 'ab');
	});
});

describe('App editing CJK and emoji', () => {
	const typed = '你好👍🏽';

	it('removes a whole emoji with its skin-tone modifier on Backspace', async () => {
		const {app} = await startApp();
		type(app, typed);
		await expectDraft(app, typed);
		type(app, keys.backspace);
		await expectDraft(app, '你好');
	});

	it('removes one CJK character per Backspace', async () => {
		const {app} = await startApp();
		type(app, typed, keys.backspace);
		await expectDraft(app, '你好');
		type(app, keys.backspace);
		await expectDraft(app, '你');
	});

	it('steps left over a whole emoji, so Backspace then removes the CJK character before it', async () => {
		const {app} = await startApp();
		type(app, typed);
		await expectDraft(app, typed);
		type(app, keys.left, keys.backspace);
		await expectDraft(app, '你👍🏽');
	});

	it('steps left over one CJK character at a time', async () => {
		const {app} = await startApp();
		type(app, typed);
		await expectDraft(app, typed);
		type(app, keys.left, keys.left, keys.backspace);
		await expectDraft(app, '好👍🏽');
	});

	it('deletes a whole emoji under the cursor on Delete after stepping right over CJK', async () => {
		const {app} = await startApp();
		type(app, typed);
		await expectDraft(app, typed);
		type(app, keys.home, keys.right, keys.right, keys.delete);
		await expectDraft(app, '你好');
	});

	it('removes a whole ZWJ family emoji on Backspace', async () => {
		const {app} = await startApp();
		type(app, 'a👨‍👩‍👧');
		await expectDraft(app, 'a👨‍👩‍👧');
		type(app, keys.backspace);
		await expectDraft(app, 'a');
	});

	it('inserts between CJK characters at the cursor', async () => {
		const {app} = await startApp();
		type(app, '你好');
		await expectDraft(app, '你好');
		type(app, keys.left, '们');
		await expectDraft(app, '你们好');
	});

	it('sends CJK and emoji text unchanged', async () => {
		const {app, store} = await startApp();
		type(app, typed, keys.enter);
		await waitFor(() => {
			expect(store.sent).toEqual([typed]);
		});
	});
});

describe('App and the store', () => {
	it('re-renders the message pane when the store has a new line', async () => {
		const {app, store} = await startApp(new FakeStore({lines: [inLine('first')]}));
		expect(app.frame()).not.toContain('second');
		store.addLine(outLine('second', {from: 'me'}));
		await waitFor(() => {
			const frame = rows(app.frame());
			expect(frame.at(-5)).toBe(`${fixedClock} udp <peer> first`);
			expect(frame.at(-4)).toBe(`${fixedClock} udp <me> second`);
		});
	});

	it('keeps the draft when a new line arrives', async () => {
		const {app, store} = await startApp();
		type(app, 'half typed');
		await expectDraft(app, 'half typed');
		store.addLine(inLine('interruption'));
		await waitFor(() => {
			expect(app.frame()).toContain('interruption');
		});
		expect(draft(app)).toBe('half typed');
	});

	it('shows new counts in the status bar when the store changes them', async () => {
		const {app, store} = await startApp();
		store.update({counts: {in: 7, out: 2}});
		await waitFor(() => {
			expect(rows(app.frame()).at(-1)).toContain('in 7 out 2');
		});
	});
});

describe('App exit', () => {
	it('exits on Ctrl+C: Ink unmounts the app', async () => {
		const {app} = await startApp();
		type(app, keys.ctrlC);
		await app.exited;
		expect(app.isUnmounted()).toBe(true);
	});

	it('stops listening to the store and to the keyboard after Ctrl+C', async () => {
		const {app, store} = await startApp();
		expect(store.listenerCount).toBe(1);
		type(app, keys.ctrlC);
		await app.exited;
		expect(store.listenerCount).toBe(0);
		expect(app.stdin.listenerCount('readable')).toBe(0);
		type(app, 'late\r');
		expect(store.sent).toEqual([]);
	});

	it('does not send the draft on Ctrl+C', async () => {
		const {app, store} = await startApp();
		type(app, 'unsent');
		await expectDraft(app, 'unsent');
		type(app, keys.ctrlC);
		await app.exited;
		expect(store.sent).toEqual([]);
	});
});
