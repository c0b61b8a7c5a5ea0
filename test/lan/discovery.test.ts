// LAN discovery on a LAN in a box: each instance runs in its own network namespace (test/lan/netns.ts), from a
// bundle of test/lan/discovery-entry.ts. No timed assertions: every wait is a predicate with a generous timeout
// (speed belongs to the bench). Needs root, iproute2 and nftables; without them these tests fail, naming what is missing.

import type {ChildProcess} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import {afterAll, afterEach, beforeAll, describe, expect, test} from 'vitest';
import type {LanPeer} from '../../source/net/discovery/lan-peers.js';
import {waitFor} from '../helpers/wait.js';
import {bundleForNamespace, removeBundles} from './bundle.js';
import {assertNetns, assertNft, buildLan, type Lan, type LanSpec} from './netns.js';

type Event = {readonly event: string} & Record<string, unknown>;
type Running = {readonly host: string; readonly child: ChildProcess; readonly events: Event[]; stderr: string};

let entry = '';
const lans: Lan[] = [];

beforeAll(async () => {
	assertNetns();
	assertNft();
	entry = await bundleForNamespace(fileURLToPath(new URL('discovery-entry.ts', import.meta.url)));
});

afterEach(async () => {
	await Promise.all(lans.splice(0).map(async lan => lan.close()));
});

afterAll(async () => {
	await Promise.all(lans.splice(0).map(async lan => lan.close()));
	removeBundles();
});

async function lanOf(spec: LanSpec): Promise<Lan> {
	const lan = await buildLan(spec);
	lans.push(lan);
	return lan;
}

/** Hosts h1, h2, ... each with one link to bridge 'a' at the given addresses. */
function oneBridge(addresses: readonly string[]): LanSpec {
	return {bridges: ['a'], hosts: addresses.map((address, index) => ({name: `h${index + 1}`, links: [{bridge: 'a', address}]}))};
}

function run(lan: Lan, host: string, args: readonly string[]): Running {
	const child = lan.exec(host, [process.execPath, entry, ...args]);
	const running: Running = {host, child, events: [], stderr: ''};
	let partial = '';
	child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
		const lines = (partial + chunk).split('\n');
		partial = lines.pop() ?? '';
		running.events.push(...lines.filter(line => line !== '').map(line => JSON.parse(line) as Event));
	});
	child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
		running.stderr += chunk;
	});
	child.stdin!.on('error', () => undefined);
	return running;
}

async function started(lan: Lan, host: string, args: readonly string[]): Promise<Running> {
	const running = run(lan, host, args);
	await waitFor(() => running.events.some(event => event.event === 'ready'), {what: `${host} ready`, describe: () => dump(running)});
	return running;
}

async function peer(lan: Lan, host: string, args: readonly string[] = []): Promise<Running> {
	return started(lan, host, ['peer', '--nick', host, ...args]);
}

function dump(...running: Running[]): string {
	return running.map(each => `${each.host}: ${each.events.map(event => JSON.stringify(event)).join('\n  ')}\n  stderr: ${each.stderr}`).join('\n');
}

function of(running: Running, kind: string): Event[] {
	return running.events.filter(event => event.event === kind);
}

const foundNicks = (running: Running): string[] => of(running, 'found').map(event => (event.peer as LanPeer).nick).sort();

/** Its peers now (a round trip through its stdin). */
async function peersOf(running: Running): Promise<LanPeer[]> {
	const before = of(running, 'peers').length;
	running.child.stdin!.write('list\n');
	const answer = await waitFor(() => of(running, 'peers')[before], {what: `${running.host} peers`, describe: () => dump(running)});
	return answer.peers as LanPeer[];
}

async function allList(running: readonly Running[], count: number, timeout = 10_000): Promise<void> {
	await waitFor(async () => (await Promise.all(running.map(async each => peersOf(each)))).every(peers => peers.length === count), {timeout, what: `everyone lists ${count} peers`, describe: () => dump(...running)});
}

/** The datagrams a sniffer heard on the discovery port from this id, of this kind ('announce ID ... new'). */
function beaconsFrom(sniffer: Running, id: string, kind: 'announce' | 'who', family?: 'udp4' | 'udp6'): Event[] {
	return of(sniffer, 'datagram').filter(event => event.port === 7849 && (family === undefined || event.family === family) && String(event.text).startsWith(`tnc-discovery/1 ${kind} ${id}`));
}

const idOf = (running: Running): string => String(of(running, 'ready')[0]?.id);
const noProblems = (...running: Running[]): void => {
	expect(running.flatMap(each => of(each, 'problem'))).toEqual([]);
};

describe('LAN discovery in network namespaces', () => {
	test('three hosts on one bridge find each other once each, at their IPv4 address and also over IPv6; a browser finds them unseen; a fourth host hears nothing on chat ports', async () => {
		const lan = await lanOf(oneBridge(['10.77.1.1/24', '10.77.1.2/24', '10.77.1.3/24', '10.77.1.4/24']));
		const netcat = lan.exec('h4', ['nc', '-u', '-l', '7852']);
		let netcatHeard = '';
		netcat.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
			netcatHeard += chunk;
		});
		const sniffer = await started(lan, 'h4', ['sniff', '7849', '7853', '8752']);
		const peers = [await peer(lan, 'h1'), await peer(lan, 'h2'), await peer(lan, 'h3')];
		const browser = await peer(lan, 'h4', ['--listen-only']);

		await allList(peers, 2);
		await waitFor(() => foundNicks(browser).length === 3, {what: 'the browser finds all three', describe: () => dump(browser)});
		for (const [index, each] of peers.entries()) {
			const others = peers.filter(other => other !== each);
			expect(foundNicks(each)).toEqual(others.map(other => other.host));
			// Found at the IPv4 address even when the IPv6 copy of a beacon came first.
			expect(of(each, 'found').map(event => (event.peer as LanPeer).host).sort()).toEqual(others.map(other => lan.host(other.host).interfaces[0]!.address));
			for (const seen of await peersOf(each)) {
				const host = lan.host(seen.nick);
				// One peer however many families it was heard on, kept at its IPv4 address.
				expect(seen).toMatchObject({host: host.interfaces[0]!.address, port: 7852, interfaceName: 'eth0', localAddress: `10.77.1.${index + 1}`, intervalS: 30, linkLocal: `${host.interfaces[0]!.linkLocal}%eth0`});
			}
		}

		// The fourth host heard every announcement on the discovery port, by broadcast and by ff02::1 ...
		await waitFor(() => peers.every(each => beaconsFrom(sniffer, idOf(each), 'announce', 'udp4').length >= 4 && beaconsFrom(sniffer, idOf(each), 'announce', 'udp6').length >= 4) && beaconsFrom(sniffer, idOf(browser), 'who').length >= 4, {what: 'the sniffer hears everyone', describe: () => dump(sniffer)});
		// ... the browser only asked, and nobody lists it ...
		expect(beaconsFrom(sniffer, idOf(browser), 'announce')).toEqual([]);
		expect((await Promise.all(peers.map(async each => peersOf(each)))).map(list => list.length)).toEqual([2, 2, 2]);
		// ... and nothing at all on the tutorial's ports.
		expect(of(sniffer, 'datagram').filter(event => event.port !== 7849)).toEqual([]);
		expect(netcatHeard).toBe('');
		expect(netcat.exitCode).toBeNull();
		noProblems(...peers, browser);
	});

	test('IPv6-only hosts find each other by ff02::1, at their link-local address with the scope of the interface', async () => {
		const lan = await lanOf(oneBridge(['fd77:6::1/64', 'fd77:6::2/64', 'fd77:6::3/64']));
		const peers = [await peer(lan, 'h1'), await peer(lan, 'h2'), await peer(lan, 'h3')];
		await allList(peers, 2);
		for (const each of peers) {
			const own = lan.host(each.host).interfaces[0]!;
			for (const seen of await peersOf(each)) {
				const linkLocal = `${lan.host(seen.nick).interfaces[0]!.linkLocal}%eth0`;
				expect(seen).toMatchObject({host: linkLocal, linkLocal, interfaceName: 'eth0', localAddress: own.linkLocal});
			}
		}

		noProblems(...peers);
	});

	test('a host on two bridges sees each peer on the interface it is on, and its answers leave by that interface', async () => {
		const lan = await lanOf({
			bridges: ['a', 'b'],
			hosts: [
				{name: 'h1', links: [{bridge: 'a', address: '10.77.3.1/24'}, {bridge: 'b', address: '10.77.4.1/24'}]},
				{name: 'h2', links: [{bridge: 'a', address: '10.77.3.2/24'}]},
				{name: 'h3', links: [{bridge: 'b', address: '10.77.4.3/24'}]},
			],
		});
		const [h2, h3] = [await peer(lan, 'h2'), await peer(lan, 'h3')];
		const h1 = await peer(lan, 'h1');
		await allList([h1], 2);
		await allList([h2, h3], 1);
		const h1Links = lan.host('h1').interfaces;
		const byNick = new Map((await peersOf(h1)).map(seen => [seen.nick, seen]));
		expect(byNick.get('h2')).toMatchObject({host: '10.77.3.2', interfaceName: 'eth0', localAddress: '10.77.3.1', linkLocal: `${lan.host('h2').interfaces[0]!.linkLocal}%eth0`});
		expect(byNick.get('h3')).toMatchObject({host: '10.77.4.3', interfaceName: 'eth1', localAddress: '10.77.4.1', linkLocal: `${lan.host('h3').interfaces[0]!.linkLocal}%eth1`});
		expect(await peersOf(h2)).toMatchObject([{nick: 'h1', host: '10.77.3.1', linkLocal: `${h1Links[0]!.linkLocal}%eth0`}]);
		expect(await peersOf(h3)).toMatchObject([{nick: 'h1', host: '10.77.4.1', linkLocal: `${h1Links[1]!.linkLocal}%eth0`}]);

		// A bare question from each side is answered by unicast from h1's address on that side, in both families.
		for (const [host, link] of [['h2', h1Links[0]!], ['h3', h1Links[1]!]] as const) {
			const asker = await started(lan, host, ['ask']);
			const fromH1 = (family: string): Event[] => of(asker, 'answer').filter(event => event.family === family && String(event.text).includes(` ${idOf(h1)} `));
			await waitFor(() => fromH1('udp4').length > 0 && fromH1('udp6').length > 0, {what: `answers from h1 on ${host}`, describe: () => dump(asker)});
			expect(new Set(fromH1('udp4').map(event => event.from))).toEqual(new Set([link.address]));
			expect(new Set(fromH1('udp6').map(event => event.from))).toEqual(new Set([`${link.linkLocal}%eth0`]));
			expect(fromH1('udp4')[0]?.text).toMatch(/^tnc-discovery\/1 announce [\da-f]{16} 7852 30 answer h1$/);
		}

		noProblems(h1, h2, h3);
	});

	test.each([
		['an IPv4 address', (lan: Lan) => lan.host('h1').interfaces[0]!.address],
		['an IPv6 link-local address', (lan: Lan) => lan.host('h1').interfaces[0]!.linkLocal],
	])('--bind with %s announces and answers on that interface only', async (_, bindAddress) => {
		const lan = await lanOf({
			bridges: ['a', 'b'],
			hosts: [
				{name: 'h1', links: [{bridge: 'a', address: '10.77.5.1/24'}, {bridge: 'b', address: '10.77.6.1/24'}]},
				{name: 'h2', links: [{bridge: 'a', address: '10.77.5.2/24'}]},
				{name: 'h3', links: [{bridge: 'b', address: '10.77.6.3/24'}]},
			],
		});
		const [snifferA, snifferB] = [await started(lan, 'h2', ['sniff', '7849']), await started(lan, 'h3', ['sniff', '7849'])];
		const [h2, h3] = [await peer(lan, 'h2'), await peer(lan, 'h3')];
		const h1 = await peer(lan, 'h1', ['--bind', bindAddress(lan)]);
		// By now h1 has announced on bridge a several times, and h3 has asked h1 (had it listened on eth1) as often.
		await waitFor(() => beaconsFrom(snifferA, idOf(h1), 'announce').length >= 6 && beaconsFrom(snifferB, idOf(h3), 'announce', 'udp4').length >= 3 && beaconsFrom(snifferB, idOf(h3), 'announce', 'udp6').length >= 3, {what: 'h1 announced on a, h3 on b', describe: () => dump(snifferA, snifferB)});
		await allList([h1, h2], 1);
		expect((await peersOf(h1)).map(seen => seen.nick)).toEqual(['h2']);
		expect(await peersOf(h3)).toEqual([]);
		expect(beaconsFrom(snifferB, idOf(h1), 'announce')).toEqual([]);
		noProblems(h1, h2, h3);
	});

	test('a question from a chat or system port is never answered, one from a port of its own is, in both families', async () => {
		const lan = await lanOf(oneBridge(['10.77.8.1/24', '10.77.8.2/24']));
		const h1 = await peer(lan, 'h1');
		const fixed = [7852, 7853, 8752, 1023, 53];
		const asker = await started(lan, 'h2', ['ask', '--port', '0', ...fixed.flatMap(port => ['--port', String(port)])]);
		const fromH1 = (family: string, fromFixed: boolean): Event[] => of(asker, 'answer').filter(event => event.family === family && fixed.includes(Number(event.port)) === fromFixed && String(event.text).includes(` ${idOf(h1)} `));
		// The same address asks from every port, 5 times a second: the answers the one from a port of its own gets
		// (4, then 1 a second) come after those the others would have had.
		await waitFor(() => fromH1('udp4', false).length >= 6 && fromH1('udp6', false).length >= 6, {timeout: 15_000, what: 'answers to the ephemeral ports', describe: () => dump(asker)});
		expect(of(asker, 'answer').filter(event => fixed.includes(Number(event.port)))).toEqual([]);
		noProblems(h1);
	});

	test('sends failing to many addresses for one reason are one problem line, naming the first', async () => {
		const lan = await lanOf(oneBridge(['10.77.9.1/24', '10.77.9.2/24']));
		const sniffer = await started(lan, 'h2', ['sniff', '7849']);
		const [h1, h2] = [await peer(lan, 'h1', ['--unreachable', '70']), await peer(lan, 'h2')];
		await allList([h1, h2], 1);
		// Several rounds of 70 failed broadcasts by now: still the one line.
		await waitFor(() => beaconsFrom(sniffer, idOf(h1), 'announce', 'udp4').length >= 4, {what: 'h1 announced 4 times', describe: () => dump(h1, sniffer)});
		expect(of(h1, 'problem').map(event => event.message)).toEqual([expect.stringMatching(/^discovery: cannot send to 10\.99\.\d+\.255 \(ENETUNREACH\)$/)]);
		noProblems(h2);
	});

	test('with 30% of the frames from every host lost, three hosts and a fourth started later still find each other', async () => {
		const lan = await lanOf(oneBridge(['10.77.7.1/24', '10.77.7.2/24', '10.77.7.3/24', '10.77.7.4/24']));
		for (const host of ['h1', 'h2', 'h3', 'h4']) {
			// Every frame, not only those to the discovery port: answers (to a sender's own port), ARP and neighbour discovery too.
			await lan.loss(host, 30);
		}

		const first = [await peer(lan, 'h1'), await peer(lan, 'h2'), await peer(lan, 'h3')];
		await allList(first, 2, 30_000);
		// A latecomer finds those already up only through their answers.
		const late = await peer(lan, 'h4');
		await allList([...first, late], 3, 30_000);
		expect(await lan.dropped()).toBeGreaterThan(0);
	}, 90_000);
});
