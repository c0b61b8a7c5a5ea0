import {afterEach, beforeAll, describe, expect, it} from 'vitest';
import {freePort} from '../helpers/ports.js';
import {Tmux} from '../helpers/tmux.js';
import {chatCommand, hasMessage, loopbackAnyPort, Peers, requireBuiltCli, statusBar, waitForExitCode} from './support.js';

const tmux = new Tmux('py');
const peers = new Peers();

beforeAll(requireBuiltCli);

afterEach(async () => {
	tmux.kill();
	await peers.killAll();
});

// The classic socket tutorial's clients, as people paste them; only the port comes from argv, and the UDP
// client gets a timeout so a lost reply fails the test instead of hanging it.
const udpClient = `
import socket, sys
port = int(sys.argv[1])
client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
client.settimeout(10)
text = '你好 from python'
client.sendto(text.encode('utf-8'), ('127.0.0.1', port))
data, addr = client.recvfrom(1024)
print(data.decode('utf-8'))
client.close()
`;

const tcpClient = `
import socket, sys
port = int(sys.argv[1])
client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
client.connect(('127.0.0.1', port))
client.send('吃了吗'.encode('utf-8'))
client.close()
`;

describe('interop with tutorial-style python3 socket scripts', () => {
	it('shows a datagram from a python UDP client and sends the typed reply back to it as the last sender', async () => {
		const port = await freePort();
		tmux.start('chat', chatCommand('--port', String(port), '--bind', '127.0.0.1', '-n', 'heidi'));
		await tmux.waitForPane('chat', pane => statusBar(pane).startsWith('UDP · ^T TCP · to nobody yet') && statusBar(pane).includes(`port ${port}`), 'the status bar');

		const python = peers.spawn('python3', ['-c', udpClient, String(port)]);
		await tmux.waitForPane('chat', pane => hasMessage(pane, {transport: 'udp', from: loopbackAnyPort, text: '你好 from python'}), "python's datagram");
		await tmux.waitForPane('chat', pane => /^UDP · \^T TCP · reply to 127\.0\.0\.1:\d+ ·/.test(statusBar(pane)), 'the reply target');

		tmux.submit('chat', '收到 python');
		expect(await waitForExitCode(python)).toBe(0);
		// The datagram is the text and a newline; print() adds one more.
		expect(python.stdout().toString('utf8')).toBe('收到 python\n\n');
	});

	it('shows text a python TCP client sent without a newline before closing as a message', async () => {
		const port = await freePort();
		tmux.start('chat', chatCommand('--port', String(port), '-n', 'ivan'));
		await tmux.waitForPane('chat', pane => statusBar(pane).includes(`port ${port}`), 'the status bar');

		const python = peers.spawn('python3', ['-c', tcpClient, String(port)]);
		expect(await waitForExitCode(python)).toBe(0);
		await tmux.waitForPane('chat', pane => hasMessage(pane, {transport: 'tcp', from: loopbackAnyPort, text: '吃了吗'}), 'the message 吃了吗');
	});
});
