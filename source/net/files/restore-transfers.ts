import {dirname, resolve} from 'node:path';
import {parseEndpoint} from '../../domain/endpoint.js';
import type {Dest} from '../session/greetings.js';
import type {FilesContext} from './context.js';
import type {Receiving} from './receiving.js';
import type {LoadedRecords} from './resume-store.js';
import type {TransferBook} from './transfer-book.js';

/** An offer of ours nobody offered or fetched in this long is not offered again (its record goes). */
export const outgoingRecordLifetimeMs = 7 * 24 * 60 * 60_000;

export type RestoreParts = {
	readonly book: TransferBook;
	readonly context: FilesContext;
	readonly receiving: Receiving;
	readonly greet: (dest: Dest) => void;
};

/**
 * Transfers left from last time: partial files resume from their sender if it still serves; our offers
 * wait for their receiver, who hears we are back (our greeting) and greets back: then they are offered again.
 */
export function restoreTransfers({records, problems}: LoadedRecords, {book, context, receiving, greet}: RestoreParts): void {
	for (const problem of problems) {
		context.say(problem, 'error');
	}

	const endpoints = new Set<string>();
	for (const record of records) {
		// A record names its partial file; one written by hand (or by another program) could name any file.
		if (record.kind === 'in' && (!record.part.endsWith('.part') || resolve(dirname(record.part)) !== resolve(context.downloads))) {
			context.say(`The record of ${record.name} names a partial file outside ${context.downloads} (${record.part}): not resumed.`, 'error');
			continue;
		}

		if (record.kind === 'out' && record.offeredAt !== undefined && context.now() - record.offeredAt > outgoingRecordLifetimeMs) {
			try {
				context.store.remove(record);
			} catch {
				// A state directory we cannot write: the record stays, and is left alone again next time.
			}

			context.say(`${record.name}, offered to ${record.peer}, was not fetched since ${new Date(record.offeredAt).toLocaleDateString()}: it is not offered again.`);
			continue;
		}

		const transfer = book.add({id: record.id, direction: record.kind === 'in' ? 'receive' : 'send', state: 'interrupted', name: record.name, conversation: undefined, peer: record.peer, size: record.size, sha256: record.sha256});
		if (record.kind === 'in') {
			receiving.restored(transfer, record);
			context.say(`Resuming ${record.name} from ${record.peer} (transfer ${transfer.number}).`);
			receiving.resume(transfer);
		} else {
			transfer.record = record;
			endpoints.add(record.endpoint);
		}
	}

	for (const endpoint of endpoints) {
		try {
			greet({kind: 'udp', endpoint: parseEndpoint(endpoint)});
		} catch {
			// A record written by hand with no address in it: offered again when that peer greets.
		}
	}
}
