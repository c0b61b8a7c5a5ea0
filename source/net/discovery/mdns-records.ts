import type mDNS from 'multicast-dns';

// The records mdns-responder.ts advertises, what they weigh on the wire, and how another host's copy compares.

export type Answer = mDNS.FullPacket['answers'][number];
export type Question = mDNS.FullPacket['questions'][number];
/** What the responder sends: any record but EDNS's OPT pseudo-record (which has no TTL). */
export type OwnRecord = Exclude<Answer, {type: 'OPT'}>;
type SrvData = Extract<Answer, {type: 'SRV'}>['data'];

// @types/dns-packet is narrower than dns-packet: a question's type is one of its RecordType names, which lack
// 'ANY' (255), though dns-packet encodes it and decodes it (and an unknown type as 'UNKNOWN_<n>'). So incoming
// question types are compared as strings, and the probe's 'ANY' goes through string.
export const anyType = 'ANY' as string as Question['type'];

export const mdnsPort = 5353;
export const serviceType = '_tui-netchat._udp.local';
export const serviceTypes = '_services._dns-sd._udp.local';
export const lower = (name: string) => name.toLowerCase();
export const keyOf = (record: {readonly type: string; readonly name: string}) => `${record.type} ${lower(record.name)}`;

/** What one interface advertises: the instance `label` of host `host`, on `address`. */
export function ownRecords(label: string, host: string, port: number, txt: readonly string[], address: string) {
	const fqdn = `${label}.${serviceType}`;
	return {
		ptr: {name: serviceType, type: 'PTR', ttl: 4500, data: fqdn},
		types: {name: serviceTypes, type: 'PTR', ttl: 4500, data: serviceType},
		srv: {name: fqdn, type: 'SRV', ttl: 120, flush: true, data: {port, target: host, priority: 0, weight: 0}},
		txt: {name: fqdn, type: 'TXT', ttl: 4500, flush: true, data: [...txt]},
		a: {name: host, type: 'A', ttl: 120, flush: true, data: address},
	} satisfies Record<string, OwnRecord>;
}

/**
 * RFC 6762 8.2.1: two SRV records' rdata compared as their bytes are (priority, weight, port, then the target,
 * case-insensitively): < 0 when `ours` is the lexicographically earlier (the one that gives way), 0 when the same.
 * The same rdata is no conflict (RFC 6762 9): our own packets, looped back, and a cache repeating ours.
 */
export function compareSrv(ours: SrvData, theirs: SrvData): number {
	const fields = (data: SrvData) => [data.priority ?? 0, data.weight ?? 0, data.port] as const;
	const [a, b] = [fields(ours), fields(theirs)];
	const differs = a.findIndex((value, index) => value !== b[index]);
	if (differs >= 0) {
		return a[differs]! - b[differs]!;
	}

	const [x, y] = [lower(ours.target), lower(theirs.target)];
	return x === y ? 0 : x < y ? -1 : 1;
}

// What dns-packet encodes (it never compresses a name): a name is its labels with their length bytes and the
// root's; a record is its name, type, class, TTL, rdata length (10 bytes) and rdata; a question is its name,
// type and class.
const nameBytes = (name: string) => Buffer.byteLength(name.replace(/^\.|\.$/g, '')) + 2;

function rdataBytes(record: OwnRecord): number {
	switch (record.type) {
		case 'PTR': {
			return nameBytes(record.data);
		}

		case 'SRV': {
			return 6 + nameBytes(record.data.target);
		}

		case 'TXT': {
			return [record.data].flat().reduce((sum, part) => sum + Buffer.byteLength(part) + 1, 0);
		}

		case 'A': {
			return 4;
		}

		default: {
			return Number.POSITIVE_INFINITY; // Not one we send: never fits.
		}
	}
}

/**
 * Source ports never sent a legacy-unicast answer, whatever the query asks: a spoofed source must not aim our
 * answers at a system service (below 1024) or at a chat port (the tutorial's 7852, 7853 and 8752, and ours).
 */
const chatPorts = new Set([7852, 7853, 8752]);
export const legacyPort = (port: number, chatPort: number) => port >= 1024 && !chatPorts.has(port) && port !== chatPort;

/**
 * RFC 6762 6.7, a legacy-unicast answer (dig and the like): the query's id and questions, TTLs of at most 10 s, no
 * flush bit, and only the answers that fit in `maxBytes` (the size of the query that asked: no one can use us to
 * send more to an address than was sent from it). Undefined when none fits.
 */
export function legacyAnswer(id: number | undefined, questions: readonly Question[], answers: readonly OwnRecord[], maxBytes: number): mDNS.ResponseOutgoingPacket | undefined {
	let bytes = 12 + questions.reduce((sum, question) => sum + nameBytes(question.name) + 4, 0);
	const fit: OwnRecord[] = [];
	for (const record of answers) {
		const size = nameBytes(record.name) + 10 + rdataBytes(record);
		if (bytes + size <= maxBytes) {
			fit.push({...record, ttl: Math.min(record.ttl ?? 0, 10), flush: false});
			bytes += size;
		}
	}

	return fit.length > 0 ? {id, questions: [...questions], answers: fit} : undefined;
}
