import {networkInterfaces} from 'node:os';

/** Where beacons go out: an interface, its address and the broadcast address of its subnet. */
export type LanInterface = {readonly name: string; readonly address: string; readonly broadcast: string; readonly netmask: string};
/** Where IPv6 beacons go out (to ff02::1%name): an interface and its link-local address, without scope. */
export type LanInterface6 = {readonly name: string; readonly address: string; readonly scopeid: number};

function octets(address: string): number[] {
	return address.split('.').map(Number);
}

/** The up, non-loopback IPv4 interfaces, with their subnet's broadcast address. */
export function lanInterfaces(): LanInterface[] {
	return Object.entries(networkInterfaces()).flatMap(([name, addresses]) =>
		(addresses ?? [])
			.filter(address => address.family === 'IPv4' && !address.internal)
			.map(address => {
				const mask = octets(address.netmask);
				const broadcast = octets(address.address).map((part, index) => (part | (~(mask[index] ?? 0) & 255)) & 255).join('.');
				return {name, address: address.address, broadcast, netmask: address.netmask};
			}),
	);
}

/** The up, non-loopback interfaces with an IPv6 link-local address (one each). */
export function lanInterfaces6(): LanInterface6[] {
	return Object.entries(networkInterfaces()).flatMap(([name, addresses]) => {
		const linkLocal = (addresses ?? []).find(address => address.family === 'IPv6' && !address.internal && /^fe80:/i.test(address.address));
		return linkLocal ? [{name, address: linkLocal.address.replace(/%.*$/, ''), scopeid: linkLocal.scopeid ?? 0}] : [];
	});
}

export function inSubnet(address: string, lan: LanInterface): boolean {
	const [a, mask, net] = [octets(address), octets(lan.netmask), octets(lan.address)];
	return a.length === 4 && a.every((part, index) => (part & (mask[index] ?? 0)) === ((net[index] ?? 0) & (mask[index] ?? 0)));
}

const withoutScope = (address: string): string => address.replace(/%.*$/, '').toLowerCase();

/**
 * The names of the interfaces `--bind ADDR` leaves to discovery: the one(s) holding ADDR, IPv4 or IPv6 (a global
 * IPv6 address too, not only the link-local ones discovery uses); undefined for all ('0.0.0.0', '::', none).
 */
export function boundInterfaces(bind: string | undefined, known: ReadonlyArray<{readonly name: string; readonly address: string}>): ReadonlySet<string> | undefined {
	const wanted = bind === undefined ? '' : withoutScope(bind);
	if (wanted === '' || wanted === '0.0.0.0' || wanted === '::') {
		return undefined;
	}

	const system = Object.entries(networkInterfaces()).filter(([, addresses]) => (addresses ?? []).some(address => withoutScope(address.address) === wanted));
	return new Set([...system.map(([name]) => name), ...known.filter(lan => withoutScope(lan.address) === wanted).map(lan => lan.name)]);
}

const linkLocal6 = /^fe[89ab][\da-f]:/i;

/** An IPv4 source that is a subnet's own network or broadcast address (on a /30 or wider): never a peer. */
function isSubnetEdge(address: string, lan: LanInterface): boolean {
	const [a, mask] = [octets(address), octets(lan.netmask)];
	const hostBits = mask.reduce((bits, part) => bits + 8 - (part.toString(2).match(/1/g)?.length ?? 0), 0);
	if (hostBits < 2) {
		return false;
	}

	const host = a.map((part, index) => part & ~(mask[index] ?? 0) & 255);
	return host.every(part => part === 0) || host.every((part, index) => part === (~(mask[index] ?? 0) & 255));
}

/**
 * Our interface and local address a datagram from `address` came in on, or undefined for a source that is not a
 * neighbour: for IPv4 one of our subnets must hold it (not as its network or broadcast address), for IPv6 it must
 * be link-local (fe80::/10) with the scope Node appends ('fe80::1%eth0': the receiving interface) naming one of
 * ours. Nothing else is heard or answered: not 127.0.0.1 on a LAN host, nothing routed from afar.
 */
export function arrivalInterface(address: string, lans4: readonly LanInterface[], lans6: readonly LanInterface6[]): {interfaceName: string; localAddress: string} | undefined {
	if (!address.includes(':')) {
		const lan = lans4.find(candidate => inSubnet(address, candidate));
		return lan && !isSubnetEdge(address, lan) ? {interfaceName: lan.name, localAddress: lan.address} : undefined;
	}

	const [bare = '', scope] = address.split('%');
	const lan = linkLocal6.test(bare) && scope !== undefined && scope !== '' ? lans6.find(candidate => candidate.name === scope || String(candidate.scopeid) === scope) : undefined;
	return lan ? {interfaceName: lan.name, localAddress: lan.address} : undefined;
}
