import {render} from 'ink';
import meow from 'meow';
import {App} from './source/ui/app.js';
import {setDateChanges} from './source/ui/pane/format-line.js';
import {setColours} from './source/ui/pane/theme.js';
import {askSecret} from './source/cli/ask-secret.js';
import {runDiscover} from './source/cli/discover.js';
import {runHeadless} from './source/cli/headless.js';
import {helpText, packageDescription, packageVersion} from './source/cli/help.js';
import {ChatService, StartError} from './source/net/index.js';
import {UsageError} from './source/domain/endpoint.js';
import {ConfigError, configPath, loadConfig} from './source/cli/config.js';
import {frameDependsOn, uncacheableStart} from './source/ui/screen/first-frame.js';
import {quitConfirmer, runLineMode} from './source/cli/line-mode.js';
import {resolveOptions, type ChatOptions} from './source/cli/options.js';
import {allowSuspend, dumbTerminal, enterFullScreen, notificationSequence, restoreTerminal} from './source/cli/terminal.js';

const knownFlags = new Set(['port', 'p', 'peer', 'c', 'protocol', 'nick', 'n', 'bind', 'log', 'downloads', 'bell', 'notify', 'encoding', 'maxDatagram', 'max-datagram', 'send', 'secret', 'irc', 'ircPassword', 'irc-password', 'discovery', 'discover', 'format', 'listen', 'config', 'help', 'version']);

/** Closing the service saves the outbox of undelivered messages: every way out goes through it. */
let activeService: ChatService | undefined;

function fail(message: string, code: number): never {
	void activeService?.close();
	restoreTerminal(process.stdout);
	process.stderr.write(`tui-netchat: ${message}\n`);
	process.exit(code);
}

/** The options, and whether --irc was given on the command line (the config file's irc is for the chat only). */
async function parseCommandLine(): Promise<ChatOptions & {readonly ircGiven: boolean}> {
	// "--secret -" (ask for it) would reach meow as a flag without a value followed by an argument "-".
	const asksValue = (flag: string | undefined) => flag === '--secret' || flag === '--irc-password';
	const argv = process.argv.slice(2).flatMap((argument, index, all) =>
		argument === '-' && asksValue(all[index - 1]) ? [] : asksValue(argument) && all[index + 1] === '-' ? [`${argument}=-`] : [argument],
	);
	const cli = meow(helpText, {
		argv,
		importMeta: {url: import.meta.url} as ImportMeta,
		// Given here so meow does not search the disk for package.json at every start.
		pkg: {name: 'tui-netchat', version: packageVersion, description: packageDescription},
		// The help text says what the program is; the package description would say it twice.
		description: false,
		allowUnknownFlags: true,
		// A boolean flag not given stays undefined: --discovery's default depends on the mode and TUI_NETCHAT_DISCOVERY.
		booleanDefault: undefined,
		flags: {
			port: {type: 'string', shortFlag: 'p'},
			peer: {type: 'string', shortFlag: 'c'},
			protocol: {type: 'string'},
			nick: {type: 'string', shortFlag: 'n'},
			bind: {type: 'string'},
			log: {type: 'string'},
			downloads: {type: 'string'},
			// --bell off|mention|all; --no-bell reads as false.
			bell: {type: 'string'},
			notify: {type: 'boolean'},
			config: {type: 'string'},
			encoding: {type: 'string'},
			maxDatagram: {type: 'string'},
			send: {type: 'string'},
			secret: {type: 'string'},
			irc: {type: 'string', isMultiple: true},
			ircPassword: {type: 'string'},
			discovery: {type: 'boolean'},
			discover: {type: 'boolean'},
			format: {type: 'string'},
			listen: {type: 'boolean'},
		},
	});
	try {
		const unknown = Object.keys(cli.unnormalizedFlags).find(name => !knownFlags.has(name));
		if (unknown !== undefined) {
			throw new UsageError(`unknown option ${unknown.length === 1 ? '-' : '--'}${unknown}`);
		}

		if (cli.input.length > 0) {
			throw new UsageError(`unexpected argument "${cli.input[0] ?? ''}"`);
		}

		const {config: configFlag, ...flags} = cli.flags;
		const config = await loadConfig(configFlag);
		frameDependsOn(configPath(configFlag).file);
		return {...resolveOptions(flags, process.env, config), ircGiven: (flags.irc ?? []).length > 0};
	} catch (error) {
		fail(error instanceof ConfigError ? error.message : error instanceof UsageError ? `${error.message} (see --help)` : String(error), 2);
	}
}

async function main(): Promise<void> {
	process.on('uncaughtException', error => {
		fail(`unexpected error: ${error.message}`, 1);
	});

	const options = await parseCommandLine();
	let {secret, ircPassword} = options;
	if (secret === '-' || ircPassword === '-') {
		// A question comes before the first frame: such a start is never drawn ahead from the cache.
		uncacheableStart();
	}

	if (secret === '-') {
		secret = await askSecret('Passphrase (not shown): ');
		if (secret === undefined || secret === '') {
			fail('--secret -: no passphrase given (it is read from the terminal; or set TUI_NETCHAT_SECRET)', 2);
		}
	}

	if (ircPassword === '-') {
		ircPassword = await askSecret('IRC password (not shown): ');
		if (ircPassword === undefined || ircPassword === '') {
			fail('--irc-password -: no password given (it is read from the terminal; or set TUI_NETCHAT_IRC_PASSWORD)', 2);
		}
	}

	if (options.discover) {
		process.exit(await runDiscover({nick: options.nick, bind: options.bind, secret}, process));
	}

	// Without a terminal on both ends (a pipe, a script), with --send or --listen, there is no screen to draw.
	const pipe = options.send !== undefined || options.listen || !process.stdin.isTTY || !process.stdout.isTTY;
	// TERM=dumb cannot draw the full screen: a person there gets lines, as in pipe mode, and the chat's ways.
	const lineMode = !pipe && dumbTerminal();
	const headless = pipe || lineMode;
	if (headless && options.ircGiven) {
		fail(`--irc needs a terminal that draws the full screen: ${lineMode ? 'with TERM=dumb it is line mode, which' : 'pipe mode, --listen and --send'} talk${lineMode ? 's' : ''} over UDP and TCP only`, 2);
	}
	const service = new ChatService({
		...options,
		// The config file's IRC networks are joined by the full-screen chat only.
		irc: headless ? [] : options.irc,
		// A one-shot sender should not take the well-known port from a chat that wants it; a logger (--listen) wants it.
		port: pipe && !options.listen && !options.portExplicit ? 0 : options.port,
		logPath: options.log,
		secret,
		ircPassword,
		// Discovery is for people at a terminal; a script asks for it with --discovery.
		discovery: (options.discovery ?? !headless) ? {} : undefined,
		// A script's unsent message is its failure to report, not something to resend at the next start;
		// and a script reads every message, so no flood limit thins out what it prints.
		// No status bar either: the service says in words what it would show.
		// Line mode is a person: the outbox is kept and the flood limit stays, but there is no status bar either.
		...(pipe ? {stateDir: false as const, floodBurst: Number.POSITIVE_INFINITY, headless: true} : lineMode ? {headless: true} : {}),
	});
	activeService = service;
	const failToStart = async (error: unknown): Promise<never> => {
		await service.close();
		fail(error instanceof StartError ? error.message : String(error), 1);
	};

	if (lineMode) {
		await service.start().catch(failToStart);
		process.exit(await lineModeChat(service, options));
	}

	if (headless) {
		await service.start().catch(failToStart);
		// SIGINT and SIGTERM close the service (the log is flushed, the LAN hears the goodbye) before the exit:
		// with --listen that is how it ends, so it exits 0; otherwise as the signal's convention says.
		// SIGHUP is left alone, so `nohup tui-netchat --listen` keeps running.
		const stop = new AbortController();
		let signalCode: number | undefined;
		for (const [signal, number] of [['SIGINT', 2], ['SIGTERM', 15]] as const) {
			process.on(signal, () => {
				if (stop.signal.aborted) {
					// Asked twice: no more waiting for the close.
					process.exit(options.listen ? 0 : signalCode);
				}

				signalCode = 128 + number;
				stop.abort();
			});
		}

		// --listen typed in a shell (`tui-netchat --listen > file`): the terminal is not read as lines to send.
		const readInput = !(options.listen && process.stdin.isTTY);
		const code = await runHeadless(service, options.send, process, {format: options.format, listen: options.listen, readInput, stop: stop.signal});
		await service.close();
		process.exit(signalCode === undefined || options.listen ? code : signalCode);
	}

	// The sockets are bound while the first frame is drawn (start-up time is what people notice); if the
	// port is taken after all, the terminal is put back before the one-line error.
	const starting = service.start();
	enterFullScreen(process.stdout);
	// The UI rings it as display.bell says (/bell changes that while it runs).
	const bell = () => {
		process.stdout.write('\u0007');
	};
	const notify = (title: string, body: string) => {
		process.stdout.write(notificationSequence(title, body));
	};
	// Messages reach the UI at most 30 times a second (the service batches them); Ink may draw more often so
	// a key typed during a flood shows at once instead of waiting for the next message frame.
	// The question shows in the buffer on screen, wherever the quit was asked.
	let quitIn: string | undefined;
	const mayQuit = quitConfirmer(service, text => {
		service.notice(text, 'error', quitIn);
	});
	const confirmQuit = (again: string, conversation: string | undefined) => {
		quitIn = conversation;
		return mayQuit(again);
	};
	// The display settings the whole pane shares, set before the first frame (the App sets the time format).
	setDateChanges(options.display.dateChanges);
	setColours(options.display.colours);
	const app = render(<App service={service} bell={bell} display={options.display} notify={notify} confirmQuit={confirmQuit} />, {exitOnCtrlC: false, patchConsole: true, maxFps: 120});
	// Ctrl+Z: the shell's prompt, and on `fg` the chat as it was. Ink draws its last frame again after a
	// console.error() (patchConsole); what that would print is replaced by a move to the top-left corner.
	allowSuspend(process.stdin, process.stdout, () => {
		const write = process.stderr.write;
		process.stderr.write = ((..._ignored: unknown[]) => write.call(process.stderr, '\u001B[H')) as typeof write;
		try {
			console.error('');
		} finally {
			process.stderr.write = write;
		}
	});
	// The loader (dist/cli.js) writes its code cache now, when everything start-up needs is compiled.
	const started = (globalThis as Record<symbol, unknown>)[Symbol.for('tui-netchat.started')];
	if (typeof started === 'function') {
		setImmediate(started as () => void);
	}

	let leaving = false;
	const leave = (code = 0) => {
		if (leaving) {
			return;
		}

		leaving = true;
		// tui-netchat peers hear that we leave (after /quit REASON, with it): quit() is that, then close().
		const closed = service.quit();
		try {
			app.unmount();
		} catch {
			// The terminal is gone (a closed window): there is nothing left to draw on.
		}

		restoreTerminal(process.stdout);
		// Peers and the LAN hear our goodbye (a datagram or two, out in well under a millisecond), but nothing holds the exit long.
		void Promise.race([closed, new Promise(resolve => {
			setTimeout(resolve, 600);
		})]).finally(() => process.exit(code));
	};

	// A signal ends the program as its convention says: 128 plus its number.
	for (const [signal, number] of [['SIGHUP', 1], ['SIGINT', 2], ['SIGQUIT', 3], ['SIGTERM', 15]] as const) {
		process.once(signal, () => {
			leave(128 + number);
		});
	}

	// Writing to a terminal that was closed fails with EIO: leave as on a hangup.
	process.stdout.on('error', () => {
		leave(129);
	});
	try {
		await starting;
	} catch (error) {
		leaving = true;
		app.unmount();
		await failToStart(error);
	}

	await app.waitUntilExit();
	leave();
}

/** TERM=dumb: lines in and out; the first Ctrl+C with messages undelivered only warns, as the chat does. */
async function lineModeChat(service: ChatService, options: ChatOptions): Promise<number> {
	const stop = new AbortController();
	const mayQuit = quitConfirmer(service, text => {
		process.stdout.write(`\n${text}\n`);
	});
	process.on('SIGINT', () => {
		if (stop.signal.aborted || mayQuit('Ctrl+C')) {
			stop.abort();
		}
	});
	process.once('SIGTERM', () => {
		stop.abort();
	});
	const code = await runLineMode(service, process, {format: options.format, stop: stop.signal, peers: options.peers});
	// tui-netchat peers and the LAN hear that we leave; nothing holds the exit long.
	await Promise.race([service.quit(), new Promise(resolve => {
		setTimeout(resolve, 600);
	})]);
	return code;
}

void main();
