import type {PeerSummary} from '../../domain/snapshot.js';
import type {PacketRecord} from '../../net/index.js';
import type {InspectFilter} from '../commands/parse-inspect.js';

export type RecordTest = (record: PacketRecord) => boolean;

const hostOf = (label: string) => label.replace(/:\d+$/, '');

/**
 * Which records a filter keeps; undefined for a peer /peers does not list. A peer is its address; on a
 * host no other peer shares, its host too, since its TCP connections to us come from other ports.
 */
export function recordTest(filter: InspectFilter, peers: readonly PeerSummary[]): RecordTest | undefined {
	switch (filter.kind) {
		case 'all': {
			return () => true;
		}

		case 'udp':
		case 'tcp': {
			return record => record.transport === filter.kind;
		}

		case 'peer': {
			const peer = peers.find(candidate => candidate.number === filter.number);
			if (peer === undefined) {
				return undefined;
			}

			const host = hostOf(peer.address);
			const hostAlone = peers.every(other => other === peer || hostOf(other.address) !== host);
			return record => record.remote === peer.address || (hostAlone && hostOf(record.remote) === host);
		}
	}
}

export function filterName(filter: InspectFilter): string {
	return filter.kind === 'peer' ? `peer ${filter.number}` : filter.kind;
}
