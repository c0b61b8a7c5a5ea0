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

/**
 * Our interface and local address a datagram from `address` came in on: for IPv4 the one whose subnet holds it,
 * for IPv6 the scope Node appends to a link-local source ('fe80::1%eth0': the receiving interface).
 */
export function arrivalInterface(address: string, lans4: readonly LanInterface[], lans6: readonly LanInterface6[]): {interfaceName: string; localAddress: string} {
	if (!address.includes(':')) {
		const lan = lans4.find(candidate => inSubnet(address, candidate));
		return {interfaceName: lan?.name ?? '?', localAddress: lan?.address ?? '?'};
	}

	const scope = address.split('%')[1];
	const lan = lans6.find(candidate => candidate.name === scope || String(candidate.scopeid) === scope);
	return {interfaceName: lan?.name ?? scope ?? '?', localAddress: lan?.address ?? '?'};
}
