import {afterEach, beforeAll, describe, expect, it} from 'vitest';
import {freePort} from '../helpers/ports.js';
import {Tmux} from '../helpers/tmux.js';
import {chatCommand, requireBuiltCli, shellCommand, statusBar} from './support.js';

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
