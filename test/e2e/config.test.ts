import {createSocket} from 'node:dgram';
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {freePort} from '../helpers/ports.js';
import {Tmux} from '../helpers/tmux.js';
import {waitFor} from '../helpers/wait.js';
import {chatCommand, requireBuiltCli, runCli, statusBar} from './support.js';

const tmux = new Tmux('config');
const dir = mkdtempSync(join(tmpdir(), 'tnc-config-e2e-'));

beforeAll(requireBuiltCli);

afterEach(() => {
	tmux.kill();
});

afterAll(() => {
	rmSync(dir, {recursive: true, force: true});
});

function file(name: string, text: string): string {
	const path = join(dir, name);
	writeFileSync(path, text);
	return path;
}

describe('the config file', () => {
	it('names the file and line of a wrong key, with exit code 2 and one stderr line', async () => {
		const path = file('typo.toml', '# defaults\nnick = "ann"\nprot = "tcp"\n');
		const result = await runCli(['--config', path]);
		expect(result.code).toBe(2);
		expect(result.stdout).toBe('');
		expect(result.stderr).toBe(`tui-netchat: ${path}:3: unknown key "prot" (did you mean "protocol"?)\n`);
	});

	it('refuses a secret in the file, saying why', async () => {
		const result = await runCli(['--config', file('secret.toml', 'secret = "hunter2"\n')]);
		expect(result.code).toBe(2);
		expect(result.stderr).toMatch(/^tui-netchat: \S+secret\.toml:1: "secret" is not taken from a config file: .*TUI_NETCHAT_SECRET.*\n$/);
	});

	it('is an error when --config FILE does not exist', async () => {
		const result = await runCli(['--config', join(dir, 'missing.toml')]);
		expect(result.code).toBe(2);
		expect(result.stderr).toBe(`tui-netchat: --config ${join(dir, 'missing.toml')}: no such file\n`);
	});

	it('gives --send a named peer; flags override the file', async () => {
		const peer = createSocket('udp4');
		const received: string[] = [];
		peer.on('message', data => received.push(data.toString()));
		await new Promise<void>(resolve => {
			peer.bind(0, '127.0.0.1', resolve);
		});
		try {
			const path = file('peers.toml', `protocol = "tcp"\n[peers]\nhome = "127.0.0.1:${peer.address().port}"\n`);
			// The file says tcp (nobody listens there over TCP); the flag says udp, and wins.
			const result = await runCli(['--config', path, '--peer', 'home', '--protocol', 'udp', '--send', 'to home']);
			expect(result.stderr).toBe('');
			expect(result.code).toBe(0);
			await waitFor(() => (received.includes('to home\n') ? true : undefined), {what: 'the message at the named peer'});
			const wrong = await runCli(['--config', path, '--peer', 'hom', '--send', 'x']);
			expect(wrong.code).toBe(2);
			expect(wrong.stderr).toBe(`tui-netchat: --peer: "hom" is neither HOST:PORT nor a peer named in ${path} (home) (see --help)\n`);
		} finally {
			peer.close();
		}
	});

	it('is read from $XDG_CONFIG_HOME/tui-netchat/config.toml by the chat', async () => {
		const port = await freePort();
		mkdirSync(join(dir, 'xdg', 'tui-netchat'), {recursive: true});
		file('xdg/tui-netchat/config.toml', `port = ${port}\nprotocol = "tcp"\n`);
		tmux.start('xdg', ['env', `XDG_CONFIG_HOME=${join(dir, 'xdg')}`, ...chatCommand('-n', 'xena')]);
		const pane = await tmux.waitForPane('xdg', pane => statusBar(pane).includes(`port ${port}`), 'the chat on the config port');
		expect(statusBar(pane)).toMatch(/^TCP · \^T UDP/);
	});
});
