// The app (or any command) in a pseudo-terminal, through bench/pty-driver.py.
import {cli, jsonLines, root, start, temporaryPath, terminalEnv, track} from './proc.mjs';
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

/** State directory for the app's outbox, so a run never touches the user's. */
export const stateDir = temporaryPath(mkdtempSync(join(tmpdir(), 'tnc-bench-state-')));

/**
 * Starts argv (after "node") in a 120x40 pty; resolves once `until` shows (readyMs: from just before fork).
 * command() sends one driver command and resolves with its answer; close() ends the app and the driver.
 */
export async function openPty(nodeArgs, {until, timeoutS = 20, cols = 120, rows = 40} = {}) {
	const args = ['bench/pty-driver.py', '--cols', String(cols), '--rows', String(rows), '--timeout', String(timeoutS)];
	if (until) {
		args.push('--until', until);
	}

	const driver = start('python3', [...args, '--', process.execPath, ...nodeArgs], {
		cwd: root,
		env: terminalEnv({TUI_NETCHAT_STATE_DIR: stateDir}),
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
		async close() {
			if (driver.exitCode === null) {
				driver.stdin.write('{"cmd":"quit"}\n');
				await answers.next(6000).catch(() => undefined);
				driver.stdin.end();
			}
		},
	};
}

/** The app in a pty, waiting for its first full frame (the status bar's "^T"). */
export const openApp = (args, options) => openPty([cli, ...args], {until: '^T', ...options});

/** Types a few keys and clears them with Ctrl+U: the first keys of a run also pay for JIT compilation. */
export async function warmUpTyping(app) {
	await app.command({cmd: 'type', text: 'warmupkeys', gap: 0.03, timeout: 2});
	await app.command({cmd: 'press', text: '\u0015', wait: 0.3});
}
