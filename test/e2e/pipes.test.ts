import {describe, expect, it} from 'vitest';
import {isListening} from '../helpers/ports.js';
import {waitFor} from '../helpers/wait.js';
import {
	chatCommand,
	greetingLine,
	hasMessage,
	hasStatus,
	messages,
	peerLines,
	portTuple,
	runCli,
	shellCommand,
	e2eSession,
} from './support.js';

const {tmux, peers, chat} = e2eSession('pipes');

/** A tui-netchat in a terminal, listening on `port`. */
async function listeningChat(port: number, nick: string): Promise<void> {
	tmux.start('chat', chat('--port', String(port), '-n', nick));
	await tmux.waitForPane('chat', pane => hasStatus(pane, `port ${port}`), 'the status bar');
}

/** `printf 'a\nb\n' | tui-netchat --peer 127.0.0.1:PORT` typed at a shell prompt in its own terminal. */
function startPipe(port: number): void {
	tmux.startInShell('pipe', ['sh', '-c', `printf 'a\\nb\\n' | ${shellCommand(chatCommand('--peer', `127.0.0.1:${port}`))}`]);
}

describe('scripts and pipes', () => {
	it("delivers both lines of `printf 'a\\nb\\n' | tui-netchat --peer` to a tui-netchat and exits 0", async () => {
		const [port] = await portTuple(1);
		await listeningChat(port, 'yara');

		startPipe(port);
		expect(await tmux.waitForExit('pipe')).toBe(0);
		const pane = await tmux.waitForPane(
			'chat',
			pane => ['a', 'b'].every(text => hasMessage(pane, {transport: 'udp', from: /^(?!yara$)\S+$/, text})),
			'the lines a and b',
		);
		expect(messages(pane).map(message => message.text)).toEqual(['a', 'b']);
		expect(tmux.capture('pipe')).not.toContain('tui-netchat:');
	});

	it("sends `printf 'a\\nb\\n' | tui-netchat --peer` to `nc -u -l` as the lines a and b, with at most one greeting", async () => {
		const [ncPort] = await portTuple(1);
		const nc = peers.spawn('nc', ['-u', '-l', '127.0.0.1', String(ncPort)]);
		await waitFor(() => isListening(ncPort, 'udp'), {what: `nc -u -l on port ${ncPort}`});

		startPipe(ncPort);
		expect(await tmux.waitForExit('pipe')).toBe(0);
		// b goes out last: once nc has printed it, it has printed everything the pipe sent.
		await waitFor(() => nc.stdout().toString('utf8').split('\n').includes('b'), {
			what: 'nc to print b',
			describe: () => `nc stdout: ${JSON.stringify(nc.stdout().toString('utf8'))}`,
		});
		const lines = await peerLines(nc, 2, 'nc');
		expect(lines.filter(line => !greetingLine.test(line))).toEqual(['a', 'b']);
		expect(lines.filter(line => greetingLine.test(line)).length).toBeLessThanOrEqual(1);
	});

	it('--send over TCP exits 0 once the message went to a listening tui-netchat', async () => {
		const [port] = await portTuple(1);
		await listeningChat(port, 'zack');

		const result = await runCli(['--peer', `127.0.0.1:${port}`, '--protocol', 'tcp', '--send', 'hello']);
		expect(result.code).toBe(0);
		expect(result.stderr).toBe('');
		await tmux.waitForPane('chat', pane => hasMessage(pane, {transport: 'tcp', from: /^(?!zack$)\S+$/, text: 'hello'}), 'the message hello');
	});

	it('--send over TCP exits non-zero with a one-line reason when nothing listens on the port', async () => {
		const [port] = await portTuple(1);
		expect(isListening(port, 'tcp')).toBe(false);

		const result = await runCli(['--peer', `127.0.0.1:${port}`, '--protocol', 'tcp', '--send', 'hello']);
		expect(result.code).not.toBe(0);
		expect(result.code).not.toBeNull();
		expect(result.stdout).toBe('');
		expect(result.stderr).toMatch(/^tui-netchat: [^\n]+\n$/);
		expect(result.stderr).toContain(`127.0.0.1:${port}`);
		expect(result.stderr).not.toContain('    at ');
	});
});
