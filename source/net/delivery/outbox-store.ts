import {closeSync, constants, fdatasyncSync, fstatSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync} from 'node:fs';
import {homedir} from 'node:os';
import {basename, dirname, join} from 'node:path';
import {errorCode, explainError} from '../transport/errors.js';
import {formatOutbox, parseStrict, salvage, type LoadedOutbox, type StoredMessage, type StoredOutbox} from './outbox-format.js';

export type {LoadedOutbox, StoredMessage, StoredOutbox} from './outbox-format.js';

/** $XDG_STATE_HOME/tui-netchat (default ~/.local/state/tui-netchat), or $TUI_NETCHAT_STATE_DIR. */
export function stateDirectory(env: NodeJS.ProcessEnv = process.env): string {
	if (env['TUI_NETCHAT_STATE_DIR']) {
		return env['TUI_NETCHAT_STATE_DIR'];
	}

	const base = env['XDG_STATE_HOME'] && env['XDG_STATE_HOME'].startsWith('/') ? env['XDG_STATE_HOME'] : join(homedir(), '.local', 'state');
	return join(base, 'tui-netchat');
}

/** One outbox per nick and peer, so the same command line after a restart finds its messages. */
export function outboxPath(directory: string, nick: string, peer: string | undefined): string {
	const safe = (text: string) => text.replace(/[^\w.-]+/g, '_');
	return join(directory, `outbox-${safe(nick)}-${safe(peer ?? 'any')}.json`);
}

/**
 * A missing file is an empty outbox. A damaged one (cut short, garbage, empty, wrong shape, a bad entry)
 * is moved aside, whatever is readable in it kept, and one line says so; nothing is dropped silently.
 */
export function loadOutbox(path: string): LoadedOutbox {
	const empty = {messages: [], knownPeers: []};
	let text: string | undefined;
	let unreadable: string | undefined;
	try {
		text = readFileSync(path, 'utf8');
	} catch (error) {
		const code = errorCode(error);
		if (code === 'ENOENT') {
			return empty;
		}

		if (code === 'EISDIR') {
			return {...empty, problem: `The outbox ${path} is a directory: undelivered messages are not kept until it is moved away.`};
		}

		unreadable = explainError(error);
	}

	const strict = text ? parseStrict(text) : undefined;
	if (strict) {
		return {messages: strict.messages, knownPeers: strict.knownPeers, rewrite: strict.old};
	}

	const found = salvage(text ?? '');
	const kept = found.total === 0 ? 'no messages could be read' : `${found.messages.length} of ${found.total} ${found.total === 1 ? 'message' : 'messages'} kept`;
	const why = unreadable ? `unreadable: ${unreadable}` : text === '' ? 'empty' : found.total === 0 ? 'not an outbox file' : 'cut short or garbled';
	try {
		const aside = `${path}.corrupt-${new Date().toISOString().replaceAll(':', '-')}`;
		renameSync(path, aside);
		return {...found, rewrite: true, problem: `The outbox ${path} was damaged (${why}): moved aside to ${basename(aside)}; ${kept}.`};
	} catch (error) {
		return {...found, problem: `The outbox ${path} was damaged (${why}) and cannot be moved aside (${explainError(error)}); ${kept}.`};
	}
}

function writeAll(fd: number, text: string): number {
	const bytes = Buffer.from(text);
	for (let done = 0, written = 0; done < bytes.length; done += written) {
		written = writeSync(fd, bytes, done, bytes.length - done);
		if (written <= 0) {
			throw Object.assign(new Error('the disk took no more bytes'), {code: 'ENOSPC'});
		}
	}

	return bytes.length;
}

function fsyncPath(path: string): void {
	const fd = openSync(path, 'r');
	try {
		fsyncSync(fd);
	} finally {
		closeSync(fd);
	}
}

/** Written to a temporary file, synced and renamed (the directory synced too): a crash at any moment leaves one whole outbox. */
export function saveOutbox(path: string, outbox: StoredOutbox): number {
	mkdirSync(dirname(path), {recursive: true, mode: 0o700});
	const temporary = `${path}.${process.pid}.tmp`;
	let size = 0;
	try {
		const fd = openSync(temporary, 'w', 0o600);
		try {
			size = writeAll(fd, formatOutbox(outbox));
			fsyncSync(fd);
		} finally {
			closeSync(fd);
		}

		renameSync(temporary, path);
	} catch (error) {
		rmSync(temporary, {force: true});
		throw error;
	}

	try {
		fsyncPath(dirname(path));
	} catch {}

	return size;
}

/** Debounce for rewriting the whole file: a burst of changes (a run of acknowledgements) is one write. */
const saveDelayMs = 200;
/** A message within this long of the last sync is part of a burst (a paste): the rewrite soon after syncs it. */
const burstMs = 50;
const retryMs = {first: 500, max: 30_000};

/**
 * The outbox file of one chat. A new message is appended (one write; fdatasync unless it is part of a burst,
 * which the rewrite soon after syncs) before added() returns, so it survives kill -9 from the moment anything
 * shows it; the rest (acknowledgements, peers learned) rewrites the whole file shortly after, and at close.
 * A failure is said once and retried with backoff, and its end is said too.
 */
export class OutboxFile {
	private timer: NodeJS.Timeout | undefined;
	/** Appends go here: the file as we last wrote it, open once it is ours. */
	private fd: number | undefined;
	private size = 0;
	private lastSync = Number.NEGATIVE_INFINITY;
	private failing = false;
	private backoff = 0;
	private retryAt = 0;
	private closed = false;

	constructor(
		readonly path: string,
		private readonly contents: () => StoredOutbox,
		private readonly report: (text: string, level: 'info' | 'error') => void,
	) {}

	/** Loads the file, says what was wrong with it, and makes sure at once that it can be written. */
	restore(): LoadedOutbox {
		const loaded = loadOutbox(this.path);
		if (loaded.problem !== undefined) {
			this.report(loaded.problem, 'error');
		}

		try {
			if (loaded.rewrite) {
				this.rewrite(loaded);
			} else if (loaded.problem === undefined) {
				// O_CREAT never: an empty file would read as a damaged one. No file yet: write an empty outbox.
				this.fd = openSync(this.path, constants.O_WRONLY | constants.O_APPEND);
				this.size = fstatSync(this.fd).size;
			} else {
				// Said already (a directory in its place): keep trying, quietly, until it is moved.
				this.failed(undefined);
			}
		} catch (error) {
			if (errorCode(error) === 'ENOENT' && this.fd === undefined && !loaded.rewrite) {
				this.saveNow();
			} else {
				this.failed(error);
			}
		}

		return loaded;
	}

	/** A new message, already in contents(): on disk before this returns, when the disk allows. */
	added(message: StoredMessage): void {
		if (this.closed || (this.failing && Date.now() < this.retryAt)) {
			return;
		}

		if (this.fd === undefined || this.failing) {
			this.saveNow();
			return;
		}

		try {
			this.size += writeAll(this.fd, `${JSON.stringify(message)}\n`);
			if (Date.now() - this.lastSync >= burstMs) {
				fdatasyncSync(this.fd);
				this.lastSync = Date.now();
			} else {
				this.changed();
			}
		} catch (error) {
			try {
				// A line cut short by a full disk would make the file look damaged: take it back.
				ftruncateSync(this.fd, this.size);
			} catch {}

			this.failed(error);
		}
	}

	changed(): void {
		if (!this.closed && !this.failing && !this.timer) {
			this.schedule(saveDelayMs);
		}
	}

	saveNow(): void {
		clearTimeout(this.timer);
		this.timer = undefined;
		try {
			this.rewrite(this.contents());
		} catch (error) {
			this.failed(error);
			return;
		}

		if (this.failing) {
			this.failing = false;
			this.backoff = 0;
			this.report(`The outbox ${this.path} is saved again.`, 'info');
		}
	}

	close(): void {
		if (!this.closed) {
			this.saveNow();
			this.closed = true;
			clearTimeout(this.timer);
			this.closeFd();
		}
	}

	private rewrite(outbox: StoredOutbox): void {
		const size = saveOutbox(this.path, outbox);
		this.closeFd();
		this.fd = openSync(this.path, 'a');
		this.size = size;
		this.lastSync = Date.now();
	}

	/** @param error undefined when the trouble was said already. */
	private failed(error: unknown): void {
		this.closeFd();
		if (!this.failing && error !== undefined) {
			this.report(`Cannot save the outbox ${this.path}: ${explainError(error)}. Trying again; until then, messages not yet delivered are lost if the program ends.`, 'error');
		}

		this.failing = true;
		this.backoff = Math.min(retryMs.max, this.backoff === 0 ? retryMs.first : this.backoff * 2);
		this.retryAt = Date.now() + this.backoff;
		if (!this.closed) {
			this.schedule(this.backoff);
		}
	}

	private schedule(ms: number): void {
		clearTimeout(this.timer);
		this.timer = setTimeout(() => {
			this.timer = undefined;
			this.saveNow();
		}, ms);
	}

	private closeFd(): void {
		if (this.fd !== undefined) {
			try {
				closeSync(this.fd);
			} catch {}

			this.fd = undefined;
		}
	}
}
