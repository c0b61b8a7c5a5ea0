import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {isListening} from '../helpers/ports.js';
import {waitFor} from '../helpers/wait.js';
import {
	greetingLine,
	hasMessage,
	hasStatus,
	inputText,
	loopbackAnyPort,
	messages,
	peerLines,
	portTuple,
	statusFields,
	waitForExitCode,
	type Peer,
	e2eSession,
} from './support.js';

const {tmux, peers, chat, tempDir} = e2eSession('features');

/**
 * alice listens on portA; bob talks to her with --peer. One message each way, so each has the other's
 * greeting and shows the other's nick. Extra arguments go to alice (e.g. --log).
 */
async function chattingPair(aliceArgs: string[] = []): Promise<{portA: number; portB: number}> {
	const [portA, portB] = await portTuple(2);
	tmux.start('alice', chat('--port', String(portA), '-n', 'alice', ...aliceArgs));
	tmux.start('bob', chat('--port', String(portB), '--peer', `127.0.0.1:${portA}`, '-n', 'bob'));
	await tmux.waitForPane('alice', pane => hasStatus(pane, `port ${portA}`), 'the status bar');
	await tmux.waitForPane('bob', pane => hasStatus(pane, 'UDP') && hasStatus(pane, `to 127.0.0.1:${portA}`), 'the status bar');

	tmux.submit('bob', 'hello alice');
	await tmux.waitForPane('alice', pane => hasMessage(pane, {transport: 'udp', from: 'bob', text: 'hello alice'}), "bob's message under his nick");
	await tmux.waitForPane('bob', pane => hasMessage(pane, {transport: 'udp', from: 'bob', text: 'hello alice'}), "bob's own line, sent");
	await tmux.waitForPane('alice', pane => hasStatus(pane, /^reply to bob /), 'bob as the reply target');
	tmux.submit('alice', 'hello bob');
	await tmux.waitForPane('bob', pane => hasMessage(pane, {transport: 'udp', from: 'alice', text: 'hello bob'}), "alice's reply under her nick");
	await tmux.waitForPane('alice', pane => hasMessage(pane, {transport: 'udp', from: 'alice', text: 'hello bob'}), "alice's own line, sent");
	return {portA, portB};
}

/** A plain `nc -u -l` on a free port, and the port of a tui-netchat that will talk to it. */
async function ncListener(): Promise<{nc: Peer; ncPort: number; chatPort: number}> {
	const [ncPort, chatPort] = await portTuple(2);
	const nc = peers.spawn('nc', ['-u', '-l', '127.0.0.1', String(ncPort)]);
	await waitFor(() => isListening(ncPort, 'udp'), {what: `nc -u -l on port ${ncPort}`});
	return {nc, ncPort, chatPort};
}

/** "* alice waves" as a row of the pane. */
function hasAction(pane: string, transport: string, nick: string, text: string): boolean {
	return pane.split('\n').some(row => new RegExp(`^\\d{2}:\\d{2}:\\d{2} ${transport} \\* ${nick} ${text}( ✓)?\\s*$`).test(row));
}

// A sender of numbered datagrams, one socket for all of them, as a script in a loop would.
const datagramSender = `
import socket, sys
port, prefix, first, last = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for number in range(first, last + 1):
    sender.sendto(f'{prefix} {number}\\n'.encode('utf-8'), ('127.0.0.1', port))
sender.close()
`;

const scrolledUp = /-- scrolled up: (\d+) new messages? below/;

/** The message texts in the pane, top to bottom. */
function texts(pane: string): string[] {
	return messages(pane).map(message => message.text);
}

describe('chat features between people in real terminals', () => {
	it("shows each side the other's nickname once they have exchanged a message", async () => {
		await chattingPair();
		const alice = tmux.capture('alice');
		const bob = tmux.capture('bob');
		expect(messages(alice).filter(message => message.from === 'bob').map(message => message.text)).toEqual(['hello alice']);
		expect(messages(bob).filter(message => message.from === 'alice').map(message => message.text)).toEqual(['hello bob']);
		// No line of either shows the other by address any more.
		expect(messages(alice).some(message => loopbackAnyPort.test(message.from))).toBe(false);
		expect(messages(bob).some(message => loopbackAnyPort.test(message.from))).toBe(false);
	});

	it('announces /nick to the peer ("bob is now known as bobby") and shows the next message under the new nick', async () => {
		await chattingPair();
		tmux.submit('bob', '/nick bobby');
		await tmux.waitForPane('bob', pane => pane.includes('You are now known as bobby'), 'the confirmation');
		await tmux.waitForPane('alice', pane => pane.includes('bob is now known as bobby'), 'the rename notice');

		tmux.submit('bob', 'new name, same bob');
		await tmux.waitForPane('alice', pane => hasMessage(pane, {transport: 'udp', from: 'bobby', text: 'new name, same bob'}), 'the message under the new nick');
		await tmux.waitForPane('bob', pane => hasMessage(pane, {transport: 'udp', from: 'bobby', text: 'new name, same bob'}), 'the own line under the new nick');
	});

	it('shows /me waves as "* alice waves" in the peer\'s pane', async () => {
		await chattingPair();
		tmux.submit('alice', '/me waves');
		await tmux.waitForPane('bob', pane => hasAction(pane, 'udp', 'alice', 'waves'), 'the action');
		await tmux.waitForPane('alice', pane => hasAction(pane, 'udp', 'alice', 'waves'), 'the own action');
		expect(tmux.capture('bob')).not.toContain('/me');
	});

	it('recalls the older sent line with Up twice and sends it again on Enter', async () => {
		const {nc, ncPort, chatPort} = await ncListener();
		tmux.start('chat', chat('--port', String(chatPort), '--peer', `127.0.0.1:${ncPort}`, '-n', 'uma'));
		await tmux.waitForPane('chat', pane => hasStatus(pane, 'UDP') && hasStatus(pane, `to 127.0.0.1:${ncPort}`), 'the status bar');

		tmux.submit('chat', 'first line');
		await tmux.waitForPane('chat', pane => hasMessage(pane, {transport: 'udp', from: 'uma', text: 'first line'}), 'the first line, sent');
		tmux.submit('chat', 'second line');
		await tmux.waitForPane('chat', pane => hasMessage(pane, {transport: 'udp', from: 'uma', text: 'second line'}), 'the second line, sent');

		tmux.press('chat', 'Up');
		await tmux.waitForPane('chat', pane => inputText(pane) === 'second line', 'the last line recalled');
		tmux.press('chat', 'Up');
		await tmux.waitForPane('chat', pane => inputText(pane) === 'first line', 'the first line recalled');
		tmux.press('chat', 'Enter');
		await tmux.waitForPane('chat', pane => texts(pane).filter(text => text === 'first line').length === 2, 'the first line sent again');

		const lines = await peerLines(nc, 4, 'nc');
		expect(lines.filter(line => !greetingLine.test(line))).toEqual(['first line', 'second line', 'first line']);
	});

	it('scrolls back with PageUp to messages that scrolled off, holds the view while new ones arrive and counts them, and returns to live with End', async () => {
		const [port] = await portTuple(1);
		tmux.start('chat', chat('--port', String(port), '-n', 'vera'), {width: 100, height: 20});
		await tmux.waitForPane('chat', pane => hasStatus(pane, `port ${port}`), 'the status bar');

		const first = peers.spawn('python3', ['-c', datagramSender, String(port), 'msg', '1', '60']);
		expect(await waitForExitCode(first)).toBe(0);
		let pane = await tmux.waitForPane('chat', pane => texts(pane).includes('msg 60') && hasStatus(pane, /^in 60 out \d+$/), 'all 60 datagrams');
		expect(texts(pane)).not.toContain('msg 1');

		for (let press = 0; !texts(pane).includes('msg 1'); press++) {
			expect(press, 'PageUp presses before "msg 1" shows').toBeLessThan(10);
			const before = pane;
			tmux.press('chat', 'PPage');
			// eslint-disable-next-line no-await-in-loop
			pane = await tmux.waitForPane('chat', now => now !== before && scrolledUp.test(now), 'the view to move up');
		}

		expect(pane).toMatch(scrolledUp);
		const held = texts(pane);
		expect(held).not.toContain('msg 60');

		const late = peers.spawn('python3', ['-c', datagramSender, String(port), 'late', '1', '3']);
		expect(await waitForExitCode(late)).toBe(0);
		pane = await tmux.waitForPane('chat', pane => hasStatus(pane, /^in 63 out \d+$/), 'the three late datagrams to arrive');
		// The frame that counts them may come a moment after the status bar's.
		pane = await tmux.waitForPane('chat', pane => scrolledUp.exec(pane)?.[1] === '3', 'the marker to count the 3 new messages');
		expect(texts(pane)).toEqual(held);

		tmux.press('chat', 'End');
		pane = await tmux.waitForPane('chat', pane => texts(pane).includes('late 3') && !scrolledUp.test(pane), 'the live view with the newest message');
		expect(texts(pane).at(-1)).toBe('late 3');
	});

	it('--log writes every sent and received message once, with its time, transport and sender', async () => {
		const dir = tempDir('tui-netchat-log-');
		const logFile = join(dir, 'chat.log');
		const started = Date.now();
		const {portB} = await chattingPair(['--log', logFile]);
		tmux.submit('bob', '你好，log');
		await tmux.waitForPane('alice', pane => hasMessage(pane, {transport: 'udp', from: 'bob', text: '你好，log'}), "bob's second message");
		tmux.submit('alice', 'second from alice');
		await tmux.waitForPane('alice', pane => hasMessage(pane, {transport: 'udp', from: 'alice', text: 'second from alice'}), "alice's second line, sent");
		await tmux.waitForPane('bob', pane => hasMessage(pane, {transport: 'udp', from: 'alice', text: 'second from alice'}), "alice's second message");

		const log = readFileSync(logFile, 'utf8');
		expect(log.endsWith('\n')).toBe(true);
		const rows = log.slice(0, -1).split('\n');
		const bob = `127\\.0\\.0\\.1:${portB}`;
		const expected = [
			// The first line comes before bob's greeting: the log may name him by his address.
			{text: 'hello alice', pattern: new RegExp(`^(\\S+) udp from ${bob} <(bob|${bob})> hello alice$`)},
			{text: 'hello bob', pattern: new RegExp(`^(\\S+) udp to ${bob} <alice> hello bob$`)},
			{text: '你好，log', pattern: new RegExp(`^(\\S+) udp from ${bob} <bob> 你好，log$`)},
			{text: 'second from alice', pattern: new RegExp(`^(\\S+) udp to ${bob} <alice> second from alice$`)},
		];
		for (const {text, pattern} of expected) {
			const found = rows.filter(row => row.endsWith(` ${text}`));
			expect(found, `log rows for "${text}" in:\n${log}`).toHaveLength(1);
			const match = pattern.exec(found[0] ?? '');
			expect(match, `log row for "${text}": ${found[0] ?? ''}`).not.toBeNull();
			const time = Date.parse(match?.[1] ?? '');
			expect(time).toBeGreaterThanOrEqual(started - 1000);
			expect(time).toBeLessThanOrEqual(Date.now());
		}
	});

	it('/peers lists the peers with nick, address and transport', async () => {
		const {portA, portB} = await chattingPair();
		tmux.submit('bob', '/peers');
		await tmux.waitForPane(
			'bob',
			pane => pane.includes('1 peer ') && new RegExp(`-!- +1\\. alice 127\\.0\\.0\\.1:${portA} udp tui-netchat, last heard \\d+s ago`).test(pane),
			'the peer list',
		);
		tmux.submit('alice', '/peers');
		await tmux.waitForPane(
			'alice',
			pane => pane.includes('1 peer ') && new RegExp(`-!- +1\\. bob 127\\.0\\.0\\.1:${portB} udp tui-netchat, last heard \\d+s ago`).test(pane),
			'the peer list',
		);
	});

	it('/help lists every command and Ctrl+T', async () => {
		const [port] = await portTuple(1);
		// Tall enough for the whole list, IRC commands included.
		tmux.start('chat', chat('--port', String(port), '-n', 'wes'), {width: 160, height: 120});
		await tmux.waitForPane('chat', pane => hasStatus(pane, `port ${port}`), 'the status bar');
		tmux.submit('chat', '/help');
		const pane = await tmux.waitForPane('chat', pane => /-!- +Ctrl\+C +quit/.test(pane), 'the end of the help');
		for (const command of ['/help', '/nick', '/connect', '/proto', '/me', '/peers', '/clear', '/quit', '/server', '/join', '/part', '/topic', '/names']) {
			expect(pane, command).toMatch(new RegExp(`-!- +${command.replace('/', '\\/')}\\b`));
		}

		expect(pane).toMatch(/-!- +Ctrl\+T +switch between UDP and TCP/);
		expect(statusFields(pane)).toContain('in 0 out 0');
	});

	it('answers an unknown /frobnicate with a hint naming /help and sends nothing', async () => {
		const {nc, ncPort, chatPort} = await ncListener();
		tmux.start('chat', chat('--port', String(chatPort), '--peer', `127.0.0.1:${ncPort}`, '-n', 'xena'));
		await tmux.waitForPane('chat', pane => hasStatus(pane, 'UDP') && hasStatus(pane, `to 127.0.0.1:${ncPort}`), 'the status bar');

		tmux.submit('chat', '/frobnicate');
		const pane = await tmux.waitForPane('chat', pane => /-!- .*\/frobnicate.*\/help/.test(pane.replace(/\n\s+/g, ' ')), 'the hint');
		expect(messages(pane)).toEqual([]);
		expect(statusFields(pane)).toContain('in 0 out 0');

		// Whatever nc gets first is the next real message: the command went nowhere.
		tmux.submit('chat', 'after the typo');
		const lines = await peerLines(nc, 1, 'nc');
		expect(lines[0]).toBe('after the typo');
		expect(nc.stdout().toString('utf8')).not.toContain('frobnicate');
	});
});
