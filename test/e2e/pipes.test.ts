import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {isListening} from '../helpers/ports.js';
import {waitFor} from '../helpers/wait.js';
import {
	chatCommand,
	greetingLine,
	hasMessage,
	hasStatus,
	loopbackAnyPort,
	messages,
	peerLines,
	portTuple,
	runCli,
	shellCommand,
	e2eSession,
	waitForExitCode,
} from './support.js';

const {tmux, peers, chat, tempDir} = e2eSession('pipes');

/** A tui-netchat in a terminal, listening on `port`. */
async function listeningChat(port: number, nick: string): Promise<void> {
	tmux.start('chat', chat('--port', String(port), '-n', nick));
	await tmux.waitForPane('chat', pane => hasStatus(pane, `port ${port}`), 'the status bar');
}

/** `tui-netchat --listen --port PORT ...` without a terminal, its stdout kept. */
async function listener(port: number, ...args: string[]) {
	const [command = '', ...rest] = chat('--listen', '--port', String(port), ...args);
	const process = peers.spawn(command, rest);
	await waitFor(() => isListening(port, 'udp') && isListening(port, 'tcp'), {what: `the listener on port ${port}`});
	return process;
}

/** `printf 'LINES' | tui-netchat --peer 127.0.0.1:PORT ...`, to its exit code. */
async function pipeInto(port: number, lines: string, ...args: string[]): Promise<number | null> {
	const sender = peers.shell(`printf '${lines}' | ${shellCommand(chatCommand('--peer', `127.0.0.1:${port}`, ...args))}`);
	return waitForExitCode(sender);
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

	it('--send over TCP exits 0 once the message and its greeting went to a listening tui-netchat, which names the sender', async () => {
		const [port] = await portTuple(1);
		await listeningChat(port, 'zack');

		const result = await runCli(['--peer', `127.0.0.1:${port}`, '--protocol', 'tcp', '-n', 'una', '--send', 'hello']);
		expect(result.code).toBe(0);
		expect(result.stderr).toBe('');
		// The greeting held back after a first TCP message goes before --send closes the connection.
		await tmux.waitForPane('chat', pane => hasMessage(pane, {transport: 'tcp', from: 'una', text: 'hello'}), 'the message hello from una');
		// --send ends its connection with a FIN after reading our answer: a plain close, not a reset.
		const closed = await tmux.waitForPane('chat', pane => pane.includes('closed the connection'), 'the connection closing');
		expect(closed).not.toMatch(/EPIPE|ECONNRESET/);
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
		// No status bar counts anything down here: the message is simply not sent.
		expect(result.stderr).toMatch(/; not sent\.\n$/);
		expect(result.stderr).not.toContain('status bar');
	});

	it('runs /nick and /me from piped input and sends //text as /text, as nc -u -l sees it', async () => {
		const [ncPort] = await portTuple(1);
		const nc = peers.spawn('nc', ['-u', '-l', '127.0.0.1', String(ncPort)]);
		await waitFor(() => isListening(ncPort, 'udp'), {what: `nc -u -l on port ${ncPort}`});

		tmux.startInShell('pipe', ['sh', '-c', `printf '/nick ci\\n/me waves\\n//tmp is full\\nlast\\n' | ${shellCommand(chatCommand('--peer', `127.0.0.1:${ncPort}`))}`]);
		expect(await tmux.waitForExit('pipe')).toBe(0);
		await waitFor(() => nc.stdout().toString('utf8').split('\n').includes('last'), {
			what: 'nc to print last',
			describe: () => `nc stdout: ${JSON.stringify(nc.stdout().toString('utf8'))}`,
		});
		const lines = nc.stdout().toString('utf8').split('\n').filter(line => line !== '' && !greetingLine.test(line));
		expect(lines).toEqual(['* ci waves', '/tmp is full', 'last']);
		expect(tmux.capture('pipe')).not.toContain('tui-netchat:');
	});

	it('prints who sent each message with --format json, one object a line, and exits 0 on SIGTERM with --listen', async () => {
		const [port] = await portTuple(1);
		const listener = peers.spawn(process.execPath, [...chatCommand('--listen', '--port', String(port), '--format', 'json').slice(1)]);
		await waitFor(() => isListening(port, 'udp'), {what: `the listener on port ${port}`});
		expect((await runCli(['--peer', `127.0.0.1:${port}`, '-n', 'una', '--send', 'hello'])).code).toBe(0);
		expect((await runCli(['--peer', `127.0.0.1:${port}`, '-n', 'una', '--send', '/me was here'])).code).toBe(0);
		const printed = (await peerLines(listener, 2, 'the listener')).map(line => JSON.parse(line) as Record<string, unknown>);
		expect(printed[0]).toMatchObject({nick: 'una', transport: 'udp', text: 'hello', action: false, address: expect.stringMatching(/^127\.0\.0\.1:\d+$/)});
		// --send sends its text as it is: a leading / is not a command there.
		expect(printed[1]).toMatchObject({nick: 'una', text: '/me was here', action: false});
		listener.child.kill('SIGTERM');
		expect(await waitForExitCode(listener)).toBe(0);
		expect(listener.stderr()).toBe('');
	});

	it('`tui-netchat --listen > file` typed in a shell logs what arrives, does not read the terminal, and exits 0 on Ctrl+C', async () => {
		const [port] = await portTuple(1);
		const file = join(tempDir('tui-netchat-listen-'), 'chat.log');
		// Ctrl+C reaches the whole foreground group: bash (as a login shell would) waits to see how its child
		// ended and carries on to print the status, where dash would die with it.
		tmux.start('logger', ['bash', '-c', `${shellCommand(chatCommand('--listen', '--port', String(port)))} > '${file}'; echo "[exit status $?]"; exec sleep 3600`]);
		// stderr is the terminal: it says where it listens.
		await tmux.waitForPane('logger', pane => pane.includes(`tui-netchat: listening on UDP and TCP port ${port}; Ctrl+C stops.`), 'the listening line');
		// Typed at the terminal: not read, so not sent anywhere (there is no peer to send to, which would be an error line).
		tmux.submit('logger', 'typed here');
		expect((await runCli(['--peer', `127.0.0.1:${port}`, '-n', 'vic', '--send', 'first'])).code).toBe(0);
		expect((await runCli(['--peer', `127.0.0.1:${port}`, '-n', 'vic', '--send', 'second'])).code).toBe(0);
		await waitFor(() => readFileSync(file, 'utf8').split('\n').length >= 3, {what: 'two lines in the file', describe: () => readFileSync(file, 'utf8')});
		expect(readFileSync(file, 'utf8')).toMatch(/^\d\d:\d\d:\d\d <vic> first\n\d\d:\d\d:\d\d <vic> second\n$/);
		tmux.press('logger', 'C-c');
		expect(await tmux.waitForExit('logger')).toBe(0);
		expect(tmux.capture('logger')).not.toMatch(/tui-netchat: (?!listening)/);
	});

	it("`--listen` prints a tui-netchat's first message with its nick, over TCP (greeting 250 ms later) and UDP", async () => {
		const [port] = await portTuple(1);
		const logger = await listener(port);
		expect((await runCli(['-n', 'ci', '--protocol', 'tcp', '-c', `127.0.0.1:${port}`, '--send', 'build finished'])).code).toBe(0);
		expect((await runCli(['-n', 'cu', '-c', `127.0.0.1:${port}`, '--send', 'tests passed'])).code).toBe(0);
		expect(await peerLines(logger, 2, 'the logger')).toEqual([
			expect.stringMatching(/^\d\d:\d\d:\d\d <ci> build finished$/),
			expect.stringMatching(/^\d\d:\d\d:\d\d <cu> tests passed$/),
		]);
	});

	it('`--listen --format json` gives the nick of a tui-netchat that wrote first over TCP, and its address', async () => {
		const [port] = await portTuple(1);
		const logger = await listener(port, '--format', 'json');
		expect((await runCli(['-n', 'ci', '--protocol', 'tcp', '-c', `127.0.0.1:${port}`, '--send', 'build finished'])).code).toBe(0);
		const [printed] = (await peerLines(logger, 1, 'the logger')).map(line => JSON.parse(line) as Record<string, unknown>);
		expect(printed).toMatchObject({nick: 'ci', text: 'build finished', transport: 'tcp', action: false, address: expect.stringMatching(loopbackAnyPort)});
	});

	it("prints a piped `/me` to `--listen` as an action, `* ci starts the build`, as the readme's example", async () => {
		const [port] = await portTuple(1);
		const logger = await listener(port);
		expect(await pipeInto(port, '/nick ci\\n/me starts the build\\n')).toBe(0);
		expect(await peerLines(logger, 1, 'the logger')).toEqual([expect.stringMatching(/^\d\d:\d\d:\d\d \* ci starts the build$/)]);
	});

	it('gives a piped `/me` over TCP to `--listen --format json` as an action: its text without "* ci", action true', async () => {
		const [port] = await portTuple(1);
		const logger = await listener(port, '--format', 'json');
		expect(await pipeInto(port, '/nick ci\\n/me starts the build\\n', '--protocol', 'tcp')).toBe(0);
		const [printed] = (await peerLines(logger, 1, 'the logger')).map(line => JSON.parse(line) as Record<string, unknown>);
		expect(printed).toMatchObject({nick: 'ci', text: 'starts the build', action: true});
	});

	it("`--listen` prints a plain peer's lines (nc over TCP and UDP) within 0.3 s of their arrival, with the address", async () => {
		const [port] = await portTuple(1);
		const file = join(tempDir('tui-netchat-listen-'), 'arrivals.log');
		const logger = await listener(port, '--log', file);
		// The --log file has a line the moment it arrives: the time from there to stdout is what the logger held it.
		const held = async (text: string) => {
			await waitFor(() => readFileSync(file, 'utf8').includes(` ${text}\n`), {interval: 5, what: `${text} in the --log file`});
			const arrived = Date.now();
			await waitFor(() => logger.stdout().toString('utf8').includes(` ${text}\n`), {interval: 5, what: `${text} on stdout`, describe: () => logger.stdout().toString('utf8')});
			return Date.now() - arrived;
		};

		const tcp = peers.spawn('nc', ['127.0.0.1', String(port)]);
		tcp.write('from nc over tcp\n');
		// 300 ms at most, and some for the polling of a busy machine.
		expect(await held('from nc over tcp')).toBeLessThan(800);
		peers.shell(`printf 'from nc over udp\\n' | nc -u -w1 127.0.0.1 ${port}`);
		expect(await held('from nc over udp')).toBeLessThan(800);
		expect(logger.stdout().toString('utf8')).toMatch(/^\d\d:\d\d:\d\d <127\.0\.0\.1:\d+> from nc over tcp\n\d\d:\d\d:\d\d <127\.0\.0\.1:\d+> from nc over udp\n$/);
	});

	it('`--listen` writes a line it still holds when SIGTERM stops it, and exits 0', async () => {
		const [port] = await portTuple(1);
		const file = join(tempDir('tui-netchat-listen-'), 'arrivals.log');
		const logger = await listener(port, '--log', file);
		const nc = peers.spawn('nc', ['127.0.0.1', String(port)]);
		nc.write('just in time\n');
		// In the log at once; on stdout up to 0.3 s later, unless the signal comes first.
		await waitFor(() => readFileSync(file, 'utf8').includes(' just in time\n'), {interval: 5, what: 'the line in the --log file'});
		logger.child.kill('SIGTERM');
		expect(await waitForExitCode(logger)).toBe(0);
		expect(logger.stdout().toString('utf8')).toMatch(/^\d\d:\d\d:\d\d <127\.0\.0\.1:\d+> just in time\n$/);
	});

	it('refuses `/nick` and `/proto` alone in piped input with one stderr line each that says what to write, and exits 1', async () => {
		const [ncPort] = await portTuple(1);
		const nc = peers.spawn('nc', ['-u', '-l', '127.0.0.1', String(ncPort)]);
		await waitFor(() => isListening(ncPort, 'udp'), {what: `nc -u -l on port ${ncPort}`});
		const sender = peers.shell(`printf '/nick\\n/proto\\nstill sent\\n' | ${shellCommand(chatCommand('--peer', `127.0.0.1:${ncPort}`))}`);
		expect(await waitForExitCode(sender)).toBe(1);
		expect(sender.stderr()).toBe(
			'tui-netchat: line 1: /nick alone works only in the chat or line mode, not in pipe mode; not sent (/nick NAME sets your nick)\n'
				+ 'tui-netchat: line 2: /proto alone works only in the chat or line mode, not in pipe mode; not sent (/proto udp|tcp switches)\n',
		);
		await waitFor(() => nc.stdout().toString('utf8').split('\n').includes('still sent'), {what: 'nc to print still sent'});
	});
});
