import {randomBytes} from 'node:crypto';
import {afterEach, describe, expect, it} from 'vitest';
import {Discovery, type LanInterface} from '../../source/net/discovery/discovery.js';
import type {LanPeer} from '../../source/net/discovery/lan-peers.js';
import {createSealer} from '../../source/net/wire/seal.js';
import {freePorts} from '../helpers/ports.js';
import {waitFor} from '../helpers/wait.js';

// Discovery on loopback: its broadcast address (127.255.255.255) reaches every socket on the port, as a LAN's
// does, and nothing leaves the machine. The LAN in a box (namespaces) tests interfaces and loss.
const loopback: LanInterface = {name: 'lo', address: '127.0.0.1', broadcast: '127.255.255.255', netmask: '255.0.0.0'};
const running: Discovery[] = [];

afterEach(() => {
	for (const discovery of running.splice(0)) {
		discovery.close();
	}
});

type Seen = {readonly found: LanPeer[]; readonly gone: Array<{peer: LanPeer; why: string}>};

async function instance(port: number, nick: string, secret?: string): Promise<{discovery: Discovery; seen: Seen}> {
	const seen: Seen = {found: [], gone: []};
	const discovery = new Discovery({
		id: randomBytes(8).toString('hex'),
		nick: () => nick,
		chatPort: () => 7000 + nick.length,
		sealer: secret === undefined ? undefined : createSealer(secret),
		bind: undefined,
		port,
		interfaces: () => [loopback],
		events: {found: peer => seen.found.push(peer), gone: (peer, why) => seen.gone.push({peer, why})},
	});
	running.push(discovery);
	await discovery.start();
	return {discovery, seen};
}

describe('LAN discovery on real sockets', () => {
	it('three instances started one after another all list each other, with where each was seen', async () => {
		const [port = 0] = await freePorts(1);
		const a = await instance(port, 'alice');
		const b = await instance(port, 'bob');
		const c = await instance(port, 'carol');
		await waitFor(() => [a, b, c].every(({discovery}) => discovery.peers.size === 2), {timeout: 3000, what: 'everyone listed'});
		expect(a.discovery.peers.list().map(peer => [peer.nick, peer.port, peer.interfaceName, peer.localAddress])).toEqual([
			['bob', 7003, 'lo', '127.0.0.1'],
			['carol', 7005, 'lo', '127.0.0.1'],
		]);
		// Each is announced as found once, however many beacons came.
		expect(a.seen.found.map(peer => peer.nick).sort()).toEqual(['bob', 'carol']);
	});

	it('a goodbye removes the peer with one event', async () => {
		const [port = 0] = await freePorts(1);
		const a = await instance(port, 'alice');
		const b = await instance(port, 'bob');
		await waitFor(() => a.discovery.peers.size === 1);
		b.discovery.close();
		await waitFor(() => a.seen.gone.length === 1);
		expect(a.seen.gone[0]).toMatchObject({why: 'left', peer: {nick: 'bob'}});
		expect(a.discovery.peers.size).toBe(0);
	});

	it('with --secret only instances with the same secret see each other', async () => {
		const [port = 0] = await freePorts(1);
		const a = await instance(port, 'alice', 'shared');
		const b = await instance(port, 'bob', 'shared');
		const c = await instance(port, 'carol', 'other');
		const d = await instance(port, 'dave');
		await waitFor(() => a.discovery.peers.size === 1 && b.discovery.peers.size === 1);
		// One more round of questions: none of the others can read or be read.
		c.discovery.ask();
		d.discovery.ask();
		a.discovery.ask();
		await waitFor(() => a.discovery.peers.list()[0]?.nick === 'bob');
		expect(c.discovery.peers.size + d.discovery.peers.size).toBe(0);
		expect(a.discovery.peers.list().map(peer => peer.nick)).toEqual(['bob']);
	});
});
