import {createSocket} from 'node:dgram';
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {freePort} from '../helpers/ports.js';
import {registers, startFakeServer, type FakeServer} from '../irc/fake-server.js';
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

/** An IRC server that replays two of bob's lines from two days in March 2024 (server-time) to whoever joins #room. */
async function replayingServer(nick: string): Promise<FakeServer> {
	const register = registers(() => nick, 'server-time');
	return startFakeServer((line, client) => {
		if (!register(line, client) && line.startsWith('JOIN #room')) {
			client.send(`:${nick}!u@127.0.0.1 JOIN #room`);
			client.send(`:fake.test 353 ${nick} = #room :${nick} bob`);
			client.send(`:fake.test 366 ${nick} #room :End of /NAMES list.`);
			client.send('@time=2024-03-01T12:00:00.000Z :bob!b@h PRIVMSG #room :on friday');
			client.send('@time=2024-03-03T12:00:00.000Z :bob!b@h PRIVMSG #room :on sunday');
		}
	});
}

describe('the config file\'s look', () => {
	const servers: FakeServer[] = [];
	afterEach(async () => {
		await Promise.all(servers.splice(0).map(async server => server.close()));
	});

	/** The SGR parameters tmux writes right before `needle` in the pane captured with its colours (capture-pane -e). */
	const sgrBefore = (name: string, needle: string): string[] => {
		const pane = tmux.run('capture-pane', '-p', '-e', '-t', `=${name}:`);
		const index = pane.indexOf(needle);
		const run = index === -1 ? '' : (/(?:\u001B\[[\d;]*m)*$/.exec(pane.slice(0, index))?.[0] ?? '');
		return [...run.matchAll(/\u001B\[([\d;]*)m/g)].flatMap(match => (match[1] ?? '').split(';'));
	};

	it('draws a rule with the date where the day changes, and the tones in the colours of [colours]', async () => {
		const server = await replayingServer('ann');
		servers.push(server);
		const path = file('look.toml', `nick = "ann"\n\n[colours]\nown = "magentaBright"\nnicks = ["cyanBright"]\n`);
		tmux.start('look', ['env', 'TZ=UTC', ...chatCommand('--config', path, '--port', '0', '--irc', `irc://127.0.0.1:${server.port}/#room`)]);
		const pane = await tmux.waitForPane('look', pane => pane.includes('on sunday'), 'the replayed lines');
		// The message pane: what stands left of the nick list's border.
		const rows = pane.split('\n').map(row => row.split('│')[0]?.trimEnd() ?? '');
		const friday = rows.findIndex(row => row.includes('<bob> on friday'));
		expect(rows[friday - 1]).toMatch(/^── Friday 1 March 2024 ─+$/);
		expect(rows[friday + 1]).toMatch(/^── Sunday 3 March 2024 ─+$/);
		expect(rows[friday + 2]).toMatch(/^12:00:00 irc <bob> on sunday$/);
		tmux.submit('look', 'back today');
		await tmux.waitForPane('look', pane => pane.includes('<ann> back today'), 'the own line');
		// magentaBright is SGR 95, cyanBright 96; the date rule is dim (2).
		expect(sgrBefore('look', '<ann> ')).toContain('95');
		expect(sgrBefore('look', '<bob> ')).toContain('96');
		expect(sgrBefore('look', '── Friday 1 March 2024')).toContain('2');
	}, 30_000);

	it('draws no date rules with [display] date_changes = false', async () => {
		const server = await replayingServer('ben');
		servers.push(server);
		const path = file('no-dates.toml', 'nick = "ben"\n[display]\ndate_changes = false\n');
		tmux.start('plain', ['env', 'TZ=UTC', ...chatCommand('--config', path, '--port', '0', '--irc', `irc://127.0.0.1:${server.port}/#room`)]);
		const pane = await tmux.waitForPane('plain', pane => pane.includes('on sunday'), 'the replayed lines');
		expect(pane).toContain('<bob> on friday');
		expect(pane).not.toContain('March 2024');
	}, 30_000);

	it('refuses a nick colour that is the colour of errors, naming the line', async () => {
		const path = file('clash.toml', '[colours]\nerror = "magenta"\nnicks = ["green", "magenta"]\n');
		const result = await runCli(['--config', path]);
		expect(result.code).toBe(2);
		expect(result.stderr).toBe(`tui-netchat: ${path}:3: nicks: "magenta" is the colour of errors (error = "magenta"): nick colours never use it, so no nick looks like an error\n`);
	});
});
