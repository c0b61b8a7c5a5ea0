import {randomBytes} from 'node:crypto';
import {accessSync, constants, statSync} from 'node:fs';
import {basename} from 'node:path';
import {explainError} from '../transport/errors.js';
import type {FilesContext} from './context.js';
import {newToken} from './data-server.js';
import {hashFile} from './hash-file.js';
import {sanitizeFileName} from './names.js';
import {offerTags} from './offer-codec.js';
import type {OutgoingRecord} from './resume-store.js';
import {describe, isOver, type Transfer} from './transfer.js';

/** A file that can be offered, or why not, in one line. */
export function checkFile(path: string): {readonly size: number} | {readonly problem: string} {
	let size: number;
	try {
		const stats = statSync(path);
		if (stats.isDirectory()) {
			return {problem: `${path} is a directory: /send takes one file (tar it first).`};
		}

		if (!stats.isFile()) {
			return {problem: `${path} is not a regular file.`};
		}

		size = stats.size;
		accessSync(path, constants.R_OK);
	} catch (error) {
		return {problem: `Cannot send ${path}: ${explainError(error)}.`};
	}

	return {size};
}

/** An offer over UDP can be lost: it goes again after these delays while nobody answered (a receiver lists it once). */
const offerRepeatsMs = [1000, 2000, 4000];

export function newTransferId(): string {
	return randomBytes(6).toString('hex');
}

/** The sending side: hash, offer, serve on the data port until the peer has it all or someone cancels. */
export class Sending {
	constructor(private readonly context: FilesContext) {}

	/** Hashes (progress shows as "hashing"), then offers and serves. */
	async offer(transfer: Transfer, path: string, endpoint: string): Promise<void> {
		const {context} = this;
		transfer.meter.reset(0, context.now());
		let sha256: string;
		try {
			const hash = await hashFile(path, {progress: bytes => transfer.meter.add(bytes - transfer.meter.done, context.now())});
			sha256 = hash.digest('hex');
		} catch (error) {
			transfer.state = 'failed';
			context.say(`Cannot send ${path}: ${explainError(error)}.`, 'error', transfer.conversation);
			return;
		}

		if (transfer.state !== 'hashing') {
			return;
		}

		const record: OutgoingRecord = {kind: 'out', id: transfer.id, path, name: transfer.name, size: transfer.size, sha256, token: newToken(), endpoint, peer: transfer.peer, offeredAt: context.now()};
		Object.assign(transfer, {sha256});
		transfer.record = record;
		try {
			context.store.save(record);
		} catch (error) {
			context.say(`The record of transfer ${transfer.number} was not saved (${explainError(error)}): after a restart it is not offered again.`, 'error', transfer.conversation);
		}

		await this.serve(transfer, record, true);
	}

	/** Offers under the record's id (again after a restart, or when the peer greets anew), serving from the data port. */
	async serve(transfer: Transfer, record: OutgoingRecord, first: boolean): Promise<void> {
		const {context} = this;
		let port: number;
		try {
			port = await context.server.port();
		} catch (error) {
			transfer.state = 'failed';
			context.say(`Cannot open a port for ${transfer.name}: ${explainError(error)}.`, 'error', transfer.conversation);
			return;
		}

		// Cancelled while the port opened.
		if (isOver(transfer.state)) {
			return;
		}

		let toldAllSent = false;
		context.server.serve({
			id: record.id,
			path: record.path,
			size: record.size,
			token: record.token,
			started(offset) {
				transfer.state = 'running';
				// Taken: the record lives a week from now (restore-transfers.ts), not from when it was offered.
				const taken = {...record, offeredAt: context.now()};
				transfer.record = taken;
				try {
					context.store.save(taken);
				} catch {
					// It was saved at the offer; at worst it goes a week after that.
				}

				transfer.meter.reset(offset, context.now());
				context.changed();
			},
			sent(bytes) {
				transfer.meter.add(bytes, context.now());
			},
			ended(result) {
				if (transfer.state !== 'running') {
					return;
				}

				// All written is not all received: the offer stays served (a receiver cut with the tail in flight
				// asks again) until its verdict (file-done / file-bad), a cancel or the offer's expiry.
				if (result.complete && !toldAllSent) {
					toldAllSent = true;
					context.say(`${transfer.name}: all sent, waiting for ${transfer.peer}'s check.`, 'info', transfer.conversation);
				} else if (!result.complete) {
					transfer.state = 'interrupted';
				}

				context.changed();
			},
		});
		transfer.state = 'offered';
		const line = offerTags({id: record.id, name: record.name, size: record.size, sha256: record.sha256, port, token: record.token});
		const told = context.tell(transfer.conversation, line.tags, line.text);
		clearTimeout(transfer.retryTimer);
		const again = (index: number) => {
			transfer.retryTimer = setTimeout(() => {
				if (transfer.state === 'offered' && context.tell(transfer.conversation, line.tags, line.text) && index + 1 < offerRepeatsMs.length) {
					again(index + 1);
				}
			}, offerRepeatsMs[index]);
			transfer.retryTimer.unref();
		};

		if (told) {
			again(0);
		}

		if (first) {
			const to = told ? `Offered ${describe(transfer.name, transfer.size, record.sha256)} to ${transfer.peer}` : `${transfer.peer} cannot be reached now; ${describe(transfer.name, transfer.size, record.sha256)} is offered when it greets`;
			context.say(`${to}: transfer ${transfer.number} (/cancel ${transfer.number} withdraws it).`, 'info', transfer.conversation);
		}

		context.changed();
	}

	/** The receiver's verdict (file-done: it has the file, SHA-256 checked; file-bad: its copy did not match): the offer is withdrawn. */
	checked(transfer: Transfer, matched: boolean): void {
		if (transfer.state === 'done' || transfer.state === 'failed' || transfer.state === 'cancelled' || transfer.state === 'rejected') {
			return;
		}

		this.stop(transfer);
		transfer.state = matched ? 'done' : 'failed';
		const {peer, name, size, sha256} = transfer;
		this.context.say(matched ? `Sent ${describe(name, size, sha256)} to ${peer} (${peer} checked the SHA-256).` : `${peer}'s copy of ${name} did not match its SHA-256.`, matched ? 'info' : 'error', transfer.conversation);
		this.context.changed();
	}

	/** /cancel, or the peer rejected or cancelled it. */
	stop(transfer: Transfer): void {
		clearTimeout(transfer.retryTimer);
		this.context.server.withdraw(transfer.id);
		this.context.store.remove({kind: 'out', id: transfer.id});
	}
}

/** The name a file is offered under: its own, made safe as the receiver would. */
export function offeredName(path: string): string {
	return sanitizeFileName(basename(path));
}
