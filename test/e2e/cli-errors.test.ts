import {readFileSync} from 'node:fs';
import {afterEach, beforeAll, describe, expect, it} from 'vitest';
import {freePort, holdTcp, holdUdp} from '../helpers/ports.js';
import {Tmux} from '../helpers/tmux.js';
import {chatCommand, repoRoot, requireBuiltCli, runCli} from './support.js';

const tmux = new Tmux('cli');
const releases: Array<() => Promise<void>> = [];

beforeAll(requireBuiltCli);

afterEach(async () => {
	tmux.kill();
	await Promise.all(releases.splice(0).map(async release => release()));
});

/** Exactly one line on stderr, from the program, with no stack trace. */
function expectOneLine(stderr: string): void {
	expect(stderr).toMatch(/^tui-netchat: [^\n]+\n$/);
	expect(stderr).not.toContain('    at ');
}

describe('command-line errors', () => {
	it.each([
		{args: ['--port', '70000'], flag: '--port'},
		{args: ['--peer', 'foo'], flag: '--peer'},
		{args: ['--protocol', 'sctp'], flag: '--protocol'},
		{args: ['--frobnicate'], flag: '--frobnicate'},
		{args: ['-z'], flag: '-z'},
		{args: ['--irc', 'http://x/#a'], flag: '--irc'},
		// Without a terminal (pipe mode) there is no buffer to show a channel in.
		{args: ['--irc', 'irc://127.0.0.1:1/#a'], flag: '--irc'},
		{args: ['--bell', 'loud'], flag: '--bell'},
		{args: ['--config', '/nonexistent/tui-netchat.toml'], flag: '--config'},
	])('rejects `$args` with exit code 2 and one stderr line naming $flag', async ({args, flag}) => {
		const result = await runCli(args);
		expect(result.code).toBe(2);
		expect(result.stdout).toBe('');
		expectOneLine(result.stderr);
		expect(result.stderr).toContain(flag);
	});

	it.each([
		{held: 'TCP', hold: holdTcp},
		{held: 'UDP', hold: holdUdp},
	])('exits 1 with one line saying the port is in use when an explicit --port is held ($held)', async ({hold}) => {
		const port = await freePort();
		releases.push(await hold(port, '127.0.0.1'));
		const result = await runCli(['--port', String(port), '-n', 'judy']);
		expect(result.code).toBe(1);
		expectOneLine(result.stderr);
		expect(result.stderr).toContain(`--port ${port}`);
		expect(result.stderr).toContain('already in use');
	});

	it('prints the port-in-use error on the normal screen of a real terminal and exits 1', async () => {
		const port = await freePort();
		releases.push(await holdTcp(port, '127.0.0.1'));
		tmux.startInShell('busy', chatCommand('--port', String(port), '-n', 'judy'));
		expect(await tmux.waitForExit('busy')).toBe(1);
		const pane = tmux.capture('busy');
		expect(pane).toContain(`tui-netchat: --port ${port}: the port is already in use`);
		expect(pane).not.toContain('    at ');
		expect(tmux.display('busy', '#{alternate_on}')).toBe('0');
	});

	it('prints help with examples and exits 0 for --help', async () => {
		const result = await runCli(['--help']);
		expect(result.code).toBe(0);
		expect(result.stdout).toContain('Examples');
		expect(result.stdout).toContain('--peer');
		expect(result.stderr).toBe('');
	});

	it('prints the package version and exits 0 for --version', async () => {
		const {version} = JSON.parse(readFileSync(`${repoRoot}package.json`, 'utf8')) as {version: string};
		const result = await runCli(['--version']);
		expect(result.code).toBe(0);
		expect(result.stdout).toBe(`${version}\n`);
	});
});
