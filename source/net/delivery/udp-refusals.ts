import {formatEndpoint} from '../../domain/endpoint.js';
import type {ResolvedEndpoint} from '../transport/address.js';
import type {OutboxEntry} from './outbox.js';

/** How long after its write a plain message can still be blamed for an ICMP port unreachable. */
const blameMs = 3000;
/** How long an address that refused is passed over when its name has others. */
const avoidMs = 30_000;

export type Written = {
	readonly entry: OutboxEntry;
	readonly at: number;
	/** Every address its endpoint's name resolved to, first choice first. */
	readonly candidates: readonly ResolvedEndpoint[];
};

/**
 * Plain UDP messages lately written to each address, and the addresses that answered with ECONNREFUSED (an
 * ICMP port unreachable, heard by the connected sender socket of udp-transport.ts). A plain peer cannot
 * acknowledge, so its message counts as sent once written; the refusal that comes a moment later is the
 * only sign it went nowhere, and turns it into "not sent", or sends it to the name's next address.
 */
export class UdpRefusals {
	private readonly recent = new Map<string, Written[]>();
	private readonly refused = new Map<string, number>();

	/** A plain message went to this address. */
	written(label: string, written: Written): void {
		const now = Date.now();
		const list = (this.recent.get(label) ?? []).filter(item => now - item.at < blameMs);
		list.push(written);
		this.recent.set(label, list);
		if (this.recent.size > 256) {
			const oldest = this.recent.keys().next().value;
			if (oldest !== undefined) {
				this.recent.delete(oldest);
			}
		}
	}

	/** Nothing listens there: the plain messages lately written to it, which went nowhere. */
	refusedAt(label: string): Written[] {
		const now = Date.now();
		this.refused.set(label, now);
		const list = (this.recent.get(label) ?? []).filter(item => now - item.at < blameMs);
		this.recent.delete(label);
		return list;
	}

	/** Something wrote from there: it listens again. */
	heard(label: string): void {
		this.refused.delete(label);
	}

	/** Of a name's addresses, the first that has not lately refused (or the first, when all have). */
	choose(candidates: readonly ResolvedEndpoint[], except?: string): ResolvedEndpoint | undefined {
		const now = Date.now();
		const open = candidates.filter(candidate => {
			const label = formatEndpoint({host: candidate.address, port: candidate.port});
			const at = this.refused.get(label);
			return label !== except && (at === undefined || now - at > avoidMs);
		});
		return except === undefined ? (open[0] ?? candidates[0]) : open[0];
	}
}
