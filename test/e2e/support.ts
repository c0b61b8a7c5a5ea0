import {spawn, type ChildProcess, type SpawnOptions} from 'node:child_process';
import {once} from 'node:events';
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterAll, afterEach, beforeAll, beforeEach, expect} from 'vitest';
import {freePorts} from '../helpers/ports.js';
import {removeTestStateDir, terminalEnv, Tmux} from '../helpers/tmux.js';
import {waitFor} from '../helpers/wait.js';

// The state directory the CLI's environment points at, shared by one test file's runs, goes with the file.
afterAll(removeTestStateDir);

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
/** The bundle under test; TUI_NETCHAT_CLI points the suite at another build of it. */
export const cliPath = process.env['TUI_NETCHAT_CLI'] ?? fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

/**
 * The node flags of the bin's shebang (`#!/usr/bin/env -S node FLAGS`): the tests start it as npx does, and
 * its V8 code cache (made under these flags) stays valid for the next run.
 */
export const cliFlags: readonly string[] = readFileSync(new URL('../../scripts/cli-loader.js', import.meta.url), 'utf8').split('\n')[0]!.match(/^#!\/usr\/bin\/env -S node (.*)$/)?.[1]!.split(' ') ?? [];

/** The end-to-end tests run the bundle, as users do; `npm test` builds it first. */
export function requireBuiltCli(): void {
	if (!existsSync(cliPath)) {
		throw new Error(`${cliPath} is missing: run \`node scripts/build.mjs\` first (npm test does)`);
	}
}

/** argv for a tmux session running the built CLI with the Node running the tests. */
export function chatCommand(...args: string[]): string[] {
	return [process.execPath, ...cliFlags, cliPath, ...args];
}

/**
 * argv for the built CLI with its own state directory (the outbox of undelivered messages): what one test
 * left in an outbox is never sent by the next, even when a program was killed before it could save.
 */
export function chatCommandWithState(stateDir: string, ...args: string[]): string[] {
	return ['env', `TUI_NETCHAT_STATE_DIR=${stateDir}`, ...chatCommand(...args)];
}

/** argv as one sh command line, each word single-quoted. */
export function shellCommand(argv: readonly string[]): string {
	return argv.map(word => `'${word.replaceAll("'", `'\\''`)}'`).join(' ');
}

export type CliResult = {
	readonly code: number | null;
	readonly signal: NodeJS.Signals | null;
	readonly stdout: string;
	readonly stderr: string;
};

/** Runs the CLI without a terminal and collects what it prints. */
export async function runCli(args: readonly string[], timeoutMs = 10_000): Promise<CliResult> {
	const child = spawn(process.execPath, [...cliFlags, cliPath, ...args], {cwd: repoRoot, env: terminalEnv(), stdio: ['ignore', 'pipe', 'pipe']});
	let stdout = '';
	let stderr = '';
	child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
		stdout += chunk;
	});
	child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
		stderr += chunk;
	});
	const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
	try {
		const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
		return {code, signal, stdout, stderr};
	} finally {
		clearTimeout(timer);
	}
}

/** A foreign peer (nc, python3, a shell pipeline) run as a child process, its output kept. */
export type Peer = {
	readonly child: ChildProcess;
	readonly stdout: () => Buffer;
	readonly stderr: () => string;
	readonly write: (text: string) => void;
	/** Resolves with the exit code once the process has ended. */
	readonly exit: Promise<number | null>;
};

/** Starts peers in their own process groups and kills every one of them (and their children) on cleanup. */
export class Peers {
	private readonly running = new Set<ChildProcess>();

	spawn(command: string, args: readonly string[], options: SpawnOptions = {}): Peer {
		const child = spawn(command, args, {
			cwd: repoRoot,
			env: terminalEnv({PYTHONIOENCODING: 'utf-8'}),
			...options,
			stdio: ['pipe', 'pipe', 'pipe'],
			detached: true,
		});
		this.running.add(child);
		const out: Buffer[] = [];
		let err = '';
		child.stdout?.on('data', (chunk: Buffer) => out.push(chunk));
		child.stderr?.on('data', (chunk: Buffer) => {
			err += chunk.toString('utf8');
		});
		// A peer that has exited makes writes fail with EPIPE; the test sees that through its assertions.
		child.stdin?.on('error', () => undefined);
		const exit = new Promise<number | null>(resolve => {
			child.once('close', code => {
				this.running.delete(child);
				resolve(code);
			});
		});
		return {
			child,
			stdout: () => Buffer.concat(out),
			stderr: () => err,
			write(text) {
				child.stdin?.write(text);
			},
			exit,
		};
	}

	/** Like spawn, through `sh -c` for pipelines such as printf 'hi\n' | nc -u -w1 HOST PORT. */
	shell(script: string): Peer {
		return this.spawn('sh', ['-c', script]);
	}

	async killAll(): Promise<void> {
		const children = [...this.running];
		this.running.clear();
		await Promise.all(
			children.map(async child => {
				if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) {
					return;
				}

				const closed = once(child, 'close');
				try {
					// The negative pid is the child's own process group (it was spawned detached).
					process.kill(-child.pid, 'SIGKILL');
				} catch {
					// Already gone.
				}

				await Promise.race([closed, new Promise(resolve => setTimeout(resolve, 2000))]);
			}),
		);
	}
}

export type Transport = 'udp' | 'tcp' | 'irc';

export type Message = {
	readonly transport: Transport;
	readonly from: string;
	readonly text: string;
};

const messagePattern = /^\d{2}:\d{2}:\d{2} (udp|tcp|irc) <([^>]+)> (.*?)\s*(?:│.*)?$/;

/** The chat lines in a captured pane, as "HH:MM:SS udp <from> text" rows. */
export function messages(pane: string): Message[] {
	const found: Message[] = [];
	for (const row of pane.split('\n')) {
		const match = messagePattern.exec(row);
		if (match?.[1] && match[2] !== undefined && match[3] !== undefined) {
			// A delivered own line ends in " ✓" (the peer acknowledged it): that mark is not part of the text.
			found.push({transport: match[1] as Transport, from: match[2], text: match[3].replace(/ ✓$/, '')});
		}
	}

	return found;
}

export type ExpectedMessage = {
	readonly transport: Transport;
	/** The sender as shown: a nick for own lines, HOST:PORT (or a pattern for an unknown port) for others. */
	readonly from: string | RegExp;
	/** The whole text: an own line still "(pending)" does not match. */
	readonly text: string;
};

export function hasMessage(pane: string, expected: ExpectedMessage): boolean {
	return messages(pane).some(
		message =>
			message.transport === expected.transport &&
			message.text === expected.text &&
			(typeof expected.from === 'string' ? message.from === expected.from : expected.from.test(message.from)),
	);
}

/** The status bar: the last row of the app. */
export function statusBar(pane: string): string {
	const rows = pane.split('\n').filter(row => row.trim() !== '');
	return rows.at(-1)?.trim() ?? '';
}

/** The status bar's fields ("UDP", "to 127.0.0.1:7852", "port 7852", ...), whatever their order. */
export function statusFields(pane: string): string[] {
	return statusBar(pane).split(' · ');
}

/** True when one field of the status bar is `field` exactly, or matches it. */
export function hasStatus(pane: string, field: string | RegExp): boolean {
	return statusFields(pane).some(value => (typeof field === 'string' ? value === field : field.test(value)));
}

/** A sender on 127.0.0.1 with a port we do not know in advance (an ephemeral client port). */
export const loopbackAnyPort = /^127\.0\.0\.1:\d+$/;

export async function waitForExitCode(peer: Peer, timeoutMs = 10_000): Promise<number | null> {
	let code: number | null | undefined;
	void peer.exit.then(value => {
		code = value;
	});
	await waitFor(() => code !== undefined, {
		timeout: timeoutMs,
		what: 'the peer process to exit',
		describe: () => `stdout: ${JSON.stringify(peer.stdout().toString('utf8'))}\nstderr: ${JSON.stringify(peer.stderr())}`,
	});
	return code ?? null;
}

type PortTuple<N extends number, Acc extends number[] = []> = Acc['length'] extends N ? Acc : PortTuple<N, [...Acc, number]>;

/** `count` distinct free TCP+UDP ports as a tuple, for `const [a, b] = await portTuple(2)`. */
export async function portTuple<N extends 1 | 2 | 3 | 4 | 5 | 6>(count: N): Promise<PortTuple<N>> {
	const ports = await freePorts(count);
	if (ports.length !== count) {
		throw new Error(`wanted ${count} free ports, got ${ports.length}`);
	}

	return ports as PortTuple<N>;
}

/** The rows of a captured pane, blank ones dropped. */
function nonBlankRows(pane: string): string[] {
	return pane.split('\n').filter(row => row.trim() !== '');
}

/** The input line as shown: the row under the rule, without the "> " prompt (the placeholder when empty). */
export function inputText(pane: string): string {
	const rows = nonBlankRows(pane);
	const row = rows.at(-2) ?? '';
	return row.startsWith('> ') ? row.slice(2).trimEnd() : '';
}

/** The rule above the input line, with the draft's size at its right end ("── 12 B ─"). */
export function ruleText(pane: string): string {
	return nonBlankRows(pane).at(-3)?.trim() ?? '';
}

/** The line tui-netchat sends once after its first message to a plain peer. */
export const greetingLine = /^\*\*\* \S+ is here via tui-netchat \(tnc\/\d+(?: port \d+)?\)$/;

/**
 * Waits until a foreign peer (nc, python) has printed at least `count` lines and returns every complete
 * line so far. The bytes must be valid UTF-8 that re-encodes to the very same bytes.
 */
export async function peerLines(peer: Peer, count: number, what = 'the peer'): Promise<string[]> {
	const complete = () => {
		const text = peer.stdout().toString('utf8');
		return text.slice(0, text.lastIndexOf('\n') + 1);
	};

	await waitFor(() => complete().split('\n').length - 1 >= count, {
		what: `${what} to print ${count} lines`,
		describe: () => `stdout so far: ${JSON.stringify(peer.stdout().toString('utf8'))}\nstderr: ${peer.stderr()}`,
	});
	const bytes = peer.stdout();
	expect(Buffer.from(bytes.toString('utf8'), 'utf8').equals(bytes), `${what} got valid UTF-8`).toBe(true);
	return complete().split('\n').slice(0, -1);
}

/** True while the process exists and has not ended (a zombie waiting to be reaped counts as ended). */
function running(pid: number): boolean {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		// "pid (comm) S ...": the state follows the last ")".
		return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
	} catch {
		return false;
	}
}

/**
 * Kills the tmux server and waits (up to 5 s) until the programs that ran in its panes have ended, so none
 * of them still writes to a directory the test is about to remove.
 */
export async function killTmux(tmux: Tmux): Promise<void> {
	const pids = tmux.panePids();
	tmux.kill();
	try {
		await waitFor(() => pids.every(pid => !running(pid)), {timeout: 5000, what: `the programs in the panes (${pids.join(', ')}) to end`});
	} catch {
		// Still going after 5 s: removeDir retries, and every test has its own directories anyway.
	}
}

/** Removes a test's temporary directory, retrying while a program that is ending still writes into it. */
export function removeDir(dir: string): void {
	rmSync(dir, {recursive: true, force: true, maxRetries: 5, retryDelay: 100});
}

export type E2eSession = {
	readonly tmux: Tmux;
	readonly peers: Peers;
	/** The CLI command with this test's own outbox directory. */
	readonly chat: (...args: string[]) => string[];
	/** This test's outbox directory (fresh for each test). */
	readonly stateDir: () => string;
	/** A fresh directory removed after the test. */
	readonly tempDir: (prefix: string) => string;
};

/**
 * A test file's tmux server and foreign peers, and a fresh outbox directory per test (undelivered
 * messages of one test must never reach the next), all cleaned up after each test.
 */
export function e2eSession(name: string): E2eSession {
	const tmux = new Tmux(name);
	const peers = new Peers();
	const directories: string[] = [];
	let stateDir = '';
	const tempDir = (prefix: string) => {
		const directory = mkdtempSync(join(tmpdir(), prefix));
		directories.push(directory);
		return directory;
	};

	beforeAll(requireBuiltCli);
	beforeEach(() => {
		stateDir = tempDir(`tui-netchat-${name}-state-`);
	});
	afterEach(async () => {
		await killTmux(tmux);
		await peers.killAll();
		for (const directory of directories.splice(0)) {
			removeDir(directory);
		}
	});

	return {tmux, peers, chat: (...args) => chatCommandWithState(stateDir, ...args), stateDir: () => stateDir, tempDir};
}
