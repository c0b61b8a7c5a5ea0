import type {ChatLine} from '../domain/snapshot.js';
import type {ChatService} from '../net/index.js';
import {defaultFormat, type LineFormat} from './line-format.js';
import {currentValue, runPipeLine, type InputMode} from './pipe-input.js';
import {PipeOutput} from './pipe-output.js';

const maxBacklog = 1000;
const icmpGraceMs = 100;
/** Frames come every 33 ms, every 150 ms in a flood: a command waits for one no longer than this. */
const frameWaitMs = 300;

export type HeadlessIo = {
	readonly stdin: NodeJS.ReadableStream;
	readonly stdout: NodeJS.WritableStream;
	readonly stderr: NodeJS.WritableStream & {readonly isTTY?: boolean};
};

export type HeadlessOptions = {
	/** --format: how a received message is printed (default '{time} <{nick}> {text}'). */
	readonly format?: LineFormat;
	/** --listen: keep printing after input has ended, until `stop` (a signal) or /quit. */
	readonly listen?: boolean;
	/** Read stdin as lines to send (default true; --listen with a terminal on stdin does not read it). */
	readonly readInput?: boolean;
	/** Aborted on SIGINT or SIGTERM: input stops being read and runHeadless returns. */
	readonly stop?: AbortSignal;
	/**
	 * Who types the input: a script ('pipe', the default: a refused line is named by its number) or a person
	 * at a terminal without a screen ('line', TERM=dumb: /nick and /proto alone say what they are).
	 */
	readonly mode?: InputMode;
};

/** Where pipe mode is: the retry notes say what is really going to happen to a message. */
type Stage = 'reading' | 'ending' | 'listening';

/**
 * The service's notes are written for the chat's screen (a status bar, Ctrl+T, /peers); these say the
 * same for a script. Text the service words differently one day goes through unchanged.
 */
function forPipe(text: string, stage: Stage): string {
	const retry = {
		reading: 'retrying while input lasts (what still waits when it ends is not sent).',
		ending: 'not sent.',
		listening: 'retrying; messages wait until it connects.',
	}[stage];
	// "retrying in 3s" (the service's words without a status bar) is true while it keeps running.
	const retryNote = stage === 'listening' ? /retrying \(the status bar counts down\)\.$/ : /retrying(?: \(the status bar counts down\)| in \d+s)\.$/;
	return text
		.replace(retryNote, retry)
		.replace(/\(Ctrl\+T\)\.?$/, '(--protocol tcp, or /proto tcp).')
		.replace(/Ctrl\+T switches to TCP\.?$/, '--protocol tcp or /proto tcp switches to TCP.')
		.replace(/: \/peers lists who is known\.$/, '.');
}

function waitForAbort(signal: AbortSignal | undefined): Promise<void> {
	return new Promise(resolve => {
		if (signal?.aborted) {
			resolve();
		} else {
			signal?.addEventListener('abort', () => {
				resolve();
			}, {once: true});
		}
	});
}

/**
 * Without a terminal (a pipe, a script), with --send or with --listen: each input line is sent as a message
 * (slash commands run, as in the chat), received messages go to stdout one per line, errors to stderr.
 * Resolves with the exit code once input has ended and every send has gone out (0) or failed (1); with
 * --listen, once stopped (0).
 */
export async function runHeadless(service: ChatService, send: string | undefined, io: HeadlessIo, options: HeadlessOptions = {}): Promise<number> {
	const {format = defaultFormat, listen = false, readInput = true, stop, mode = 'pipe'} = options;
	io.stdout.on('error', () => undefined);
	let errors = 0;
	let stage: Stage = listen ? 'listening' : send === undefined && readInput ? 'reading' : 'ending';
	const fail = (text: string) => {
		errors++;
		io.stderr.write(`tui-netchat: ${text}\n`);
	};

	const output = new PipeOutput(service, io.stdout, format);

	// Errors from the start (a --log that cannot be written) came before this listener.
	for (const line of service.getSnapshot().lines) {
		if (line.kind === 'system' && line.level === 'error') {
			fail(forPipe(line.text, stage));
		}
	}

	const stopLines = service.onLineAdded((line: ChatLine) => {
		if (line.kind === 'in') {
			output.add(line);
		} else if (line.kind === 'system' && line.level === 'error') {
			fail(forPipe(line.text, stage));
		}
	});

	if (listen) {
		const {localPort, portNote} = service.getSnapshot();
		// A logger on another port than meant hears nothing: say so even when stderr is a file.
		if (io.stderr.isTTY === true || portNote !== undefined) {
			io.stderr.write(`tui-netchat: listening on UDP and TCP port ${localPort}${portNote === undefined ? '' : ` (${portNote})`}; Ctrl+C stops.\n`);
		}
	}

	let quit = false;
	try {
		if (send !== undefined) {
			service.send(send);
		} else if (readInput) {
			quit = await readLines(service, io.stdin, fail, stop, mode);
		}

		stage = listen && !quit ? 'listening' : 'ending';
		if (stop?.aborted) {
			return listen ? 0 : 1;
		}

		if (listen && !quit) {
			await waitForAbort(stop);
			return 0;
		}

		await Promise.race([service.drain(), waitForAbort(stop)]);
		if (service.getSnapshot().protocol === 'udp' && !stop?.aborted) {
			// A closed UDP port answers with an ICMP message a moment after the datagram left.
			await new Promise(resolve => {
				setTimeout(resolve, icmpGraceMs);
			});
		}

		if (listen) {
			return 0;
		}

		return service.undelivered() === 0 && errors === 0 ? 0 : 1;
	} finally {
		stopLines();
		output.close();
	}
}

/** The service's next frame (its snapshot rebuilt), or a moment, whichever comes first. */
async function nextFrame(service: Pick<ChatService, 'subscribe'>): Promise<void> {
	await new Promise<void>(resolve => {
		const done = () => {
			clearTimeout(timer);
			unsubscribe();
			resolve();
		};

		const timer = setTimeout(done, frameWaitMs);
		const unsubscribe = service.subscribe(done);
	});
}

/** Sends stdin line by line until it ends, /quit or `stop`; true when /quit ended it. */
async function readLines(service: ChatService, stdin: NodeJS.ReadableStream, fail: (text: string) => void, stop: AbortSignal | undefined, mode: InputMode): Promise<boolean> {
	// node:readline is loaded only here, in pipe mode: the full-screen chat never needs it.
	const lines = process.getBuiltinModule('node:readline').createInterface({input: stdin, crlfDelay: Number.POSITIVE_INFINITY});
	const close = () => {
		lines.close();
	};

	stop?.addEventListener('abort', close, {once: true});
	let number = 0;
	/**
	 * A command ran and the snapshot has not been rebuilt since (frames come at most every 33 ms): what it
	 * changed (the nick, the protocol) is not in the snapshot yet.
	 */
	let unsettled = false;
	const stopFrames = service.subscribe(() => {
		unsettled = false;
	});
	try {
		for await (const line of lines) {
			number++;
			if (stop?.aborted) {
				break;
			}

			if (line.trim() !== '') {
				// A command (not a message, not //text) may change what the snapshot says.
				const before: boolean = unsettled;
				unsettled = /^\/(?!\/)/.test(line);
				const result = runPipeLine(line, service, mode);
				if (result.type === 'quit') {
					return true;
				}

				if (result.type === 'refused') {
					unsettled = before;
					// A script's author looks for the line; a person just typed it.
					fail(mode === 'pipe' ? `line ${number}: ${result.message}` : result.message);
				}

				if (result.type === 'show') {
					unsettled = before;
					if (unsettled) {
						// "/nick zed" then "/nick" says zed, however fast they come.
						// eslint-disable-next-line no-await-in-loop
						await nextFrame(service);
					}

					service.notice(currentValue(result.what, service.getSnapshot()));
				}
			}

			// A peer that reads slowly slows the input down instead of filling memory.
			while (service.backlog() > maxBacklog && !stop?.aborted) {
				// eslint-disable-next-line no-await-in-loop
				await new Promise(resolve => {
					setTimeout(resolve, 20);
				});
			}
		}

		return false;
	} finally {
		stopFrames();
		stop?.removeEventListener('abort', close);
		lines.close();
	}
}
