import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {isListening} from '../helpers/ports.js';
import {waitFor} from '../helpers/wait.js';
import {
	hasMessage,
	hasStatus,
	inputText,
	loopbackAnyPort,
	messages,
	peerLines,
	portTuple,
	statusFields,
	waitForExitCode,
	e2eSession,
} from './support.js';

const {tmux, peers, chat, stateDir} = e2eSession('trust');

// A harmless line first, to see that the screen is not cleared afterwards.
const earlierLineSender = `
import socket, sys
port = int(sys.argv[1])
sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sender.sendto(b'earlier line\\n', ('127.0.0.1', port))
sender.close()
`;

// One datagram of hostile bytes: set the title (OSC 2 and OSC 0), write the clipboard (OSC 52), clear the
// screen and home the cursor (CSI 2J, CSI H), turn text red (SGR 31).
const hostilePayload = `
import socket, sys
port = int(sys.argv[1])
sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
payload = b'\\x1b]2;PWNED\\x07\\x1b]0;PWNED0\\x07\\x1b]52;c;cHduZWQ=\\x07\\x1b[2J\\x1b[H\\x1b[31mred alert\\x1b[0m tail\\n'
sender.sendto(payload, ('127.0.0.1', port))
sender.close()
`;

// 5 MB without a newline, then the end of that line and a short one, over one TCP connection.
const hugeLineSender = `
import socket, sys
port = int(sys.argv[1])
client = socket.create_connection(('127.0.0.1', port))
client.sendall(b'x' * (5 * 1024 * 1024))
client.sendall(b'\\nafter\\n')
client.close()
`;

describe('what peers send is not trusted', () => {
	it('shows escape sequences in a datagram as visible text: no title change, no clipboard write, no cleared screen', async () => {
		const [port] = await portTuple(1);
		tmux.start('chat', chat('--port', String(port), '-n', 'dana'));
		// Let applications write tmux's clipboard, so an OSC 52 that got through would show as a paste buffer.
		tmux.run('set-option', '-s', 'set-clipboard', 'on');
		await tmux.waitForPane('chat', pane => hasStatus(pane, `port ${port}`), 'the status bar');
		const title = tmux.display('chat', '#{pane_title}');

		expect(await waitForExitCode(peers.spawn('python3', ['-c', earlierLineSender, String(port)]))).toBe(0);
		await tmux.waitForPane('chat', pane => hasMessage(pane, {transport: 'udp', from: loopbackAnyPort, text: 'earlier line'}), 'the earlier line');

		expect(await waitForExitCode(peers.spawn('python3', ['-c', hostilePayload, String(port)]))).toBe(0);
		const pane = await tmux.waitForPane('chat', pane => pane.includes('red alert'), 'the hostile message');
		const hostile = messages(pane).find(message => message.text.includes('red alert'));
		expect(hostile?.text).toBe('␛]2;PWNED␇␛]0;PWNED0␇␛]52;c;cHduZWQ=␇␛[2J␛[H␛[31mred alert␛[0m tail');
		// The screen was not cleared: the earlier line and the start-up lines are still there.
		expect(hasMessage(pane, {transport: 'udp', from: loopbackAnyPort, text: 'earlier line'})).toBe(true);
		expect(pane).toContain('Listening on UDP and TCP port');
		expect(tmux.display('chat', '#{pane_title}')).toBe(title);
		expect(tmux.display('chat', '#{pane_title}')).not.toContain('PWNED');
		expect(tmux.run('list-buffers')).toBe('');
	});

	it('stays responsive through a 5 MB line over TCP, shows it cut with a marker, and shows the next line', async () => {
		const [port] = await portTuple(1);
		const logFile = join(stateDir(), 'chat.log');
		tmux.start('chat', chat('--port', String(port), '-n', 'eli', '--log', logFile));
		await tmux.waitForPane('chat', pane => hasStatus(pane, `port ${port}`), 'the status bar');

		const python = peers.spawn('python3', ['-c', hugeLineSender, String(port)]);
		tmux.type('chat', 'still typing');
		await tmux.waitForPane('chat', pane => inputText(pane) === 'still typing', 'the typed text in the input', {timeout: 3000});
		const pane = await tmux.waitForPane('chat', pane => hasMessage(pane, {transport: 'tcp', from: loopbackAnyPort, text: 'after'}), 'the line after the huge one');
		// The marker may wrap onto a continuation row.
		expect(pane.replace(/\n\s+/g, ' ')).toMatch(/\[… (line cut|\d+ more characters( in the log)?)\]/);
		expect(await waitForExitCode(python)).toBe(0);
		// The connection cut the line at 64 KiB and skipped the rest: the log, which keeps whole messages, has
		// the cut line, not 5 MB.
		const long = readFileSync(logFile, 'utf8')
			.split('\n')
			.filter(row => row.includes('xxxxxxxx'));
		expect(long).toHaveLength(1);
		expect(long[0]).toMatch(/ tcp from 127\.0\.0\.1:\d+ <127\.0\.0\.1:\d+> x+ \[… line cut\]$/);
		expect(long[0]?.length).toBeLessThan(70_000);

		// Still answering keys after the flood.
		tmux.type('chat', ' and more');
		await tmux.waitForPane('chat', pane => inputText(pane) === 'still typing and more', 'more typed text in the input', {timeout: 3000});
	});

	it('delivers messages typed while the TCP peer is down exactly once when it comes up, and drops their pending mark', async () => {
		const [portA, portB] = await portTuple(2);
		tmux.start('bob', chat('--port', String(portB), '--peer', `127.0.0.1:${portA}`, '--protocol', 'tcp', '-n', 'bob'));
		await tmux.waitForPane('bob', pane => hasStatus(pane, /^tcp retry in \d+s$/), 'a retry countdown in the status bar');

		tmux.submit('bob', 'one');
		await tmux.waitForPane('bob', pane => pane.includes('<bob> one (pending)'), 'one, pending');
		tmux.submit('bob', 'two');
		await tmux.waitForPane('bob', pane => pane.includes('<bob> two (pending)'), 'two, pending');
		await tmux.waitForPane('bob', pane => hasStatus(pane, /^tcp retry in \d+s$/), 'the retry countdown');
		expect(isListening(portA, 'tcp')).toBe(false);

		tmux.start('alice', chat('--port', String(portA), '--protocol', 'tcp', '-n', 'alice'));
		await tmux.waitForPane(
			'alice',
			pane => ['one', 'two'].every(text => hasMessage(pane, {transport: 'tcp', from: 'bob', text})),
			'one and two from bob',
			{timeout: 15_000},
		);
		await tmux.waitForPane(
			'bob',
			pane => ['one', 'two'].every(text => hasMessage(pane, {transport: 'tcp', from: 'bob', text})) && !pane.includes('(pending)'),
			'one and two without the pending mark',
		);

		// A later message on the same connection: anything resent before it would show before it.
		tmux.submit('bob', 'three');
		const pane = await tmux.waitForPane('alice', pane => hasMessage(pane, {transport: 'tcp', from: 'bob', text: 'three'}), 'three from bob');
		expect(messages(pane).map(message => message.text)).toEqual(['one', 'two', 'three']);
	});

	describe('--secret', () => {
		const secret = 'correct horse battery staple';
		const sealedStatus = /^(UDP|TCP) sealed ([\da-f]{8})$/;

		it('lets two peers with the same secret chat, and shows "sealed" with the same key fingerprint on both', async () => {
			const [portA, portB] = await portTuple(2);
			tmux.start('alice', chat('--port', String(portA), '--secret', secret, '-n', 'alice'));
			tmux.start('bob', chat('--port', String(portB), '--peer', `127.0.0.1:${portA}`, '--secret', secret, '-n', 'bob'));
			const alice = await tmux.waitForPane('alice', pane => hasStatus(pane, sealedStatus), 'sealed in the status bar');
			const bob = await tmux.waitForPane('bob', pane => hasStatus(pane, sealedStatus), 'sealed in the status bar');
			const fingerprint = sealedStatus.exec(statusFields(alice)[0] ?? '')?.[2];
			expect(sealedStatus.exec(statusFields(bob)[0] ?? '')?.[2]).toBe(fingerprint);
			expect(alice).not.toContain(secret);

			tmux.submit('bob', '机密 hello alice');
			await tmux.waitForPane('alice', pane => hasMessage(pane, {transport: 'udp', from: 'bob', text: '机密 hello alice'}), "bob's sealed message");
			await tmux.waitForPane('bob', pane => hasMessage(pane, {transport: 'udp', from: 'bob', text: '机密 hello alice'}), "bob's own line, sent");
			tmux.submit('alice', 'sealed reply');
			await tmux.waitForPane('bob', pane => hasMessage(pane, {transport: 'udp', from: 'alice', text: 'sealed reply'}), "alice's sealed reply");
			await tmux.waitForPane('alice', pane => hasMessage(pane, {transport: 'udp', from: 'alice', text: 'sealed reply'}), "alice's own line, sent");
		});

		it('sends a plain `nc -u -l` only sealed %tnc1: lines, never the plaintext', async () => {
			const [ncPort, portC] = await portTuple(2);
			const nc = peers.spawn('nc', ['-u', '-l', '127.0.0.1', String(ncPort)]);
			await waitFor(() => isListening(ncPort, 'udp'), {what: `nc -u -l on port ${ncPort}`});
			tmux.start('carol', chat('--port', String(portC), '--peer', `127.0.0.1:${ncPort}`, '--secret', secret, '-n', 'carol'));
			await tmux.waitForPane('carol', pane => hasStatus(pane, sealedStatus), 'sealed in the status bar');

			tmux.submit('carol', 'the plan 计划');
			await tmux.waitForPane('carol', pane => hasMessage(pane, {transport: 'udp', from: 'carol', text: 'the plan 计划'}), 'the own line, sent');
			tmux.submit('carol', 'second secret');
			await tmux.waitForPane('carol', pane => hasMessage(pane, {transport: 'udp', from: 'carol', text: 'second secret'}), 'the second line, sent');

			// The two messages and, after the first, the greeting.
			const lines = await peerLines(nc, 3, 'nc');
			for (const line of lines) {
				expect(line).toMatch(/^%tnc1:[\w-]+$/);
			}

			const received = nc.stdout().toString('utf8');
			for (const plain of ['plan', '计划', 'second', 'carol', 'tui-netchat']) {
				expect(received).not.toContain(plain);
			}
		});

		it('refuses a peer with another secret: its messages never show, one "Rejected data from" line does', async () => {
			const [portA, portB, portM] = await portTuple(3);
			tmux.start('alice', chat('--port', String(portA), '--secret', secret, '-n', 'alice'));
			tmux.start('bob', chat('--port', String(portB), '--peer', `127.0.0.1:${portA}`, '--secret', secret, '-n', 'bob'));
			tmux.start('mallory', chat('--port', String(portM), '--peer', `127.0.0.1:${portA}`, '--secret', 'not the secret', '-n', 'mallory'));
			const alice = await tmux.waitForPane('alice', pane => hasStatus(pane, sealedStatus), 'sealed in the status bar');
			const mallory = await tmux.waitForPane('mallory', pane => hasStatus(pane, sealedStatus), 'sealed in the status bar');
			await tmux.waitForPane('bob', pane => hasStatus(pane, sealedStatus), 'sealed in the status bar');
			expect(sealedStatus.exec(statusFields(mallory)[0] ?? '')?.[2]).not.toBe(sealedStatus.exec(statusFields(alice)[0] ?? '')?.[2]);

			tmux.submit('mallory', 'let me in');
			await tmux.waitForPane('mallory', pane => hasMessage(pane, {transport: 'udp', from: 'mallory', text: 'let me in'}), 'the own line, sent');
			await tmux.waitForPane('alice', pane => pane.includes(`Rejected data from 127.0.0.1:${portM}`), 'the rejection');
			tmux.submit('mallory', 'let me in again');
			await tmux.waitForPane('mallory', pane => hasMessage(pane, {transport: 'udp', from: 'mallory', text: 'let me in again'}), 'the second own line, sent');

			// bob writes after mallory's second datagram is in alice's socket: once bob's shows, mallory's was read.
			tmux.submit('bob', 'a real message');
			const pane = await tmux.waitForPane('alice', pane => hasMessage(pane, {transport: 'udp', from: 'bob', text: 'a real message'}), "bob's message");
			expect(messages(pane).map(message => message.text)).toEqual(['a real message']);
			expect(pane).not.toContain('let me in');
			expect(pane.split('\n').filter(row => row.includes('Rejected data from'))).toHaveLength(1);
			expect(hasStatus(pane, /^in 1 out \d+$/)).toBe(true);
		});
	});
});
