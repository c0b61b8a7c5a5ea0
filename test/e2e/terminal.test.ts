import {createSocket} from 'node:dgram';
import {afterEach, beforeAll, describe, expect, it} from 'vitest';
import {freePort} from '../helpers/ports.js';
import {Tmux} from '../helpers/tmux.js';
import {chatCommand, requireBuiltCli, shellCommand, statusBar} from './support.js';
import {waitFor} from '../helpers/wait.js';

const tmux = new Tmux('term');

beforeAll(requireBuiltCli);

afterEach(() => {
	tmux.kill();
});

describe('the terminal', () => {
	it('is given back after Ctrl+C: main screen with the shell output again, cursor shown, tty modes as before', async () => {
		const port = await freePort();
		// A shell around the program, as a user has: it prints before, and after compares the tty settings.
		const script = [
			'echo "shell before chat"',
			'before=$(stty -g)',
			shellCommand(chatCommand('--port', String(port), '-n', 'kim')),
			'status=$?',
			'if [ "$(stty -g)" = "$before" ]; then echo "tty modes restored, exit $status"; else echo "tty modes changed, exit $status"; fi',
			'exec sleep 600',
		].join('\n');
		tmux.start('term', ['sh', '-c', script]);

		const running = await tmux.waitForPane('term', pane => statusBar(pane).startsWith('UDP · ^T TCP · ') && statusBar(pane).includes(`port ${port}`), 'the chat UI');
		expect(running).not.toContain('shell before chat');
		expect(tmux.display('term', '#{alternate_on}')).toBe('1');

		tmux.press('term', 'C-c');
		const after = await tmux.waitForPane('term', pane => pane.includes('tty modes'), 'the shell after the program');
		expect(after).toContain('tty modes restored, exit 0');
		expect(after).toContain('shell before chat');
		expect(after).not.toContain('^T TCP');
		expect(after).not.toContain('type a message');
		expect(tmux.display('term', '#{alternate_on} #{cursor_flag}')).toBe('0 1');
	});
});

describe('Ctrl+Z', () => {
	it('suspends to the shell, and fg brings the chat back as it was, with what came meanwhile', async () => {
		const port = await freePort();
		tmux.start('job', ['bash', '--norc', '--noprofile', '-i']);
		tmux.submit('job', `PS1='shell$ '; ${shellCommand(chatCommand('--port', String(port), '-n', 'zoe'))}`);
		await tmux.waitForPane('job', pane => statusBar(pane).includes(`port ${port}`), 'the chat UI');
		tmux.type('job', 'my draft');
		await tmux.waitForPane('job', pane => pane.includes('> my draft'), 'the draft');

		tmux.press('job', 'C-z');
		const stopped = await tmux.waitForPane('job', pane => /Stopped/.test(pane) && pane.trimEnd().endsWith('shell$'), 'the shell prompt after Ctrl+Z');
		expect(stopped).not.toContain('^T TCP');
		expect(tmux.display('job', '#{alternate_on}')).toBe('0');

		const socket = createSocket('udp4');
		await new Promise<void>(resolve => {
			socket.send('sent while stopped\n', port, '127.0.0.1', () => {
				resolve();
			});
		});
		socket.close();
		tmux.submit('job', 'fg');
		const back = await tmux.waitForPane('job', pane => pane.includes('sent while stopped') && statusBar(pane).includes(`port ${port}`), 'the chat after fg');
		expect(back).toContain('> my draft');
		expect(back).not.toContain('shell$');
		expect(tmux.display('job', '#{alternate_on}')).toBe('1');

		// Keys work again, and the frame drawn after fg did not land on the shell's screen.
		tmux.type('job', '!');
		await tmux.waitForPane('job', pane => pane.includes('> my draft!'), 'a key after fg');
		tmux.press('job', 'C-c');
		const after = await tmux.waitForPane('job', pane => (pane.match(/shell\$/g) ?? []).length >= 2, 'the shell after quitting');
		expect(after).not.toContain('sent while stopped');
	});
});

describe('TERM=dumb', () => {
	it('gets line mode: no alternate screen, messages as lines, typed lines sent, /quit asks first with undelivered messages', async () => {
		const port = await freePort();
		const peer = createSocket('udp4');
		const received: string[] = [];
		peer.on('message', data => received.push(data.toString()));
		await new Promise<void>(resolve => {
			peer.bind(0, '127.0.0.1', resolve);
		});
		const peerPort = peer.address().port;
		try {
			tmux.startInShell('dumb', ['env', 'TERM=dumb', ...chatCommand('--port', String(port), '-n', 'dee', '--peer', `127.0.0.1:${peerPort}`)]);
			await tmux.waitForPane('dumb', pane => pane.includes(`listening on UDP and TCP port ${port}`), 'line mode');
			expect(tmux.display('dumb', '#{alternate_on}')).toBe('0');

			peer.send('hi from udp\n', port, '127.0.0.1');
			await tmux.waitForPane('dumb', pane => /^\d\d:\d\d:\d\d <127\.0\.0\.1:\d+> hi from udp$/m.test(pane), 'the message as a line');
			tmux.submit('dumb', 'hello back');
			await waitFor(() => (received.includes('hello back\n') ? true : undefined), {what: 'the typed line at the peer'});

			// A TCP peer that is down keeps a message undelivered: /quit asks once.
			tmux.submit('dumb', `/connect 127.0.0.1:${await freePort()}`);
			tmux.submit('dumb', '/proto tcp');
			tmux.submit('dumb', 'kept for later');
			tmux.submit('dumb', '/quit');
			await tmux.waitForPane('dumb', pane => /1 message is not delivered yet: it is kept; \/quit again to quit/.test(pane), 'the warning');
			tmux.submit('dumb', '/quit');
			expect(await tmux.waitForExit('dumb')).toBe(0);
			expect(tmux.capture('dumb')).not.toContain('─');
		} finally {
			peer.close();
		}
	});

	it('draws rules and marks in ASCII when the locale is not UTF-8 (LANG=C)', async () => {
		const port = await freePort();
		tmux.start('ascii', ['env', '-u', 'TUI_NETCHAT_ASCII', 'LANG=C', 'LC_ALL=C', ...chatCommand('--port', String(port), '-n', 'kim')]);
		const pane = await tmux.waitForPane('ascii', text => /^-{20,}/m.test(text) && statusBar(text).includes(`port ${port}`), 'the chat in ASCII');
		expect(statusBar(pane)).toMatch(/^ ?UDP \| \^T TCP \| /);
		expect(pane).not.toMatch(/[─·✓…]/u);
	});
});

