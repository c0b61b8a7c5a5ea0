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

			const addresses = new Set([peer.address, ...peer.endpoints]);
			const hosts = new Set([...addresses].map(hostOf));
			const othersHosts = new Set(peers.filter(other => other !== peer).flatMap(other => [other.address, ...other.endpoints].map(hostOf)));
			const hostsAlone = [...hosts].filter(host => !othersHosts.has(host));
			return record => addresses.has(record.remote) || hostsAlone.includes(hostOf(record.remote));
		}
	}
}

export function filterName(filter: InspectFilter): string {
	return filter.kind === 'peer' ? `peer ${filter.number}` : filter.kind;
}
