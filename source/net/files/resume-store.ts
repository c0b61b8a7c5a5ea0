import {mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {explainError} from '../transport/errors.js';
import {isTransferId} from './offer-codec.js';

// What survives a restart of either side, one small JSON file per transfer in <state dir>/transfers/:
// the receiver's (where the partial file is, whom to ask) and the sender's (which file it offered to whom,
// so it can offer it again under the same id). The bytes received are the partial file's length, not a field.

export type IncomingRecord = {
	readonly kind: 'in';
	readonly id: string;
	readonly name: string;
	readonly size: number;
	readonly sha256: string;
	/** The partial file, "<downloads>/name.part". */
	readonly part: string;
	/** Where to fetch from: the sender's host and data port, and the offer's token. */
	readonly host: string;
	readonly port: number;
	readonly token: string;
	readonly peer: string;
};

export type OutgoingRecord = {
	readonly kind: 'out';
	readonly id: string;
	readonly path: string;
	readonly name: string;
	readonly size: number;
	readonly sha256: string;
	readonly token: string;
	/** The peer's chat endpoint ("127.0.0.1:7852"): when it greets again, the offer goes again. */
	readonly endpoint: string;
	readonly peer: string;
	/** When it was last offered or fetched from (ms since the epoch); records from before this field have none. */
	readonly offeredAt?: number;
};

export type TransferRecord = IncomingRecord | OutgoingRecord;

export type LoadedRecords = {readonly records: TransferRecord[]; readonly problems: string[]};

function text(value: unknown): value is string {
	return typeof value === 'string' && value !== '';
}

function count(value: unknown): value is number {
	return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** A record read back, checked field by field; undefined when anything is off. */
export function parseRecord(json: string): TransferRecord | undefined {
	let value: Record<string, unknown>;
	try {
		value = JSON.parse(json) as Record<string, unknown>;
	} catch {
		return undefined;
	}

	if (typeof value !== 'object' || value === null || !text(value['id']) || !isTransferId(value['id']) || !text(value['name']) || !count(value['size'])) {
		return undefined;
	}

	if (!text(value['sha256']) || !/^[\da-f]{64}$/.test(value['sha256']) || !text(value['token']) || !text(value['peer'])) {
		return undefined;
	}

	if (value['kind'] === 'in' && text(value['part']) && text(value['host']) && count(value['port']) && value['port'] > 0 && value['port'] < 65_536) {
		return value as IncomingRecord;
	}

	if (value['kind'] === 'out' && text(value['path']) && text(value['endpoint']) && (value['offeredAt'] === undefined || count(value['offeredAt']))) {
		return value as OutgoingRecord;
	}

	return undefined;
}

/** The records of one state directory; without a directory (tests, pipe mode) they live in memory only. */
export class ResumeStore {
	private readonly directory: string | undefined;

	constructor(stateDir: string | undefined) {
		this.directory = stateDir === undefined ? undefined : join(stateDir, 'transfers');
	}

	private path(record: Pick<TransferRecord, 'kind' | 'id'>): string | undefined {
		return this.directory === undefined ? undefined : join(this.directory, `${record.kind}-${record.id}.json`);
	}

	/** Every record; a damaged one is moved aside (name.json.corrupt) and named in a problem line. */
	load(): LoadedRecords {
		const records: TransferRecord[] = [];
		const problems: string[] = [];
		if (this.directory === undefined) {
			return {records, problems};
		}

		let names: string[];
		try {
			names = readdirSync(this.directory).filter(name => /^(in|out)-[\da-f]{12}\.json$/.test(name));
		} catch {
			return {records, problems};
		}

		for (const name of names) {
			const path = join(this.directory, name);
			let record: TransferRecord | undefined;
			try {
				record = parseRecord(readFileSync(path, 'utf8'));
			} catch {}

			if (record) {
				records.push(record);
				continue;
			}

			try {
				renameSync(path, `${path}.corrupt`);
				problems.push(`The transfer record ${name} was damaged: moved aside to ${name}.corrupt; that transfer starts over if offered again.`);
			} catch (error) {
				problems.push(`The transfer record ${name} was damaged and cannot be moved aside (${explainError(error)}).`);
			}
		}

		return {records, problems};
	}

	/** Written to a temporary file and renamed: a crash leaves the old record or the new one, whole. */
	save(record: TransferRecord): void {
		const path = this.path(record);
		if (path === undefined || this.directory === undefined) {
			return;
		}

		mkdirSync(this.directory, {recursive: true, mode: 0o700});
		const temporary = `${path}.${process.pid}.tmp`;
		writeFileSync(temporary, JSON.stringify(record), {mode: 0o600});
		renameSync(temporary, path);
	}

	remove(record: Pick<TransferRecord, 'kind' | 'id'>): void {
		const path = this.path(record);
		if (path !== undefined) {
			rmSync(path, {force: true});
		}
	}
}
