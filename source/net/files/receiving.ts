import {lstatSync, mkdirSync, renameSync, rmSync, statfsSync} from 'node:fs';
import {basename, join} from 'node:path';
import {errorCode, explainError} from '../transport/errors.js';
import type {FilesContext} from './context.js';
import {fetchFile} from './data-client.js';
import {formatSize} from '../../domain/files.js';
import {uniqueName} from './names.js';
import {controlTags} from './offer-codec.js';
import type {IncomingRecord} from './resume-store.js';
import {describe, type Transfer} from './transfer.js';

/** Automatic retries after a dropped connection (1 s, 2 s, 4 s...); after that, /accept N or the peer greeting again. */
const maxRetries = 5;

function partLength(path: string): number {
	try {
		// Not through a symbolic link: one in its place fails to open (data-client.ts).
		return lstatSync(path).size;
	} catch (error) {
		if (errorCode(error) === 'ENOENT') {
			return 0;
		}

		throw error;
	}
}

/** The receiving side: accepting writes a partial file and a record; the bytes come over the data connection. */
export class Receiving {
	constructor(private readonly context: FilesContext) {}

	/** /accept: the first time it makes the partial file's name and the record; again, it resumes. */
	accept(transfer: Transfer): void {
		if (transfer.state === 'running') {
			this.context.say(`Transfer ${transfer.number} (${transfer.name}) is already running.`, 'info', transfer.conversation);
			return;
		}

		try {
			mkdirSync(this.context.downloads, {recursive: true});
		} catch (error) {
			this.fail(transfer, `cannot make the downloads directory ${this.context.downloads}: ${explainError(error)}`);
			return;
		}

		// Refused for room, it stays as it was: waiting (and expiring) as an offer, or interrupted.
		const short = this.spaceShort(transfer);
		if (short !== undefined) {
			this.context.say(short, 'error', transfer.conversation);
			return;
		}

		clearTimeout(transfer.retryTimer);
		transfer.retryTimer = undefined;
		transfer.expires = undefined;
		transfer.part ??= join(this.context.downloads, `${uniqueName(this.context.downloads, transfer.name, ['.part'])}.part`);

		this.save(transfer);
		transfer.state = 'running';
		this.context.changed();
		void this.fetch(transfer);
	}

	/**
	 * Why the rest of the file cannot fit in the downloads directory, before a byte is asked for (a disk that
	 * fills meanwhile fails the write, and the partial file stays); undefined when it fits or nobody can tell.
	 */
	private spaceShort(transfer: Transfer): string | undefined {
		const {downloads} = this.context;
		let free: number;
		let needed: number;
		try {
			const stats = statfsSync(downloads);
			free = stats.bavail * stats.bsize;
			needed = transfer.size - (transfer.part === undefined ? 0 : partLength(transfer.part));
		} catch {
			return undefined;
		}

		return needed <= free
			? undefined
			: `Not enough space for ${transfer.name} in ${downloads}: it needs ${formatSize(needed)} more, ${formatSize(free)} is free. Make room (or start with --downloads DIR), then /accept ${transfer.number}.`;
	}

	/**
	 * /accept again, or a retry: our greeting goes to the sender first. One that restarted lost us (a new data
	 * port too): it greets back and offers the file again. Only here, never in answer to its greeting, so two
	 * peers with broken transfers from each other never greet back and forth.
	 */
	retry(transfer: Transfer): void {
		this.context.greet(transfer.conversation);
		this.accept(transfer);
	}

	/** A record left from before a restart: the transfer, to resume once the sender answers. */
	restored(transfer: Transfer, record: IncomingRecord): void {
		transfer.part = record.part;
		transfer.record = record;
		transfer.source = {host: record.host, port: record.port, token: record.token};
		transfer.state = 'interrupted';
	}

	/**
	 * Its sender greeted: a transfer that stopped retrying starts again (a retry still due comes by itself;
	 * starting one now would let two peers' greetings and retries drive each other).
	 */
	senderBack(transfer: Transfer): void {
		if (transfer.retryTimer === undefined) {
			this.resume(transfer);
		}
	}

	/** The sender is back (it greeted, or offered the same id again): an interrupted transfer resumes. */
	resume(transfer: Transfer): void {
		if (transfer.state === 'interrupted' && transfer.part !== undefined) {
			transfer.retries = 0;
			this.accept(transfer);
		}
	}

	cancel(transfer: Transfer): void {
		clearTimeout(transfer.retryTimer);
		transfer.retryTimer = undefined;
		transfer.abort?.abort();
		if (transfer.part !== undefined) {
			rmSync(transfer.part, {force: true});
		}

		this.context.store.remove({kind: 'in', id: transfer.id});
		transfer.state = 'cancelled';
	}

	private save(transfer: Transfer): void {
		const {source, part} = transfer;
		if (source === undefined || part === undefined) {
			return;
		}

		const record: IncomingRecord = {kind: 'in', id: transfer.id, name: transfer.name, size: transfer.size, sha256: transfer.sha256, part, ...source, peer: transfer.peer};
		transfer.record = record;
		try {
			this.context.store.save(record);
		} catch (error) {
			this.context.say(`The record of transfer ${transfer.number} was not saved (${explainError(error)}): it cannot resume after a restart.`, 'error', transfer.conversation);
		}
	}

	private async fetch(transfer: Transfer): Promise<void> {
		const {part, source} = transfer;
		if (part === undefined || source === undefined) {
			return;
		}

		const abort = new AbortController();
		transfer.abort = abort;
		try {
			let offset = partLength(part);
			if (offset > transfer.size) {
				this.keepApart(transfer, `the partial file was longer (${offset} bytes) than the offer`);
				offset = 0;
			}

			transfer.meter.reset(offset, this.context.now());
			if (abort.signal.aborted) {
				return;
			}

			const result = await fetchFile({...source, id: transfer.id, secret: this.context.secret, part, offset, size: transfer.size, signal: abort.signal, received: bytes => transfer.meter.add(bytes, this.context.now())});
			if (abort.signal.aborted || transfer.state !== 'running') {
				return;
			}

			if (result.kind === 'complete') {
				if (result.overrun) {
					this.context.say(`${transfer.peer} sent more than the ${transfer.size} bytes offered for ${transfer.name}: cut off there.`, 'error', transfer.conversation);
				}

				this.finish(transfer, result.digest);
			} else if (result.kind === 'unsafe') {
				this.fail(transfer, result.why);
			} else if (result.kind === 'disk') {
				this.fail(transfer, `${result.why}: the partial file is kept (${formatSize(result.done)} of ${formatSize(transfer.size)}, ${basename(part)}); /accept ${transfer.number} resumes`);
			} else {
				this.interrupted(transfer, result.why);
			}
		} catch (error) {
			if (!abort.signal.aborted) {
				this.fail(transfer, explainError(error));
			}
		} finally {
			if (transfer.abort === abort) {
				transfer.abort = undefined;
			}

			this.context.changed();
		}
	}

	private interrupted(transfer: Transfer, why: string): void {
		transfer.state = 'interrupted';
		if (transfer.retries >= maxRetries) {
			this.context.say(`Transfer ${transfer.number} (${transfer.name}) stopped: ${why}. It resumes when ${transfer.peer} is back, or with /accept ${transfer.number}.`, 'error', transfer.conversation);
			return;
		}

		const delay = 1000 * 2 ** transfer.retries++;
		transfer.retryTimer = setTimeout(() => {
			transfer.retryTimer = undefined;
			if (transfer.state === 'interrupted') {
				this.retry(transfer);
			}
		}, delay);
		transfer.retryTimer.unref();
	}

	private fail(transfer: Transfer, why: string): void {
		transfer.state = 'failed';
		this.context.say(`Transfer ${transfer.number} (${transfer.name}) failed: ${why}.`, 'error', transfer.conversation);
	}

	/** A partial that cannot be the file goes aside as "name.corrupt", never under the file's name. */
	private keepApart(transfer: Transfer, why: string): string | undefined {
		const {part} = transfer;
		if (part === undefined) {
			return undefined;
		}

		const aside = join(this.context.downloads, uniqueName(this.context.downloads, `${transfer.name}.corrupt`));
		try {
			renameSync(part, aside);
		} catch (error) {
			this.context.say(`${basename(part)} could not be moved aside (${explainError(error)}).`, 'error', transfer.conversation);
		}

		this.context.say(`${transfer.name} from ${transfer.peer}: ${why}; kept apart as ${aside}.`, 'error', transfer.conversation);
		return aside;
	}

	private finish(transfer: Transfer, digest: string): void {
		this.context.store.remove({kind: 'in', id: transfer.id});
		if (digest !== transfer.sha256) {
			transfer.state = 'failed';
			this.keepApart(transfer, `the SHA-256 does not match (got ${digest.slice(0, 8)}…, offered ${transfer.sha256.slice(0, 8)}…), not saved as the file`);
			this.context.tell(transfer.conversation, controlTags({kind: 'bad', id: transfer.id}));
			return;
		}

		const path = join(this.context.downloads, uniqueName(this.context.downloads, transfer.name));
		try {
			renameSync(transfer.part ?? '', path);
		} catch (error) {
			this.fail(transfer, `the file is whole but could not be renamed (${explainError(error)}); it is ${transfer.part ?? ''}`);
			return;
		}

		transfer.state = 'done';
		this.context.say(`Received ${describe(transfer.name, transfer.size, digest)} from ${transfer.peer}: SHA-256 matches; saved as ${path}.`, 'info', transfer.conversation);
		this.context.tell(transfer.conversation, controlTags({kind: 'done', id: transfer.id}));
	}
}
