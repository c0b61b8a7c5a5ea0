import type {TransferDirection, TransferState, TransferSummary} from '../../domain/files.js';
import {formatDuration} from './progress.js';
import {formatSize} from '../../domain/files.js';
import {ProgressMeter} from './progress.js';
import type {IncomingRecord, OutgoingRecord} from './resume-store.js';

/** One transfer, either way, while the program runs. */
export type Transfer = {
	readonly number: number;
	readonly id: string;
	readonly direction: TransferDirection;
	state: TransferState;
	/** Sending: the name offered; receiving: the offered name, sanitised. */
	readonly name: string;
	/** Its conversation, for the lines about it; undefined once the peer is known only from a record. */
	conversation: string | undefined;
	peer: string;
	readonly size: number;
	readonly sha256: string;
	readonly meter: ProgressMeter;
	/** Receiving: where to fetch from (the offer's port and token change when the sender restarts). */
	source?: {host: string; port: number; token: string};
	/** Receiving: the partial file, once accepted. */
	part?: string;
	/** The record that survives a restart (sending: from the offer on; receiving: from /accept on). */
	record?: IncomingRecord | OutgoingRecord;
	/** Receiving: cuts the running fetch. */
	abort?: AbortController;
	/** Receiving: automatic retries after a dropped connection, and the timer of the next; sending: of the offer's next copy. */
	retries: number;
	retryTimer?: NodeJS.Timeout;
	/** An offer not accepted by then is forgotten. */
	expires?: number;
	/** With a plain peer (nc): no offers, no /accept; /cancel closes its one-shot port (once open). */
	readonly plain?: {close?: () => void};
	/** A plain sender's stream: its size is known at its end. */
	readonly sizeUnknown?: boolean;
};

export function newTransfer(fields: Pick<Transfer, 'number' | 'id' | 'direction' | 'state' | 'name' | 'conversation' | 'peer' | 'size' | 'sha256' | 'sizeUnknown' | 'plain'> & {readonly done?: number}): Transfer {
	return {...fields, meter: new ProgressMeter(fields.size, fields.done ?? 0), retries: 0};
}

export function summarise(transfer: Transfer, now: number): TransferSummary {
	const {number, name, direction, state, peer, meter} = transfer;
	const moving = state === 'running' || state === 'hashing';
	const size = transfer.sizeUnknown ? (state === 'done' ? meter.done : undefined) : transfer.size;
	return {number, name, direction, state, peer, size, done: meter.done, rate: moving ? meter.rate(now) : 0, etaSeconds: moving && size !== undefined ? meter.eta(now) : undefined};
}

/** "report.pdf (12.3 MB, sha256 1a2b3c4d…)" */
export function describe(name: string, size: number, sha256: string): string {
	return `${name} (${formatSize(size)}, sha256 ${sha256.slice(0, 8)}…)`;
}

export function isOver(state: TransferState): boolean {
	return state === 'done' || state === 'failed' || state === 'rejected' || state === 'cancelled';
}

/** "3 report.pdf from bob: running, 45% (5.6 MB of 12.3 MB, 80.1 MB/s, 1 s left)", for /transfers. */
export function transferLine(summary: TransferSummary): string {
	const arrow = summary.direction === 'send' ? 'to' : 'from';
	const rate = summary.rate > 0 ? `, ${formatSize(summary.rate)}/s` : '';
	const left = summary.etaSeconds === undefined ? '' : `, ${formatDuration(summary.etaSeconds)} left`;
	if (summary.size === undefined) {
		return `${summary.number} ${summary.name} ${arrow} ${summary.peer}: ${summary.state}, ${formatSize(summary.done)} so far${rate}`;
	}

	const percent = summary.size === 0 ? 100 : Math.floor((summary.done * 100) / summary.size);
	return `${summary.number} ${summary.name} ${arrow} ${summary.peer}: ${summary.state}, ${percent}% (${formatSize(summary.done)} of ${formatSize(summary.size)}${rate}${left})`;
}
