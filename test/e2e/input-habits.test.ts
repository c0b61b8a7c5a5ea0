import {describe, expect, it} from 'vitest';
import {hasMessage, hasStatus, inputText, portTuple, e2eSession} from './support.js';

const {tmux, chat} = e2eSession('habits');

/** bob talks to alice with --peer and says hello, so alice has a speaker to complete. */
async function pair(): Promise<{portA: number; portB: number}> {
	const [portA, portB] = await portTuple(2);
	tmux.start('alice', chat('--port', String(portA), '-n', 'alice'));
	tmux.start('bob', chat('--port', String(portB), '--peer', `127.0.0.1:${portA}`, '-n', 'bob'));
	await tmux.waitForPane('alice', pane => hasStatus(pane, `port ${portA}`), 'the status bar');
	await tmux.waitForPane('bob', pane => hasStatus(pane, `to 127.0.0.1:${portA}`), 'the status bar');
	tmux.submit('bob', 'hello alice');
	await tmux.waitForPane('alice', pane => hasMessage(pane, {transport: 'udp', from: 'bob', text: 'hello alice'}), "bob's message");
	return {portA, portB};
}

describe('weechat and irssi habits in a real terminal', () => {
	it('completes a nick with Tab ("bob: " at line start) and a command after "/"', async () => {
		await pair();
		tmux.type('alice', 'b');
		await tmux.waitForPane('alice', pane => inputText(pane) === 'b', 'the typed b');
		tmux.press('alice', 'Tab');
		await tmux.waitForPane('alice', pane => inputText(pane) === 'bob:', 'bob completed');
		tmux.type('alice', 'hi there');
		tmux.press('alice', 'Enter');
		await tmux.waitForPane('bob', pane => hasMessage(pane, {transport: 'udp', from: 'alice', text: 'bob: hi there'}), 'the addressed line');

		tmux.type('alice', '/que');
		await tmux.waitForPane('alice', pane => inputText(pane) === '/que', 'the typed /que');
		tmux.press('alice', 'Tab');
		await tmux.waitForPane('alice', pane => inputText(pane) === '/query', '/query completed');
	});

	it('puts a line break into the draft on Alt+Enter (shown as ⏎) and sends the draft on Enter as one message of two rows', async () => {
		await pair();
		tmux.type('alice', 'line one');
		await tmux.waitForPane('alice', pane => inputText(pane) === 'line one', 'the first line');
		tmux.press('alice', 'M-Enter');
		tmux.type('alice', 'line two');
		const pane = await tmux.waitForPane('alice', pane => inputText(pane) === 'line one⏎line two', 'the two-line draft');
		expect(hasMessage(pane, {transport: 'udp', from: 'alice', text: 'line one'})).toBe(false);
		tmux.press('alice', 'Enter');
		await tmux.waitForPane(
			'bob',
			// One message: its second line is a row of its own under the text, not a message of its own.
			pane => hasMessage(pane, {transport: 'udp', from: 'alice', text: 'line one'}) && /<alice> line one\n\s+line two$/m.test(pane) && !hasMessage(pane, {transport: 'udp', from: 'alice', text: 'line two'}),
			'the two-line message',
		);
	});

	it('drops only the paste on Esc: what was typed before it stays', async () => {
		const [port] = await portTuple(1);
		tmux.start('alice', chat('--port', String(port), '-n', 'alice'));
		await tmux.waitForPane('alice', pane => hasStatus(pane, `port ${port}`), 'the status bar');
		tmux.type('alice', 'typed before');
		await tmux.waitForPane('alice', pane => inputText(pane) === 'typed before', 'the typed text');
		tmux.run('set-buffer', '-b', 'p', 'first pasted\nsecond pasted');
		tmux.run('paste-buffer', '-p', '-d', '-b', 'p', '-t', '=alice:');
		await tmux.waitForPane('alice', pane => pane.includes('Paste of 2 lines'), 'the held paste');
		tmux.press('alice', 'Escape');
		await tmux.waitForPane('alice', pane => !pane.includes('Paste of') && inputText(pane) === 'typed before', 'the typed text back');
	});

	it('quits on Ctrl+D on an empty line, as nc and a shell do', async () => {
		const [port] = await portTuple(1);
		tmux.startInShell('alice', chat('--port', String(port), '-n', 'alice'));
		await tmux.waitForPane('alice', pane => hasStatus(pane, `port ${port}`), 'the status bar');
		tmux.type('alice', 'x');
		await tmux.waitForPane('alice', pane => inputText(pane) === 'x', 'the typed x');
		tmux.press('alice', 'C-b', 'C-d');
		await tmux.waitForPane('alice', pane => inputText(pane).startsWith('type a message'), 'x deleted forward, the app still running');
		tmux.press('alice', 'C-d');
		expect(await tmux.waitForExit('alice')).toBe(0);
	});
});
