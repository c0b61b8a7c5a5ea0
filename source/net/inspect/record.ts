// What the packet inspector keeps of one datagram, one TCP chunk or one connection event.

export type InspectTransport = 'udp' | 'tcp' | 'irc';

export type InspectDirection = 'in' | 'out';

export type ConnectionEvent = 'connect' | 'accept' | 'end' | 'reset' | 'error' | 'close';

type Common = {
	/** Counts every record since capture began: a record's key, and how many were seen. */
	readonly seq: number;
	readonly time: number;
	readonly transport: InspectTransport;
	readonly direction: InspectDirection;
	/** "127.0.0.1:7852", "[::1]:40112". */
	readonly local: string;
	readonly remote: string;
};

export type DataRecord = Common & {
	readonly kind: 'data';
	/** The length on the wire; bytes holds at most the first keptBytes of it. */
	readonly length: number;
	readonly bytes: Uint8Array;
};

export type EventRecord = Common & {
	readonly kind: 'event';
	readonly event: ConnectionEvent;
	/** An error's code or message, as the socket said it. */
	readonly detail?: string;
};

export type PacketRecord = DataRecord | EventRecord;

/** Bytes kept of each datagram or chunk; the full length is noted beside them. */
export const keptBytes = 512;

/** Records kept: the oldest goes when a new one comes. */
export const keptRecords = 500;
