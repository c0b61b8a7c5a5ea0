import {inspectHook, type InspectTap} from './hook.js';
import {keptBytes, keptRecords, type ConnectionEvent, type InspectDirection, type InspectTransport, type PacketRecord} from './record.js';
import {Ring} from './ring.js';
import {sanitize} from '../wire/sanitize.js';

export type CaptureSnapshot = {
	/** Oldest first, at most keptRecords. */
	readonly records: readonly PacketRecord[];
	/** Records seen since capture began, those no longer kept too. */
	readonly seen: number;
	readonly capturing: boolean;
};

export type CaptureOptions = {
	readonly records?: number;
	/** Listeners hear of new records at most this often: the pane re-renders ~10 times a second at most. */
	readonly batchMs?: number;
};

const idle: CaptureSnapshot = {records: [], seen: 0, capturing: false};

/**
 * The packet inspector's store: while started it is the transports' tap, keeping the last records in a ring
 * (each record's bytes cut to keptBytes), and tells subscribers in batches. Stopped, it holds nothing.
 * Read with useSyncExternalStore(capture.subscribe, capture.getSnapshot).
 */
export class PacketCapture implements InspectTap {
	private readonly ring: Ring<PacketRecord>;
	private readonly batchMs: number;
	private readonly listeners = new Set<() => void>();
	private snapshot = idle;
	private seen = 0;
	private timer: NodeJS.Timeout | undefined;
	private capturing = false;

	constructor(options: CaptureOptions = {}) {
		this.ring = new Ring(options.records ?? keptRecords);
		this.batchMs = options.batchMs ?? 100;
	}

	/** Becomes the tap (replacing any other). */
	start(): void {
		inspectHook.tap = this;
		this.capturing = true;
		this.publish();
	}

	/** Stops capturing and lets go of every record. */
	stop(): void {
		if (inspectHook.tap === this) {
			inspectHook.tap = undefined;
		}

		clearTimeout(this.timer);
		this.timer = undefined;
		this.capturing = false;
		this.ring.clear();
		this.seen = 0;
		this.publish();
	}

	readonly subscribe = (listener: () => void): (() => void) => {
		this.listeners.add(listener);
		return () => {
			this.listeners.delete(listener);
		};
	};

	readonly getSnapshot = (): CaptureSnapshot => this.snapshot;

	data(transport: InspectTransport, direction: InspectDirection, local: string, remote: string, bytes: Uint8Array): void {
		// A copy (Buffer's slice() is a view): a view of a 64 KiB chunk would keep all of it alive.
		this.push({kind: 'data', seq: this.seen, time: Date.now(), transport, direction, local, remote, length: bytes.length, bytes: new Uint8Array(bytes.subarray(0, keptBytes))});
	}

	event(transport: InspectTransport, direction: InspectDirection, local: string, remote: string, event: ConnectionEvent, detail?: string): void {
		this.push({kind: 'event', seq: this.seen, time: Date.now(), transport, direction, local, remote, event, ...(detail === undefined ? {} : {detail: sanitize(detail)})});
	}

	private push(record: PacketRecord): void {
		this.seen++;
		this.ring.push(record);
		this.timer ??= setTimeout(() => {
			this.timer = undefined;
			this.publish();
		}, this.batchMs).unref();
	}

	private publish(): void {
		this.snapshot = this.capturing ? {records: this.ring.toArray(), seen: this.seen, capturing: true} : idle;
		for (const listener of this.listeners) {
			listener();
		}
	}
}
