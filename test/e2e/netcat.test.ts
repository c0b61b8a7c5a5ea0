import {afterEach, beforeAll, describe, expect, it} from 'vitest';
import {freePorts, isListening} from '../helpers/ports.js';
import {Tmux} from '../helpers/tmux.js';
import {waitFor} from '../helpers/wait.js';
import {chatCommand, hasMessage, loopbackAnyPort, Peers, requireBuiltCli, statusBar, waitForExitCode, type Peer} from './support.js';

const tmux = new Tmux('nc');
const peers = new Peers();

beforeAll(requireBuiltCli);

afterEach(async () => {
	tmux.kill();
	await peers.killAll();
});

async function twoPorts(): Promise<[number, number]> {
	const [first, second] = await freePorts(2);
	if (first === undefined || second === undefined) {
		throw new Error('no free ports');
	}

	return [first, second];
}

/**
 * Waits until netcat has printed `count` lines and returns them. netcat prints the bytes it received, so
 * they must be valid UTF-8 that decodes and re-encodes to the very same bytes.
 */
async function ncLines(nc: Peer, count: number): Promise<string[]> {
	const lines = () => nc.stdout().toString('utf8').split('\n').length - 1;
	await waitFor(() => lines() >= count, {
		what: `netcat to print ${count} lines`,
		describe: () => `netcat stdout so far: ${JSON.stringify(nc.stdout().toString('utf8'))}\nstderr: ${nc.stderr()}`,
	});
	const bytes = nc.stdout();
	const text = bytes.toString('utf8');
	expect(Buffer.from(text, 'utf8').equals(bytes), 'netcat got valid UTF-8').toBe(true);
	return text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
}

/**
 * The one line tui-netchat adds after its first message to a peer (see "Wire format" in the readme);
 * anything else netcat gets is exactly what was typed.
 */
function greeting(nick: string, port: number): RegExp {
	return new RegExp(`^\\*\\*\\* ${nick} is here via tui-netchat \\(tnc/\\d+ port ${port}\\)$`);
}

describe('interop with OpenBSD netcat and ncat', () => {
	it("shows a datagram from `printf 'hi\\n' | nc -u -w1` as the message hi", async () => {
		const [port] = await twoPorts();
		tmux.start('chat', chatCommand('--port', String(port), '-n', 'erin'));
		await tmux.waitForPane('chat', pane => statusBar(pane).includes(`port ${port}`), 'the status bar');

		const nc = peers.shell(`printf 'hi\\n' | nc -u -w1 127.0.0.1 ${port}`);
		const pane = await tmux.waitForPane('chat', pane => hasMessage(pane, {transport: 'udp', from: loopbackAnyPort, text: 'hi'}), 'the message hi');
		expect(statusBar(pane)).toContain('in 1 out 0');
		expect(await waitForExitCode(nc)).toBe(0);
	});

	it('sends typed lines to `nc -u -l` as exactly their text and a newline (plus one greeting line), and shows what nc sends back', async () => {
		const [ncPort, chatPort] = await twoPorts();
		const nc = peers.spawn('nc', ['-u', '-l', '127.0.0.1', String(ncPort)]);
		await waitFor(() => isListening(ncPort, 'udp'), {what: `nc -u -l on port ${ncPort}`});

		tmux.start('chat', chatCommand('--port', String(chatPort), '--peer', `127.0.0.1:${ncPort}`, '-n', 'frank'));
		await tmux.waitForPane('chat', pane => statusBar(pane).startsWith(`UDP · ^T TCP · to 127.0.0.1:${ncPort}`), 'the status bar');

		tmux.submit('chat', 'hello nc 你好');
		await tmux.waitForPane('chat', pane => hasMessage(pane, {transport: 'udp', from: 'frank', text: 'hello nc 你好'}), 'the own line, sent');
		expect(await ncLines(nc, 2)).toEqual(['hello nc 你好', expect.stringMatching(greeting('frank', chatPort))]);
		// The first datagram is the typed text and a newline, byte for byte.
		expect(nc.stdout().subarray(0, Buffer.byteLength('hello nc 你好\n')).equals(Buffer.from('hello nc 你好\n', 'utf8'))).toBe(true);
		tmux.submit('chat', '第二 message');
		const sent = await ncLines(nc, 3);
		expect(sent[2]).toBe('第二 message');

		// nc -u -l now answers the sender of its first datagram: our port.
		nc.write('from nc 再见\n');
		await tmux.waitForPane('chat', pane => hasMessage(pane, {transport: 'udp', from: `127.0.0.1:${ncPort}`, text: 'from nc 再见'}), "nc's line");
		// Nothing more went to nc: no second greeting, no tags.
		expect(await ncLines(nc, 3)).toEqual(sent);
	});

	it('sends typed lines to `nc -l` over TCP as plain newline-ended text (plus one greeting line), and shows a line typed in nc', async () => {
		const [ncPort, chatPort] = await twoPorts();
		const nc = peers.spawn('nc', ['-l', '127.0.0.1', String(ncPort)]);
		await waitFor(() => isListening(ncPort, 'tcp'), {what: `nc -l on port ${ncPort}`});

		tmux.start('chat', chatCommand('--port', String(chatPort), '--peer', `127.0.0.1:${ncPort}`, '--protocol', 'tcp', '-n', 'grace'));
		await tmux.waitForPane(
			'chat',
			pane => statusBar(pane).startsWith(`TCP · ^T UDP · to 127.0.0.1:${ncPort}`) && statusBar(pane).includes('tcp connected'),
			'a TCP connection to nc',
		);

		tmux.submit('chat', 'first over tcp');
		await tmux.waitForPane('chat', pane => hasMessage(pane, {transport: 'tcp', from: 'grace', text: 'first over tcp'}), 'the first own line, sent');
		tmux.submit('chat', '第二 line');
		const sent = await ncLines(nc, 3);
		expect(sent).toEqual(['first over tcp', expect.stringMatching(greeting('grace', chatPort)), '第二 line']);

		nc.write('typed in nc\n');
		await tmux.waitForPane('chat', pane => hasMessage(pane, {transport: 'tcp', from: `127.0.0.1:${ncPort}`, text: 'typed in nc'}), "nc's line");
		expect(await ncLines(nc, 3)).toEqual(sent);
	});

	it('chats through an `ncat --chat` broker: <userN> shows as the sender and its octal escapes are undone', async () => {
		const [brokerPort, chatPort] = await twoPorts();
		peers.spawn('ncat', ['-l', '127.0.0.1', String(brokerPort), '--chat']);
		await waitFor(() => isListening(brokerPort, 'tcp'), {what: `ncat --chat on port ${brokerPort}`});

		tmux.start('chat', chatCommand('--port', String(chatPort), '--peer', `127.0.0.1:${brokerPort}`, '--protocol', 'tcp', '-n', 'lena'));
		await tmux.waitForPane('chat', pane => statusBar(pane).startsWith('TCP · ^T UDP · ') && statusBar(pane).includes('tcp connected'), 'a TCP connection to ncat');

		// A second chat member: plain nc. ncat announces it to us, then relays its lines as "<userN> ...".
		const member = peers.spawn('nc', ['127.0.0.1', String(brokerPort)]);
		await tmux.waitForPane('chat', pane => /-!- ncat: 127\.0\.0\.1 is connected as <user\d+>/.test(pane), "ncat's announcement");
		member.write('你好 from the broker\n');
		await tmux.waitForPane('chat', pane => hasMessage(pane, {transport: 'tcp', from: /^user\d+$/, text: '你好 from the broker'}), "the member's line");

		tmux.submit('chat', 'hi from lena');
		await waitFor(() => /^<user\d+> hi from lena$/m.test(member.stdout().toString('utf8')), {
			what: 'the member to get our line from ncat',
			describe: () => `member stdout: ${JSON.stringify(member.stdout().toString('utf8'))}`,
		});
	});
});
