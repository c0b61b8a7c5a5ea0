/** A file transfer as the UI sees it (/transfers, the status bar). Sizes and offsets are bytes. */
export type TransferDirection = 'send' | 'receive';

/**
 * hashing: the sender reads the file for its SHA-256; offered: waiting for /accept (or for the peer to fetch);
 * running: bytes moving; interrupted: the connection dropped, a retry will resume; done, failed, rejected,
 * cancelled: over.
 */
export type TransferState = 'hashing' | 'offered' | 'running' | 'interrupted' | 'done' | 'failed' | 'rejected' | 'cancelled';

export type TransferSummary = {
	/** The number /accept N, /reject N and /cancel N take. */
	readonly number: number;
	readonly name: string;
	readonly direction: TransferDirection;
	readonly state: TransferState;
	/** Who it is with: a nick or an address. */
	readonly peer: string;
	/** Undefined when not known: a plain sender's stream (/receive) ends when it ends. */
	readonly size: number | undefined;
	readonly done: number;
	/** Bytes a second over the last few seconds; 0 when nothing moves. */
	readonly rate: number;
	/** Seconds left at that rate; undefined when unknown. */
	readonly etaSeconds: number | undefined;
};

export function isActive(state: TransferState): boolean {
	return state === 'hashing' || state === 'running';
}

/** What the UI may ask of files (/send, /accept, /reject, /cancel, /transfers, /receive); conversation: the buffer it was typed in. */
export type FileCommand =
	| {readonly type: 'send'; readonly path: string; readonly peer?: string; readonly conversation?: string}
	| {readonly type: 'accept' | 'reject'; readonly number?: number}
	| {readonly type: 'cancel'; readonly number: number}
	| {readonly type: 'transfers'}
	| {readonly type: 'receive'; readonly name?: string; readonly conversation?: string};

const units = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/** 12345678 -> "12.3 MB" (decimal units, as file managers show). */
export function formatSize(bytes: number): string {
	let value = bytes;
	let unit = 0;
	while (value >= 1000 && unit < units.length - 1) {
		value /= 1000;
		unit++;
	}

	return unit === 0 ? `${bytes} B` : `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ${units[unit]}`;
}
