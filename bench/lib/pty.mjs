// The app (or any command) in a pseudo-terminal, through bench/pty-driver.py.
import {cliArgv, jsonLines, root, start, temporaryPath, terminalEnv, track} from './proc.mjs';
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {echoOn, haveScreen, Screen} from './screen.mjs';

/** State directory for the app's outbox, so a run never touches the user's. */
export const stateDir = temporaryPath(mkdtempSync(join(tmpdir(), 'tnc-bench-state-')));

/**
 * Starts argv (after "node", or after `program` when given) in a 120x40 pty; resolves once `until` shows
 * (readyMs: from just before fork). record: the driver keeps every chunk read (chunks()).
 * command() sends one driver command and resolves with its answer; close() ends the app and the driver.
 */
export async function openPty(nodeArgs, {until, timeoutS = 20, cols = 120, rows = 40, program, record = false, env = {}} = {}) {
	const args = ['bench/pty-driver.py', '--cols', String(cols), '--rows', String(rows), '--timeout', String(timeoutS)];
	if (until) {
		args.push('--until', until);
	}

	if (record) {
		args.push('--record');
	}

	const driver = start('python3', [...args, '--', program ?? process.execPath, ...nodeArgs], {
		cwd: root,
		env: terminalEnv({TUI_NETCHAT_STATE_DIR: stateDir, XDG_CACHE_HOME: stateDir, ...env}),
		stdio: ['pipe', 'pipe', 'inherit'],
	});
	const answers = await jsonLines(driver);
	const spawned = await answers.next(10_000);
	if (!spawned?.pid) {
		throw new Error('pty driver did not start');
	}

	track(spawned.pid);
	const ready = until ? await answers.next((timeoutS + 5) * 1000) : undefined;
	if (until && typeof ready?.ms !== 'number') {
		driver.kill('SIGKILL');
		throw new Error(`"${until}" did not show within ${timeoutS} s in the pty of: node ${nodeArgs.join(' ')}`);
	}

	return {
		pid: spawned.pid,
		readyMs: ready?.ms,
		// process.hrtime()'s clock in ms (the driver's time.monotonic() is the same CLOCK_MONOTONIC).
		spawnedAt: spawned.at * 1000,
		readyAt: typeof ready?.at === 'number' ? ready.at * 1000 : undefined,
		async command(object, timeoutMs = 60_000) {
			driver.stdin.write(`${JSON.stringify(object)}\n`);
			return answers.next(timeoutMs);
		},
		/** With record: the chunks read from chunk `from` on, as {at (hrtime ms), data (Buffer)}. */
		async chunks(from = 0) {
			const answer = await this.command({cmd: 'chunks', from});
			return (answer?.chunks ?? []).map(([at, data]) => ({at: at * 1000, data: Buffer.from(data, 'base64')}));
		},
		/**
		 * With record: types `text` (the input holding `before`) one key at a time, each after the last one's
		 * character was read back or `timeout` s, then `gap` s; each key's echo is judged on a terminal model
		 * fed every byte: the app's input row ("> " at its start) shows "> " + the draft so far. Resolves with
		 * {latencies (ms, null: not shown), bytes}, like the driver's own "type".
		 */
		async typeOnScreen({text, before = '', gap = 0.05, timeout = 2}) {
			if (!haveScreen) {
				throw new Error('@xterm/headless is not installed (npm ci): key echo is read off a terminal model');
			}

			this.screen ??= new Screen(cols, rows);
			this.fed ??= 0;
			const feed = async () => {
				const chunks = await this.chunks(this.fed);
				this.fed += chunks.length;
				return chunks;
			};

			for (const chunk of await feed()) {
				await this.screen.write(chunk.data);
			}

			const row = this.screen.lines().findLastIndex(line => line.startsWith('> '));
			const typed = await this.command({cmd: 'type', text, echo: 'key', gap, timeout});
			const drafts = [...text].map((_key, index) => `> ${before}${text.slice(0, index + 1)}`);
			const latencies = await echoOn(this.screen, await feed(), typed.sent.map(at => at * 1000), drafts, row);
			return {latencies, bytes: typed.bytes};
		},
		async close() {
			this.screen?.dispose();
			if (driver.exitCode === null) {
				driver.stdin.write('{"cmd":"quit"}\n');
				await answers.next(6000).catch(() => undefined);
				driver.stdin.end();
			}
		},
	};
}

/** The app in a pty, waiting for its first full frame (the status bar's "^T"), every chunk recorded for typeOnScreen(). */
export const openApp = (args, options) => openPty([...cliArgv, ...args], {until: '^T', record: true, ...options});

/** Types a few keys and clears them with Ctrl+U: the first keys of a run also pay for JIT compilation. */
export async function warmUpTyping(app) {
	await app.command({cmd: 'type', text: 'warmupkeys', gap: 0.03, timeout: 2, echo: 'key'});
	await app.command({cmd: 'press', text: '\u0015', wait: 0.3});
}
