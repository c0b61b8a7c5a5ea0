import {existsSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {waitFor} from '../helpers/wait.js';
import {e2eSession, hasMessage, hasStatus, portTuple} from './support.js';

const {tmux, chat, tempDir} = e2eSession('mentions');

/** Everything alice's program writes to her terminal, escape sequences and bells included. */
function recordOutput(name: string): () => string {
	const file = join(tempDir('tui-netchat-mentions-out-'), 'out');
	tmux.run('pipe-pane', '-o', '-t', `=${name}:`, `cat >> ${file}`);
	return () => (existsSync(file) ? readFileSync(file, 'latin1') : '');
}

const bells = (output: string) => output.split('\u0007').length - 1;

/** alice listens; bob talks to her with --peer and has said hello, so alice knows him. */
async function pair(aliceArgs: string[] = []): Promise<{output: () => string}> {
	const [portA, portB] = await portTuple(2);
	tmux.start('alice', chat('--port', String(portA), '-n', 'alice', ...aliceArgs));
	tmux.start('bob', chat('--port', String(portB), '--peer', `127.0.0.1:${portA}`, '-n', 'bob'));
	await tmux.waitForPane('alice', pane => hasStatus(pane, `port ${portA}`), 'the status bar');
	await tmux.waitForPane('bob', pane => hasStatus(pane, `to 127.0.0.1:${portA}`), 'the status bar');
	const output = recordOutput('alice');
	tmux.submit('bob', 'hello');
	await tmux.waitForPane('alice', pane => hasMessage(pane, {transport: 'udp', from: 'bob', text: 'hello'}), "bob's hello");
	return {output};
}

async function says(from: string, text: string): Promise<void> {
	tmux.submit('bob', text);
	await tmux.waitForPane('alice', pane => hasMessage(pane, {transport: 'udp', from, text}), `"${text}" from ${from}`);
}

/** Time for a bell that should not ring to have rung (the bell is written right after the frame). */
const settle = async () => new Promise(resolve => setTimeout(resolve, 300));

describe('mentions in a real terminal', () => {
	it('highlights a line naming you, marks its buffer, and rings once for it (not for other lines)', async () => {
		const {output} = await pair();
		await settle();
		expect(bells(output())).toBe(0);
		await says('bob', 'hey ALICE, look');
		await waitFor(() => bells(output()) === 1, {what: 'one bell for the mention'});
		// bob's buffer is marked apart in the act list: "2!".
		await tmux.waitForPane('alice', pane => / act (?:\d+,)*2!/.test(pane), 'the mention marked on buffer 2');
		// The text in the mention's yellow (capture -e keeps the colours).
		const coloured = tmux.run('capture-pane', '-p', '-e', '-t', '=alice:');
		expect(coloured).toMatch(/\u001B\[[\d;]*33[\d;]*m[^\n]*hey ALICE, look/);
		await says('bob', 'just talk, malice');
		await settle();
		expect(bells(output())).toBe(1);
	});

	it('rings never on /bell off, and sends a notification through the terminal on /notify on', async () => {
		const {output} = await pair();
		tmux.submit('alice', '/bell off');
		await tmux.waitForPane('alice', pane => pane.includes('Bell: off'), 'the bell mode');
		tmux.submit('alice', '/notify on');
		await tmux.waitForPane('alice', pane => pane.includes('Notifications: on'), 'notifications on');
		await settle();
		await says('bob', 'alice: ship it');
		// Inside tmux the OSC 9 is wrapped for tmux's passthrough: ESC doubled.
		await waitFor(() => /\]9;bob: alice: ship it/.test(output()), {what: 'an OSC 9 notification'});
		expect(bells(output().replaceAll(/\u001B\]9;[^\u0007\u001B]*(\u0007|\u001B\u001B\\)/g, ''))).toBe(0);
	});

	it('marks where you stopped reading when you come back to buffer 1', async () => {
		await pair();
		tmux.press('alice', 'M-2');
		await tmux.waitForPane('alice', pane => pane.includes('[2:bob]'), "bob's buffer");
		tmux.press('alice', 'M-1');
		await tmux.waitForPane('alice', pane => pane.includes('[1:all]'), 'buffer 1');
		// Read all of it and left nothing new: no marker.
		expect(tmux.capture('alice')).not.toContain('new since');
		tmux.press('alice', 'M-2');
		await tmux.waitForPane('alice', pane => pane.includes('[2:bob]'), "bob's buffer again");
		await says('bob', 'while you were away');
		tmux.press('alice', 'M-1');
		await tmux.waitForPane('alice', pane => /^── new since \d{2}:\d{2} ─+$/m.test(pane), 'the read marker');
		const rows = tmux.capture('alice').split('\n');
		const marker = rows.findIndex(row => row.startsWith('── new since'));
		expect(rows.slice(0, marker).join('\n')).toMatch(/<bob> hello/);
		expect(rows.slice(marker + 1).join('\n')).toContain('while you were away');
	});

	it('says who you are and the protocol on /nick and /proto alone', async () => {
		await pair();
		tmux.submit('alice', '/nick');
		await tmux.waitForPane('alice', pane => pane.includes('You are alice.'), 'your nick');
		tmux.submit('alice', '/proto');
		await tmux.waitForPane('alice', pane => pane.includes('UDP in the merged view'), 'the protocol');
	});
});
