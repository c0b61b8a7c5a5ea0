import {formatEndpoint, type Endpoint} from '../../domain/endpoint.js';
import type {Delivery} from './delivery.js';
import type {Outbound} from './outbound.js';
import {outboxPath, stateDirectory} from './outbox-store.js';

export type RestoreRequest = {
	/** Where outboxes are kept; false keeps them in memory only. */
	readonly stateDir: string | false | undefined;
	readonly nick: string;
	readonly peer: Endpoint | undefined;
};

/** Messages left from last time (the outbox file of this nick and peer) go out when their peer is back. */
export function restoreOutbox(delivery: Delivery, outbound: Outbound, {stateDir, nick, peer}: RestoreRequest): void {
	if (stateDir !== false) {
		const label = peer ? formatEndpoint(peer) : undefined;
		outbound.resume(delivery.restore(outboxPath(stateDir ?? stateDirectory(), nick, label)));
	}
}
