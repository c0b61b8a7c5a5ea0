// What the TCP transport tells the packet inspector of a connection (see inspect/hook.ts).
import type {Socket} from 'node:net';
import {inspectHook} from '../inspect/hook.js';
import type {ConnectionEvent, InspectDirection} from '../inspect/record.js';
import {endpointLabel} from './address.js';

export type TappedConnection = {
	readonly info: {readonly direction: InspectDirection; readonly label: string};
	readonly socket: Socket;
	/** Our end, read once the inspector first asks. */
	local?: string;
};

/** Our end, for the packet inspector: read once, while the socket is open. */
export function localOf(entry: TappedConnection): string {
	entry.local ??= endpointLabel(entry.socket.localAddress ?? '?', entry.socket.localPort ?? 0);
	return entry.local;
}

export function tapEvent(entry: TappedConnection, event: ConnectionEvent, detail?: string): void {
	inspectHook.tap?.event('tcp', entry.info.direction, localOf(entry), entry.info.label, event, detail);
}
