import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {isListening} from '../helpers/ports.js';
import {waitFor} from '../helpers/wait.js';
import {
	hasMessage,
	hasStatus,
	loopbackAnyPort,
	portTuple,
	ruleText,
	waitForExitCode,
	e2eSession,
} from './support.js';

const {tmux, peers, chat} = e2eSession('foreign');

// ncat --chat writes bytes that are not printable ASCII as \ooo octal escapes.
const octalEscape = /\\[0-3][0-7]{2}/;

// The tutorial's GBK client: sends GBK bytes, waits for the reply and prints it as hex.
const gbkClient = `
import socket, sys
port = int(sys.argv[1])
client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
client.settimeout(15)
client.sendto('你好，GBK'.encode('gbk'), ('127.0.0.1', port))
data, addr = client.recvfrom(1024)
print(data.hex())
client.close()
`;

// The tutorial's UDP server: bound to one port, recvfrom(1024) in a loop. It writes each datagram (length
// and text, strictly decoded) as a line of JSON and stops once the text it was given has come whole.
const recvfromServer = `
import json, socket, sys
port, want = int(sys.argv[1]), sys.argv[2]
server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
server.bind(('127.0.0.1', port))
server.settimeout(10)
got = ''
while len(got) < len(want):
    try:
        data, addr = server.recvfrom(1024)
    except socket.timeout:
        print(json.dumps({'timeout': True, 'got': got}), flush=True)
        sys.exit(1)
    text = data.decode('utf-8')
    print(json.dumps({'bytes': len(data), 'text': text}), flush=True)
    line = text[:-1] if text.endswith('\\n') else text
    if not line.startswith('*** '):
        got += line
sys.exit(0)
`;

type Datagram = {readonly bytes: number; readonly text: string};

describe('foreign peers: ncat --chat, GBK senders, recvfrom(1024) servers', () => {
	it('reads Chinese text an ncat client sends through an `ncat -l --chat` broker as <userN> 你好，ncat', async () => {
		const [brokerPort, chatPort] = await portTuple(2);
		peers.spawn('ncat', ['-l', '127.0.0.1', String(brokerPort), '--chat']);
		await waitFor(() => isListening(brokerPort, 'tcp'), {what: `ncat --chat on port ${brokerPort}`});

		tmux.start('chat', chat('--port', String(chatPort), '--peer', `127.0.0.1:${brokerPort}`, '--protocol', 'tcp', '-n', 'amir'));
		await tmux.waitForPane('chat', pane => hasStatus(pane, 'TCP') && hasStatus(pane, 'tcp connected'), 'a TCP connection to the broker');

		const member = peers.spawn('ncat', ['127.0.0.1', String(brokerPort)]);
		await tmux.waitForPane('chat', pane => /-!- ncat: 127\.0\.0\.1 is connected as <user\d+>/.test(pane), "ncat's announcement of the member");
		member.write('你好，ncat\n');
		const pane = await tmux.waitForPane('chat', pane => hasMessage(pane, {transport: 'tcp', from: /^user\d+$/, text: '你好，ncat'}), "the member's line");
		expect(pane).not.toMatch(octalEscape);
	});

	it('shows what a GBK sender sends with --encoding gbk, and sends the typed reply back as GBK', async () => {
		const [port] = await portTuple(1);
		tmux.start('chat', chat('--port', String(port), '--encoding', 'gbk', '-n', 'bai'));
		await tmux.waitForPane('chat', pane => hasStatus(pane, `port ${port}`), 'the status bar');

		const python = peers.spawn('python3', ['-c', gbkClient, String(port)]);
		await tmux.waitForPane('chat', pane => hasMessage(pane, {transport: 'udp', from: loopbackAnyPort, text: '你好，GBK'}), 'the GBK message');
		await tmux.waitForPane('chat', pane => hasStatus(pane, /^reply to 127\.0\.0\.1:\d+$/), 'python as the reply target');

		tmux.submit('chat', '收到，GBK');
		expect(await waitForExitCode(python)).toBe(0);
		const reply = Buffer.from(python.stdout().toString('utf8').trim(), 'hex');
		expect(new TextDecoder('gbk', {fatal: true}).decode(reply)).toBe('收到，GBK\n');
		expect(reply.equals(Buffer.from('收到，GBK\n', 'utf8'))).toBe(false);
	});

	it('sends a typed 400-character Chinese message to a recvfrom(1024) server whole, in datagrams of at most 1024 bytes of valid UTF-8', async () => {
		const [serverPort, chatPort] = await portTuple(2);
		// 400 different ideographs, 3 bytes each in UTF-8: 1200 bytes, so the order of the pieces shows too.
		const text = Array.from({length: 400}, (_, index) => String.fromCodePoint(0x4E_00 + index * 7)).join('');
		const python = peers.spawn('python3', ['-c', recvfromServer, String(serverPort), text]);
		await waitFor(() => isListening(serverPort, 'udp'), {what: `the python server on port ${serverPort}`});

		tmux.start('chat', chat('--port', String(chatPort), '--peer', `127.0.0.1:${serverPort}`, '-n', 'chen'));
		await tmux.waitForPane('chat', pane => hasStatus(pane, 'UDP') && hasStatus(pane, `to 127.0.0.1:${serverPort}`), 'the status bar');

		tmux.type('chat', text);
		const pane = await tmux.waitForPane('chat', pane => ruleText(pane).includes('1200 B'), 'the draft size on the rule');
		expect(ruleText(pane)).toMatch(/1200 B: 2 datagrams of ≤1024 B/);

		tmux.press('chat', 'Enter');
		const code = await waitForExitCode(python, 15_000);
		const datagrams = python
			.stdout()
			.toString('utf8')
			.split('\n')
			.filter(line => line !== '')
			.map(line => JSON.parse(line) as Datagram);
		expect(code, `python got: ${JSON.stringify(datagrams)}\n${python.stderr()}`).toBe(0);
		const pieces = datagrams.filter(datagram => !datagram.text.startsWith('*** '));
		expect(pieces.map(piece => piece.text.replace(/\n$/, '')).join('')).toBe(text);
		for (const datagram of datagrams) {
			expect(datagram.bytes).toBeLessThanOrEqual(1024);
			expect(Buffer.byteLength(datagram.text)).toBe(datagram.bytes);
		}

		expect(pieces).toHaveLength(2);
	});
});
