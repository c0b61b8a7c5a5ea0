// Child processes for the bench: every one is tracked by PID and killed (with its descendants) at the end,
// even when a scenario throws. /proc readers for CPU time and memory.
import {spawn, execFileSync} from 'node:child_process';
import {readFileSync, readdirSync, rmSync, statSync, openSync, readSync, closeSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {createInterface} from 'node:readline';

export const root = fileURLToPath(new URL('../../', import.meta.url));
export const cli = 'dist/cli.js';
/**
 * How `npx tui-netchat` runs the app: node with the flags of dist/cli.js's shebang, if it has any
 * (`#!/usr/bin/env -S node FLAGS`), then the file. Every scenario starts it so.
 */
export const cliArgv = [...(readFileSync(new URL('../../scripts/cli-loader.js', import.meta.url), 'utf8').split('\n')[0].match(/^#!\/usr\/bin\/env -S node (.*)$/)?.[1].split(' ') ?? []), cli];
export const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));
const clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], {encoding: 'utf8'}).trim()) || 100;

/** The environment of a user's terminal: no CI variables (Ink draws differently in CI), a real TERM. */
export function terminalEnv(extra = {}) {
	// No LAN discovery: the bench keeps its traffic on loopback (its discovery scenario turns it on in namespaces).
	// No config file from the machine's home either: the app runs with its defaults.
	const env = {...process.env, TERM: 'xterm-256color', TUI_NETCHAT_DISCOVERY: 'off', XDG_CONFIG_HOME: '/nonexistent', ...extra};
	for (const name of Object.keys(env)) {
		if (/^(CI|CONTINUOUS_INTEGRATION|BUILD_NUMBER|BUILD_ID|RUN_ID|GITHUB_ACTIONS|GITLAB_CI|TRAVIS|CIRCLECI|JENKINS_URL|TEAMCITY_VERSION|BUILDKITE|DRONE|TF_BUILD|CODEBUILD_BUILD_ID|FORCE_COLOR|NO_COLOR)$/.test(name)) {
			delete env[name];
		}
	}

	return env;
}

const tracked = new Set();

/** spawn() whose PID is remembered for killAll(). */
export function start(command, args, options = {}) {
	const child = spawn(command, args, {cwd: root, ...options});
	tracked.add(child.pid);
	child.on('exit', () => tracked.delete(child.pid));
	child.on('error', () => tracked.delete(child.pid));
	return child;
}

/** Also kill this PID at the end (a process another child started, like the app under the pty driver). */
export function track(pid) {
	tracked.add(pid);
}

/** pid and every descendant, from /proc/PID/task/TID/children. */
export function processTree(pid) {
	const all = [pid];
	for (let index = 0; index < all.length; index++) {
		try {
			for (const task of readdirSync(`/proc/${all[index]}/task`)) {
				const children = readFileSync(`/proc/${all[index]}/task/${task}/children`, 'utf8').trim();
				if (children) {
					all.push(...children.split(/\s+/).map(Number));
				}
			}
		} catch {}
	}

	return all;
}

export function kill(pid, signal = 'SIGKILL') {
	for (const each of processTree(pid).reverse()) {
		try {
			process.kill(each, signal);
		} catch {}
	}
}

export function killAll() {
	for (const pid of tracked) {
		kill(pid);
	}

	tracked.clear();
}

/** utime+stime of a process and its descendants, in ms. */
export function cpuMs(pid) {
	let ticks = 0;
	for (const each of processTree(pid)) {
		try {
			// Fields after the ")" of comm: state is field 3, utime 14, stime 15.
			const fields = readFileSync(`/proc/${each}/stat`, 'utf8').split(') ')[1].split(' ');
			ticks += Number(fields[11]) + Number(fields[12]);
		} catch {}
	}

	return (ticks * 1000) / clockTicks;
}

/** A field of /proc/PID/status in MB (VmRSS, VmHWM), summed over the process tree. */
export function memoryMb(pid, field) {
	let kb = 0;
	for (const each of processTree(pid)) {
		try {
			const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${each}/status`, 'utf8'));
			kb += Number(match?.[1] ?? 0);
		} catch {}
	}

	return kb / 1024;
}

/** CPU use of pid over a window: call the result to stop; percent of one core. */
export function cpuMeter(pid) {
	const cpu0 = cpuMs(pid);
	const t0 = performance.now();
	return () => {
		const cpu = cpuMs(pid) - cpu0;
		const wall = performance.now() - t0;
		return {cpuMs: cpu, wallMs: wall, percent: (100 * cpu) / wall};
	};
}

/** Lines of a file, counted in chunks (the log of a million messages is 80 MB). */
export function countLines(path, predicate) {
	let fd;
	try {
		fd = openSync(path, 'r');
	} catch {
		return 0;
	}

	let count = 0;
	let rest = '';
	const buffer = Buffer.alloc(1 << 20);
	try {
		for (;;) {
			const read = readSync(fd, buffer, 0, buffer.length, null);
			if (read === 0) {
				break;
			}

			const lines = (rest + buffer.toString('latin1', 0, read)).split('\n');
			rest = lines.pop();
			count += predicate ? lines.filter(predicate).length : lines.length;
		}
	} finally {
		closeSync(fd);
	}

	return count;
}

export function fileSize(path) {
	try {
		return statSync(path).size;
	} catch {
		return 0;
	}
}

export async function waitFor(check, timeoutMs, everyMs = 50) {
	const end = performance.now() + timeoutMs;
	for (;;) {
		const value = await check();
		if (value || performance.now() > end) {
			return value;
		}

		await sleep(everyMs);
	}
}

/** Waits until a growing file has stopped growing for quietMs; resolves with the time it last grew. */
export async function waitQuiet(path, quietMs, timeoutMs) {
	const end = performance.now() + timeoutMs;
	let size = fileSize(path);
	let grewAt = performance.now();
	while (performance.now() < end && performance.now() - grewAt < quietMs) {
		await sleep(25);
		const now = fileSize(path);
		if (now !== size) {
			size = now;
			grewAt = performance.now();
		}
	}

	return grewAt;
}

/** The port the app logged ("Listening on UDP and TCP port N"): --port 0 takes a free one. */
export async function loggedPort(logPath, timeoutMs = 10_000) {
	return waitFor(() => {
		try {
			const match = /Listening on UDP and TCP port (\d+)/.exec(readFileSync(logPath, 'utf8'));
			return match ? Number(match[1]) : undefined;
		} catch {
			return undefined;
		}
	}, timeoutMs);
}

/** The JSON lines a child prints on stdout, one at a time: next(timeoutMs) resolves with the next one (undefined once it exited). */
export async function jsonLines(child) {
	const lines = createInterface({input: child.stdout});
	const queue = [];
	const waiting = [];
	lines.on('line', line => {
		let value;
		try {
			value = JSON.parse(line);
		} catch {
			return;
		}

		if (waiting.length > 0) {
			waiting.shift()(value);
		} else {
			queue.push(value);
		}
	});
	child.on('exit', () => {
		for (const resolve of waiting.splice(0)) {
			resolve(undefined);
		}
	});
	return {
		next: (timeoutMs = 30_000) =>
			queue.length > 0
				? Promise.resolve(queue.shift())
				: new Promise((resolve, reject) => {
						const timer = setTimeout(() => reject(new Error('no answer from child in time')), timeoutMs);
						waiting.push(value => {
							clearTimeout(timer);
							resolve(value);
						});
					}),
	};
}

export const median = values => quantile(values, 0.5);

export function quantile(values, q) {
	const sorted = values.filter(value => typeof value === 'number').sort((a, b) => a - b);
	if (sorted.length === 0) {
		return Number.NaN;
	}

	const position = (sorted.length - 1) * q;
	const low = Math.floor(position);
	return sorted[low] + (sorted[Math.min(low + 1, sorted.length - 1)] - sorted[low]) * (position - low);
}

let logs = 0;
const temporary = new Set();

/** A fresh path for an app's --log file; removed by removeTemporary(). */
export function tempLog(name) {
	return temporaryPath(`/tmp/tnc-bench-${process.pid}-${name}-${++logs}.log`);
}

/** Also remove this file or directory at the end. */
export function temporaryPath(path) {
	temporary.add(path);
	return path;
}

export function removeTemporary() {
	for (const path of temporary) {
		rmSync(path, {recursive: true, force: true});
	}

	temporary.clear();
}
