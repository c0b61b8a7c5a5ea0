import {afterEach, beforeAll, describe, expect, it} from 'vitest';
import {freePorts} from '../helpers/ports.js';
import {Tmux} from '../helpers/tmux.js';
import {chatCommand, Peers, requireBuiltCli, statusBar, waitForExitCode} from './support.js';

const tmux = new Tmux('inspect');
const peers = new Peers();

beforeAll(requireBuiltCli);

afterEach(async () => {
	tmux.kill();
	await peers.killAll();
});

async function startChat(width: number): Promise<number> {
	const [port] = await freePorts(1);
	if (port === undefined) {
		throw new Error('no free port');
	}

	tmux.start('chat', chatCommand('--port', String(port), '-n', 'ivy'), {width, height: 30});
	await tmux.waitForPane('chat', pane => statusBar(pane).includes(`port ${port}`), 'the status bar');
	return port;
}

/** The dump row of these bytes, as the pane shows it: "0000  68 69 ..." then the ASCII. */
function dumpOf(text: string): string {
	return `0000  ${[...Buffer.from(text)].map(byte => byte.toString(16).padStart(2, '0')).join(' ')}`;
}

describe('the packet inspector in a terminal', () => {
	it('F2 shows the hex of a datagram from `nc -u` and the chunk of a TCP line from `nc`, with the connection\'s events', async () => {
		const port = await startChat(160);
		tmux.press('chat', 'F2');
		await tmux.waitForPane('chat', pane => pane.includes('packets · all · 0 shown of 0 seen'), 'the inspector');

		const udp = peers.shell(`printf 'hi from nc\\n' | nc -u -w1 127.0.0.1 ${port}`);
		let pane = await tmux.waitForPane('chat', pane => pane.includes(dumpOf('hi from nc\n')), 'the datagram in hex');
		expect(pane).toContain('hi from nc.');
		expect(pane).toMatch(new RegExp(`udp in {2}0\\.0\\.0\\.0:${port} <- 127\\.0\\.0\\.1:\\d+ 11 B {2}text`));
		// Beside the messages (160 columns), in the last 74 columns; the message shows beside it.
		expect(pane.split('\n').find(row => row.includes('packets ·'))?.indexOf(' packets ·')).toBe(160 - 74);
		await tmux.waitForPane('chat', pane => /udp <127\.0\.0\.1:\d+> hi from nc/.test(pane), 'the message');
		expect(await waitForExitCode(udp)).toBe(0);

		const tcp = peers.spawn('nc', ['-N', '127.0.0.1', String(port)]);
		await tmux.waitForPane('chat', pane => new RegExp(`tcp accept 127\\.0\\.0\\.1:${port} <- 127\\.0\\.0\\.1:\\d+`).test(pane), 'the accept event');
		tcp.write('a tcp line\n');
		pane = await tmux.waitForPane('chat', pane => pane.includes(dumpOf('a tcp line\n')), 'the TCP chunk in hex');
		expect(pane).toMatch(new RegExp(`tcp in {2}127\\.0\\.0\\.1:${port} <- 127\\.0\\.0\\.1:\\d+ 11 B {2}text`));
		// -N: nc shuts its sending side down once its input ends.
		tcp.child.stdin?.end();
		await tmux.waitForPane('chat', pane => /tcp end 127\.0\.0\.1/.test(pane), 'the end event');

		tmux.press('chat', 'F2');
		await tmux.waitForPane('chat', pane => !pane.includes('packets ·'), 'the inspector closed');
	});

	it('opens below the messages on a narrow terminal with /inspect udp, and F3 pauses it', async () => {
		const port = await startChat(100);
		tmux.submit('chat', '/inspect udp');
		await tmux.waitForPane('chat', pane => pane.includes('packets · udp'), 'the inspector');
		tmux.press('chat', 'F3');
		await tmux.waitForPane('chat', pane => pane.includes('paused'), 'paused');
		const udp = peers.shell(`printf 'while paused\\n' | nc -u -w1 127.0.0.1 ${port}`);
		const pane = await tmux.waitForPane('chat', pane => pane.includes('0 shown of 1 seen · paused, 1 new'), 'the datagram counted');
		expect(pane).not.toContain(dumpOf('while paused\n'));
		const rows = pane.split('\n');
		expect(rows.findIndex(row => row.includes('packets · udp'))).toBeGreaterThan(rows.findIndex(row => row.includes('while paused')));
		tmux.press('chat', 'F3');
		await tmux.waitForPane('chat', pane => pane.includes(dumpOf('while paused\n')), 'the datagram once resumed');
		expect(await waitForExitCode(udp)).toBe(0);
	});
});
