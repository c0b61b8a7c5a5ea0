import {copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {freePort, holdTcp} from '../helpers/ports.js';
import {runInPty, type PtyStep} from '../helpers/pty.js';
import {terminalEnv} from '../helpers/tmux.js';
import {terminalModel} from '../unit/screen-terminal.js';
import {chatCommand, cliPath, requireBuiltCli} from './support.js';

// The first-frame cache (scripts/cli-loader.js, source/ui/screen/first-frame.ts): a launch like the last
// one shows that launch's first frame before the app is loaded; the app then draws only where it differs.

const columns = 100;
const rows = 30;
let home: string;
let env: NodeJS.ProcessEnv;
const releases: Array<() => Promise<void>> = [];

beforeEach(() => {
	requireBuiltCli();
	home = mkdtempSync(join(tmpdir(), 'tnc-first-frame-'));
	env = terminalEnv({XDG_CACHE_HOME: join(home, 'cache'), XDG_CONFIG_HOME: join(home, 'config'), TUI_NETCHAT_STATE_DIR: join(home, 'state')});
});

afterEach(async () => {
	await Promise.all(releases.splice(0).map(async release => release()));
	rmSync(home, {recursive: true, force: true});
});

const cacheFile = () => join(home, 'cache', 'tui-netchat', 'first-frame.json');
type Entry = {key: string; files: unknown[]; screen: string};
const entries = () => (JSON.parse(readFileSync(cacheFile(), 'utf8')) as {entries: Entry[]}).entries;

const upAndQuit: PtyStep[] = [{until: '^T'}, {until: 'Listening on'}, {type: 'hello'}, {until: 'hello'}, {signal: 'SIGTERM'}];

async function launch(args: readonly string[], steps: readonly PtyStep[] = upAndQuit, size = {columns, rows}) {
	const run = await runInPty(chatCommand(...args), steps, {env, ...size});
	expect(run.failed, `${run.failed ?? ''}: ${JSON.stringify(run.output.slice(-400))}`).toBeUndefined();
	return run;
}

/** The chat's screen as a terminal showed it last, before the program left the alternate screen. */
function finalText(output: string): string[] {
	const model = terminalModel(columns, rows);
	const left = output.lastIndexOf('\u001B[?1049l');
	model.write(left < 0 ? output : output.slice(0, left));
	return model.text();
}

const count = (text: string, part: string) => text.split(part).length - 1;

/** Launches once to fill the cache, then makes its frame say something the app never draws. */
async function cacheStaleFrame(args: readonly string[]): Promise<void> {
	await launch(args);
	const [entry] = entries();
	expect(entry?.screen).toContain('type a message');
	writeFileSync(cacheFile(), JSON.stringify({entries: [{...entry!, screen: entry!.screen.replace('type a message', 'STALE CACHED ROW')}]}));
}

describe('first frame from the cache', () => {
	it('draws the last launch\'s first frame at once, and the app does not draw it a second time', async () => {
		const first = await launch(['--port', '0', '-n', 'ann']);
		const [entry] = entries();
		expect(entry!.screen).toContain('^T');
		expect(first.output.startsWith(entry!.screen)).toBe(true);

		const second = await launch(['--port', '0', '-n', 'ann']);
		// One write by the loader, read before anything the app writes.
		expect(second.reads[0]!.startsWith(entry!.screen)).toBe(true);
		expect(count(second.output, entry!.screen)).toBe(1);
		// Not drawn whole again either (a frame drawn whole clears the screen first).
		expect(second.output.indexOf('\u001B[2J', entry!.screen.length)).toBe(-1);
		const screen = finalText(second.output);
		expect(screen.some(line => line.includes('Listening on UDP and TCP port'))).toBe(true);
		expect(screen.some(line => line.startsWith('> hello'))).toBe(true);
		expect(screen.some(line => line.includes('^T TCP'))).toBe(true);
		// The cache already held that frame: it is not written again.
		expect(entries()).toEqual([entry]);
	});

	it('draws over a cached frame that is not what the app draws, and keeps the right one', async () => {
		await cacheStaleFrame(['--port', '0']);
		const run = await launch(['--port', '0']);
		expect(run.reads[0]).toContain('STALE CACHED ROW');
		const screen = finalText(run.output);
		expect(screen.join('\n')).not.toContain('STALE');
		expect(screen.some(line => line.startsWith('> hello'))).toBe(true);
		expect(entries()[0]!.screen).toContain('type a message');
	});

	it('draws its whole first frame over a cached one that something else wrote over meanwhile', async () => {
		// Node's own warnings reach the terminal a moment after it starts: after the cached frame.
		env = {...env, NODE_OPTIONS: '--experimental-permission --allow-fs-read=* --allow-fs-write=* --allow-child-process --allow-worker'};
		await launch(['--port', '0']);
		const [entry] = entries();
		const run = await launch(['--port', '0']);
		expect(run.output.startsWith(entry!.screen)).toBe(true);
		const warning = run.output.indexOf('ExperimentalWarning', entry!.screen.length);
		expect(warning).toBeGreaterThan(0);
		// The app's frame clears the screen and draws everything again, after the warning.
		expect(run.output.indexOf('\u001B[2J', warning)).toBeGreaterThan(warning);
		expect(finalText(run.output).join('\n')).not.toContain('Warning');
	});

	const changes: Array<{change: string; args: string[]; size?: {columns: number; rows: number}; before: () => void}> = [
		{change: 'the config file', args: ['--port', '0'], before() {
			mkdirSync(join(home, 'config', 'tui-netchat'), {recursive: true});
			writeFileSync(join(home, 'config', 'tui-netchat', 'config.toml'), 'nick = "zed"\n');
		}},
		{change: 'the arguments', args: ['--port', '0', '-n', 'bob'], before() {}},
		{change: 'the terminal size', args: ['--port', '0'], size: {columns: 90, rows}, before() {}},
	];
	it.each(changes)('draws nothing from the cache when $change changed', async ({args, size, before}) => {
		await cacheStaleFrame(['--port', '0']);
		before();
		const run = await launch(args, upAndQuit, size);
		expect(run.output).not.toContain('STALE');
		expect(run.output).toContain('type a message');
	});

	it('puts the terminal back when a signal comes after the cached frame, before the app listens for it', async () => {
		// The loader beside an app that never gets to listen: the first run keeps a frame (as the app would),
		// the second only waits.
		const fake = join(home, 'fake-dist');
		mkdirSync(fake);
		copyFileSync(cliPath, join(fake, 'cli.js'));
		writeFileSync(join(fake, 'package.json'), '{"type": "commonjs"}\n');
		writeFileSync(join(fake, 'app.js'), `
			const handoff = globalThis[Symbol.for('tui-netchat.first-frame')];
			if (handoff.shown === undefined) {
				require('node:fs').mkdirSync(require('node:path').dirname(handoff.file), {recursive: true});
				require('node:fs').writeFileSync(handoff.file, JSON.stringify({entries: [{key: handoff.key, files: [], screen: '\\u001B[?1049hA CACHED FRAME ^T'}]}));
			} else {
				setInterval(() => undefined, 1000);
			}
		`);
		const argv = [process.execPath, join(fake, 'cli.js'), '--port', '0'];
		await runInPty(argv, [{exit: true}], {env, columns, rows});
		const run = await runInPty(argv, [{until: 'A CACHED FRAME'}, {signal: 'SIGTERM'}], {env, columns, rows});
		expect(run.failed).toBeUndefined();
		expect(run.output.indexOf('\u001B[?1049l')).toBeGreaterThan(run.output.indexOf('A CACHED FRAME'));
		// Ended by the signal, as without the cache.
		expect(run.exitCode).toBe(-15);
	});

	it('puts the terminal back before the one-line error when the start fails after the cached frame', async () => {
		const port = await freePort();
		await launch(['--port', String(port)]);
		const [entry] = entries();
		releases.push(await holdTcp(port, '127.0.0.1'));
		const run = await launch(['--port', String(port)], [{exit: true}]);
		expect(run.exitCode).toBe(1);
		expect(run.reads[0]!.startsWith(entry!.screen)).toBe(true);
		const left = run.output.lastIndexOf('\u001B[?1049l');
		expect(left).toBeGreaterThan(entry!.screen.length - 1);
		expect(run.output.slice(left)).toContain(`tui-netchat: --port ${port}: the port is already in use`);
	});
});
