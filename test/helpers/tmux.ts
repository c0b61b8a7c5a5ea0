import {execFileSync} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {waitFor, type WaitOptions} from './wait.js';

/**
 * This process's environment without CI markers (Ink renders only the last frame when it thinks it runs in
 * CI, see the package is-in-ci) or test-runner markers: for every child that runs Ink.
 */
export function envWithoutCi(): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (key === 'CI' || key === 'CONTINUOUS_INTEGRATION' || key.startsWith('CI_') || key.startsWith('VITEST') || key === 'NODE_ENV') {
			continue;
		}

		env[key] = value;
	}

	return env;
}

/** The environment for programs under test: {@link envWithoutCi}, a colour terminal, state kept to the test. */
export function terminalEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
	const env = envWithoutCi();
	// Discovery would broadcast on the machine's own interfaces: tests keep to loopback (the LAN tests turn it on
	// inside their namespaces).
	// An empty config folder: a real ~/.config/tui-netchat/config.toml on the machine must not change the tests;
	// nor a first frame cached in ~/.cache/tui-netchat.
	return {...env, TERM: 'xterm-256color', TUI_NETCHAT_STATE_DIR: stateDir(), TUI_NETCHAT_DISCOVERY: 'off', XDG_CONFIG_HOME: stateDir(), XDG_CACHE_HOME: stateDir(), TUI_NETCHAT_ASCII: '0', ...extra};
}

let testStateDir: string | undefined;

/** A fresh outbox directory per test run: messages one test left undelivered never reach the next. */
function stateDir(): string {
	if (testStateDir === undefined) {
		const directory = mkdtempSync(join(tmpdir(), 'tui-netchat-e2e-state-'));
		testStateDir = directory;
	}

	return testStateDir;
}

/** Removes that directory (test/e2e/support.ts does after each test file). */
export function removeTestStateDir(): void {
	if (testStateDir !== undefined) {
		try {
			// A program that is still ending may write its outbox meanwhile: retry, and never fail the suite for it.
			rmSync(testStateDir, {recursive: true, force: true, maxRetries: 10, retryDelay: 100});
		} catch {}

		testStateDir = undefined;
	}
}

/** Names `env -u` must remove inside the pane as well, in case a tmux server inherited them anyway. */
function unsetArgs(): string[] {
	const names = new Set(['CI', 'CONTINUOUS_INTEGRATION']);
	for (const key of Object.keys(process.env)) {
		if (key.startsWith('CI_')) {
			names.add(key);
		}
	}

	return [...names].flatMap(name => ['-u', name]);
}

const exitPattern = /\[exit status (\d+)\]/;

export type StartOptions = {
	readonly width?: number;
	readonly height?: number;
};

/**
 * One private tmux server (its own -L socket) for one test file. Every session runs one command in a
 * 100x30 terminal. A pane whose program ended stays (remain-on-exit), so a failure message can still show
 * what the program last drew.
 */
export class Tmux {
	/** The -L socket name; a fresh one for every server, so a server still shutting down is never reused. */
	socket: string;
	private serverStarted = false;

	constructor(private readonly label: string) {
		this.socket = this.newSocketName();
	}

	run(...args: string[]): string {
		return execFileSync('tmux', ['-L', this.socket, '-f', '/dev/null', ...args], {
			encoding: 'utf8',
			env: terminalEnv(),
			stdio: ['ignore', 'pipe', 'pipe'],
			timeout: 10_000,
		});
	}

	/** Starts `argv` (executed directly, no shell) in a new detached session called `name`. */
	start(name: string, argv: readonly string[], options: StartOptions = {}): void {
		if (!this.serverStarted) {
			this.socket = this.newSocketName();
		}

		const prelude = this.serverStarted
			? []
			: ['start-server', ';', 'set-option', '-g', 'remain-on-exit', 'on', ';', 'set-option', '-g', 'exit-empty', 'off', ';'];
		this.run(
			...prelude,
			'new-session',
			'-d',
			'-s',
			name,
			'-x',
			String(options.width ?? 100),
			'-y',
			String(options.height ?? 30),
			'env',
			...unsetArgs(),
			'TERM=xterm-256color',
			`TUI_NETCHAT_STATE_DIR=${stateDir()}`,
			'TUI_NETCHAT_DISCOVERY=off',
			`XDG_CONFIG_HOME=${stateDir()}`,
			`XDG_CACHE_HOME=${stateDir()}`,
			'TUI_NETCHAT_ASCII=0',
			...argv,
		);
		this.serverStarted = true;
	}

	/**
	 * Starts `argv` under sh, which prints "[exit status N]" when it ends and then keeps the pane open, so
	 * the test can read the status and what the program left on the screen.
	 */
	startInShell(name: string, argv: readonly string[], options: StartOptions = {}): void {
		this.start(name, ['sh', '-c', '"$@"; echo "[exit status $?]"; exec sleep 3600', 'sh', ...argv], options);
	}

	/** The visible text of the pane, one line per row, trailing spaces trimmed. */
	capture(name: string): string {
		return this.run('capture-pane', '-p', '-t', `=${name}:`);
	}

	/** Types text literally (no key names), e.g. 你好. */
	type(name: string, text: string): void {
		this.run('send-keys', '-t', `=${name}:`, '-l', text);
	}

	/** Presses keys by tmux name: Enter, C-t, C-c. */
	press(name: string, ...keys: string[]): void {
		this.run('send-keys', '-t', `=${name}:`, ...keys);
	}

	/** Types a line and presses Enter. */
	submit(name: string, text: string): void {
		this.type(name, text);
		this.press(name, 'Enter');
	}

	/** A tmux format for the session's pane, e.g. #{alternate_on} or #{cursor_flag}. */
	display(name: string, format: string): string {
		return this.run('display-message', '-p', '-t', `=${name}:`, format).trimEnd();
	}

	/** Polls the pane until `predicate` holds; on timeout the error shows the last capture. */
	async waitForPane(name: string, predicate: (pane: string) => boolean, what: string, options: WaitOptions = {}): Promise<string> {
		let last = '';
		return waitFor(
			() => {
				last = this.capture(name);
				return predicate(last) ? last : undefined;
			},
			{...options, what: `${what} in pane "${name}"`, describe: () => `last pane text:\n${last}`},
		);
	}

	/**
	 * Waits for a command started with startInShell to end and returns its exit status. The shell reaps it
	 * and prints the status: more reliable than tmux's #{pane_dead_status}, which on some machines stays empty
	 * (the server misses the SIGCHLD and leaves a zombie).
	 */
	async waitForExit(name: string, options: WaitOptions = {}): Promise<number> {
		const pane = await this.waitForPane(name, pane => exitPattern.test(pane), 'the program to exit', options);
		return Number(exitPattern.exec(pane)?.[1]);
	}

	/** Process ids of the programs in every pane of this server (none when it is not running). */
	panePids(): number[] {
		if (!this.serverStarted) {
			return [];
		}

		try {
			return this.run('list-panes', '-a', '-F', '#{pane_pid}')
				.split('\n')
				.filter(line => line.trim() !== '')
				.map(Number);
		} catch {
			return [];
		}
	}

	private newSocketName(): string {
		return `netchat-${this.label}-${process.pid}-${randomBytes(4).toString('hex')}`;
	}

	kill(): void {
		if (!this.serverStarted) {
			return;
		}

		this.serverStarted = false;
		try {
			this.run('kill-server');
		} catch {
			// Already gone.
		}
	}
}
