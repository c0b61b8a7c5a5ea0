import {Transform} from 'node:stream';
import {formatEndpoint, type Endpoint} from '../domain/endpoint.js';
import type {ChatLine} from '../domain/snapshot.js';
import type {ChatService} from '../net/index.js';
import {runHeadless, type HeadlessIo} from './headless.js';
import type {LineFormat} from './line-format.js';

export type LineModeOptions = {
	readonly format: LineFormat;
	/** The config file's [peers]: `/connect home`, `/query home` and `/msg home TEXT` go to that address. */
	readonly peers?: ReadonlyMap<string, Endpoint>;
	/** Aborted by the second Ctrl+C (or SIGTERM): line mode ends. */
	readonly stop: AbortSignal;
};

/** "2 messages not delivered yet: they are kept; Ctrl+C again to quit" (words for /quit too). */
export function undeliveredWarning(count: number, again: string): string {
	return `${count} message${count === 1 ? ' is' : 's'} not delivered yet: ${count === 1 ? 'it is' : 'they are'} kept; ${again} again to quit`;
}

/**
 * Asks once before quitting with messages undelivered: returns false (and says why through `warn`) the first
 * time, true when nothing waits or it was asked already. For the full-screen chat too (Ctrl+C, /quit).
 */
export function quitConfirmer(service: Pick<ChatService, 'backlog'>, warn: (text: string) => void): (again: string) => boolean {
	let warned = false;
	return again => {
		const count = service.backlog();
		if (count === 0 || warned) {
			return true;
		}

		warned = true;
		warn(undeliveredWarning(count, again));
		return false;
	};
}

const two = (value: number) => String(value).padStart(2, '0');
const clock = (time: number) => {
	const date = new Date(time);
	return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
};

/** The service's notes name keys of the full-screen chat; line mode has lines and commands. */
function forLineMode(text: string): string {
	return text
		.replace(/ \/help lists commands; Ctrl\+T switches protocol\.$/, ' Type a line to send it; /proto tcp switches protocol; Ctrl+D or /quit leaves.')
		.replace(/\(Ctrl\+T\)\.?$/, '(/proto tcp).')
		.replace(/Ctrl\+T switches to TCP\.?$/, '/proto tcp switches to TCP.');
}

/**
 * The input lines, less a /quit that asks first: with messages still undelivered, the first /quit only
 * warns; a /quit (or the end of input) ends the lines, and with them line mode.
 */
/** `/connect home` as `/connect 192.168.1.20:7852`, for a peer the config file names. */
export function withNamedPeer(line: string, peers: ReadonlyMap<string, Endpoint>): string {
	const match = /^(\s*\/(?:connect|query|msg)\s+)(\S+)(.*)$/i.exec(line);
	const endpoint = match === null ? undefined : peers.get(match[2] ?? '');
	return match === null || endpoint === undefined ? line : `${match[1] ?? ''}${formatEndpoint(endpoint)}${match[3] ?? ''}`;
}

function quitGuard(service: Pick<ChatService, 'backlog'>, warn: (text: string) => void, peers: ReadonlyMap<string, Endpoint>): Transform {
	let partial = '';
	let closed = false;
	const mayQuit = quitConfirmer(service, warn);
	return new Transform({
		transform(chunk: Buffer | string, _encoding, done) {
			if (closed) {
				done();
				return;
			}

			const lines = (partial + chunk.toString()).split('\n');
			partial = lines.pop() ?? '';
			for (const line of lines) {
				if (/^\s*\/quit(?:\s|$)/i.test(line)) {
					if (!mayQuit('/quit')) {
						continue;
					}

					closed = true;
					this.push(null);
					done();
					return;
				}

				this.push(`${withNamedPeer(line, peers)}\n`);
			}

			done();
		},
		flush(done) {
			done(null, partial === '' || closed ? undefined : partial);
		},
	});
}

/**
 * A plain line interface for a terminal that cannot draw the full screen (TERM=dumb): the terminal's own
 * line editing, each line sent (slash commands as in pipe mode), each message and note printed as a line.
 * Ends with 0 on Ctrl+D, /quit or `stop`; what was not delivered stays in the outbox for the next start.
 */
export async function runLineMode(service: ChatService, io: HeadlessIo, {format, stop, peers = new Map()}: LineModeOptions): Promise<number> {
	const ended = new AbortController();
	const end = () => {
		ended.abort();
	};

	stop.addEventListener('abort', end, {once: true});
	const note = (line: ChatLine) => {
		// The listening line is runHeadless's ("listening on ... port N"), errors go to stderr there.
		if (line.kind === 'system' && line.level === 'info' && !line.text.startsWith('Listening on UDP and TCP')) {
			io.stdout.write(`${clock(line.time)} -!- ${forLineMode(line.text)}\n`);
		}
	};

	for (const line of service.getSnapshot().lines) {
		note(line);
	}

	const stopNotes = service.onLineAdded(note);
	const input = quitGuard(
		service,
		text => {
			io.stdout.write(`${clock(Date.now())} -!- ${text}\n`);
		},
		peers,
	);
	input.on('end', end);
	io.stdin.pipe(input);
	try {
		// As --listen: messages keep arriving while the person thinks; the end of input (or /quit) stops it.
		return await runHeadless(service, undefined, {...io, stdin: input}, {format, listen: true, readInput: true, stop: ended.signal, mode: 'line'});
	} finally {
		stopNotes();
		io.stdin.unpipe(input);
		stop.removeEventListener('abort', end);
	}
}
