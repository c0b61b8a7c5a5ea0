import {describe, expect, it} from 'vitest';
import {e2eSession, portTuple} from './support.js';

const {tmux, chat} = e2eSession('line-mode');

/** tui-netchat in a TERM=dumb terminal (line mode), nick dee, writing to a UDP port nobody reads. */
async function lineMode(): Promise<{port: number; peerPort: number}> {
	const [port, peerPort] = await portTuple(2);
	tmux.startInShell('dumb', ['env', 'TERM=dumb', ...chat('--port', String(port), '-n', 'dee', '--peer', `127.0.0.1:${peerPort}`)]);
	await tmux.waitForPane('dumb', pane => pane.includes(`listening on UDP and TCP port ${port}`), 'line mode');
	return {port, peerPort};
}

/** A note line as line mode prints it: "12:30:04 -!- TEXT". */
function hasNote(pane: string, text: string): boolean {
	return pane.split('\n').some(row => /^\d\d:\d\d:\d\d -!- /.test(row) && row.slice(13) === text);
}

describe('TERM=dumb line mode: commands typed by a person', () => {
	it('answers /nick alone with who you are, before and after /nick NAME', async () => {
		await lineMode();
		tmux.submit('dumb', '/nick');
		await tmux.waitForPane('dumb', pane => hasNote(pane, 'You are dee.'), 'You are dee.');
		tmux.submit('dumb', '/nick zed');
		await tmux.waitForPane('dumb', pane => hasNote(pane, 'You are now known as zed (was dee).'), 'the new nick');
		tmux.submit('dumb', '/nick');
		const pane = await tmux.waitForPane('dumb', pane => hasNote(pane, 'You are zed.'), 'You are zed.');
		expect(pane).not.toMatch(/line \d+:|pipe mode/);
	});

	it('answers /proto alone with the protocol a typed line goes over, and to whom', async () => {
		const {peerPort} = await lineMode();
		tmux.submit('dumb', '/proto');
		await tmux.waitForPane('dumb', pane => hasNote(pane, `UDP with 127.0.0.1:${peerPort} (/proto tcp switches).`), 'the protocol');
		tmux.submit('dumb', '/proto tcp');
		await tmux.waitForPane('dumb', pane => hasNote(pane, 'Protocol is now TCP.'), 'the switch');
		tmux.submit('dumb', '/proto');
		const pane = await tmux.waitForPane('dumb', pane => hasNote(pane, `TCP with 127.0.0.1:${peerPort} (/proto udp switches).`), 'the new protocol');
		expect(pane).not.toMatch(/line \d+:|pipe mode/);
	});

	it('refuses a command of the full-screen chat in line mode\'s own words, without a line number', async () => {
		await lineMode();
		tmux.submit('dumb', '/buffers');
		const pane = await tmux.waitForPane('dumb', pane => pane.includes('tui-netchat: /buffers works only'), 'the refusal');
		// The pane wraps the line at its width.
		const unwrapped = (text: string) => text.replaceAll(/\s+/g, '');
		expect(unwrapped(pane)).toContain(unwrapped('tui-netchat: /buffers works only in the chat, not in line mode; not sent (line mode runs /nick /me /proto /connect /query /msg /quit; // starts a message with /)'));
		expect(pane).not.toMatch(/line \d+:|pipe mode/);
	});
});
