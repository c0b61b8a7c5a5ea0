// The transports report each datagram, TCP chunk and connection event here, through one null check:
//   inspectHook.tap?.data('udp', 'in', local, remote, bytes)
// Optional chaining skips the arguments too, so with the inspector closed a packet costs one branch and
// nothing is captured. The inspector (capture.ts) sets the tap while it is open.

import type {ConnectionEvent, InspectDirection, InspectTransport} from './record.js';

export type InspectTap = {
	data(transport: InspectTransport, direction: InspectDirection, local: string, remote: string, bytes: Uint8Array): void;
	event(transport: InspectTransport, direction: InspectDirection, local: string, remote: string, event: ConnectionEvent, detail?: string): void;
};

export const inspectHook: {tap: InspectTap | undefined} = {tap: undefined};
