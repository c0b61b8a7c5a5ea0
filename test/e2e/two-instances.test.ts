import {createSocket} from 'node:dgram';
import {afterEach, beforeAll, describe, expect, it} from 'vitest';
import {defaultPort} from '../../source/cli/options.js';
import {canBind, freePorts, holdTcp, holdUdp} from '../helpers/ports.js';
import {Tmux} from '../helpers/tmux.js';
import {waitFor} from '../helpers/wait.js';
import {chatCommand, hasMessage, loopbackAnyPort, requireBuiltCli, statusBar} from './support.js';

const tmux = new Tmux('two');
const releases: Array<() => Promise<void>> = [];

beforeAll(requireBuiltCli);

afterEach(async () => {
	tmux.kill();
	await Promise.all(releases.splice(0).map(async release => release()));
});

describe('two tui-netchat instances in real terminals', () => {
	it('chat both ways over UDP, switch to TCP and back with Ctrl+T, quit on Ctrl+C with exit code 0 and free their ports', async () => {
		const [portA, portB] = await freePorts(2);
		if (portA === undefined || portB === undefined) {
			throw new Error('no free ports');
		}

		tmux.startInShell('alice', chatCommand('--port', String(portA), '-n', 'alice'));
		tmux.startInShell('bob', chatCommand('--port', String(portB), '--peer', `127.0.0.1:${portA}`, '-n', 'bob'));
		await tmux.waitForPane('alice', pane => statusBar(pane).startsWith('UDP · ^T TCP · to nobody yet') && statusBar(pane).includes(`port ${portA}`), 'the UDP status bar');
		await tmux.waitForPane('bob', pane => statusBar(pane).startsWith(`UDP · ^T TCP · to 127.0.0.1:${portA}`) && statusBar(pane).includes(`port ${portB}`), 'the UDP status bar');

		// UDP, bob -> alice. bob's greeting follows his first message, so alice shows it under his nick.
		tmux.submit('bob', '你好，世界');
		await tmux.waitForPane('alice', pane => hasMessage(pane, {transport: 'udp', from: 'bob', text: '你好，世界'}), "bob's UDP message");
		await tmux.waitForPane('bob', pane => hasMessage(pane, {transport: 'udp', from: 'bob', text: '你好，世界'}), 'bob’s own line, sent');
		// Alice has no --peer: her reply goes to whoever wrote last, at the address bob wrote from.
		await tmux.waitForPane('alice', pane => statusBar(pane).includes(`reply to bob (127.0.0.1:${portB})`), 'reply target in the status bar');
		tmux.submit('alice', 'hi bob, 收到');
		await tmux.waitForPane('bob', pane => hasMessage(pane, {transport: 'udp', from: 'alice', text: 'hi bob, 收到'}), "alice's UDP reply");
		await tmux.waitForPane('alice', pane => hasMessage(pane, {transport: 'udp', from: 'alice', text: 'hi bob, 收到'}), 'alice’s own line, sent');

		// Ctrl+T: both switch to TCP.
		tmux.press('alice', 'C-t');
		tmux.press('bob', 'C-t');
		await tmux.waitForPane('alice', pane => statusBar(pane).startsWith('TCP · ^T UDP · '), 'TCP in the status bar');
		await tmux.waitForPane('bob', pane => statusBar(pane).startsWith('TCP · ^T UDP · ') && statusBar(pane).includes('tcp connected'), 'TCP connected in the status bar');

		tmux.submit('bob', 'over tcp 你好');
		await tmux.waitForPane('alice', pane => hasMessage(pane, {transport: 'tcp', from: 'bob', text: 'over tcp 你好'}), "bob's TCP message");
		await tmux.waitForPane('bob', pane => hasMessage(pane, {transport: 'tcp', from: 'bob', text: 'over tcp 你好'}), 'bob’s own TCP line, sent');
		tmux.submit('alice', 'tcp reply 好的');
		await tmux.waitForPane('bob', pane => hasMessage(pane, {transport: 'tcp', from: 'alice', text: 'tcp reply 好的'}), "alice's TCP reply");
		await tmux.waitForPane('alice', pane => hasMessage(pane, {transport: 'tcp', from: 'alice', text: 'tcp reply 好的'}), 'alice’s own TCP line, sent');

		// Ctrl+T again: back to UDP, and the chat still works both ways.
		tmux.press('alice', 'C-t');
		tmux.press('bob', 'C-t');
		await tmux.waitForPane('alice', pane => statusBar(pane).startsWith('UDP · ^T TCP · '), 'UDP in the status bar again');
		await tmux.waitForPane('bob', pane => statusBar(pane).startsWith('UDP · ^T TCP · '), 'UDP in the status bar again');
		tmux.submit('bob', 'udp again');
		await tmux.waitForPane('alice', pane => hasMessage(pane, {transport: 'udp', from: 'bob', text: 'udp again'}), "bob's second UDP message");
		tmux.submit('alice', 'udp back');
		await tmux.waitForPane('bob', pane => hasMessage(pane, {transport: 'udp', from: 'alice', text: 'udp back'}), "alice's second UDP reply");

		// Ctrl+C quits cleanly and gives the ports back.
		tmux.press('alice', 'C-c');
		tmux.press('bob', 'C-c');
		expect(await tmux.waitForExit('alice')).toBe(0);
		expect(await tmux.waitForExit('bob')).toBe(0);
		await waitFor(async () => (await canBind(portA)) && (await canBind(portB)), {what: `ports ${portA} and ${portB} to be free again`});
	}, 90_000);

	it(`takes a free port and shows it in the status bar when the default port ${defaultPort} is busy`, async () => {
		// Make the default port busy for certain: hold what we can of it; whatever we cannot hold, someone else has.
		for (const hold of [holdTcp, holdUdp]) {
			try {
				releases.push(await hold(defaultPort, '127.0.0.1'));
			} catch {
				// Already taken by another process: busy either way.
			}
		}

		expect(await canBind(defaultPort), `port ${defaultPort} should be busy for this test`).toBe(false);

		tmux.start('carol', chatCommand('-n', 'carol'));
		const pane = await tmux.waitForPane('carol', pane => /· port \d+\b/.test(statusBar(pane)), 'a port in the status bar');
		const port = Number(/· port (\d+)\b/.exec(statusBar(pane))?.[1]);
		expect(port).toBeGreaterThan(0);
		expect(port).not.toBe(defaultPort);
		const text = pane.replace(/\n\s+/g, ' ');
		expect(text).toContain(`Listening on UDP and TCP port ${port}`);
		expect(text).toContain(`Port ${defaultPort} was busy`);

		// The port shown is the one it listens on.
		const socket = createSocket('udp4');
		try {
			socket.send('ping the shown port\n', port, '127.0.0.1');
			await tmux.waitForPane('carol', pane => hasMessage(pane, {transport: 'udp', from: loopbackAnyPort, text: 'ping the shown port'}), 'a datagram sent to the shown port');
		} finally {
			socket.close();
		}
	});
});
