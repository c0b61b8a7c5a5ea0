import {randomBytes} from 'node:crypto';
import {createSocket, type Socket} from 'node:dgram';
import {setImmediate as turn} from 'node:timers/promises';
import {afterEach, describe, expect, it} from 'vitest';
import {formatBeacon} from '../../source/net/discovery/beacon.js';
import {Discovery, type DiscoveryOptions, type LanInterface} from '../../source/net/discovery/discovery.js';
import type {LanPeer} from '../../source/net/discovery/lan-peers.js';
import {createSealer} from '../../source/net/wire/seal.js';
import {freePorts, holdUdp} from '../helpers/ports.js';
import {waitFor} from '../helpers/wait.js';

// Discovery on loopback: its broadcast address (127.255.255.255) reaches every socket on the port, as a LAN's
// does, and nothing leaves the machine (no IPv6: with `interfaces` given, Discovery multicasts nowhere). The LAN
// in a box (test/lan/discovery.test.ts) tests interfaces, IPv6 and loss.
const loopback: LanInterface = {name: 'lo', address: '127.0.0.1', broadcast: '127.255.255.255', netmask: '255.0.0.0'};
const running: Discovery[] = [];
const sockets: Socket[] = [];

afterEach(() => {
	for (const discovery of running.splice(0)) {
		discovery.close();
	}

	for (const socket of sockets.splice(0)) {
		socket.close();
	}
});

type Seen = {readonly found: LanPeer[]; readonly gone: Array<{peer: LanPeer; why: string}>; readonly problems: string[]};
type Instance = {discovery: Discovery; seen: Seen; id: string};

async function instance(port: number, nick: string, more: Partial<DiscoveryOptions> & {secret?: string} = {}): Promise<Instance> {
	const seen: Seen = {found: [], gone: [], problems: []};
	const id = randomBytes(8).toString('hex');
	const discovery = new Discovery({
		id,
		nick: () => nick,
		chatPort: () => 7000 + nick.length,
		sealer: more.secret === undefined ? undefined : createSealer(more.secret),
		bind: undefined,
		port,
		interfaces: () => [loopback],
		events: {found: peer => seen.found.push(peer), gone: (peer, why) => seen.gone.push({peer, why}), problem: message => seen.problems.push(message)},
		...more,
	});
	running.push(discovery);
	await discovery.start();
	return {discovery, seen, id};
}

type Heard = {readonly text: string; readonly port: number; readonly at: number};
type Raw = {readonly heard: Heard[]; readonly port: number; send(data: string | Buffer): void; from(id: string): Heard[]};

/** A plain socket on a loopback address: broadcasts to the discovery port, keeps what comes to it. */
async function raw(port: number, address = '127.0.0.1', listenOn = 0): Promise<Raw> {
	const socket = createSocket({type: 'udp4', reuseAddr: listenOn !== 0});
	sockets.push(socket);
	const heard: Heard[] = [];
	socket.on('message', (data, remote) => heard.push({text: data.toString('utf8'), port: remote.port, at: Date.now()}));
	await new Promise<void>(resolve => {
		socket.bind(listenOn, listenOn === 0 ? address : '0.0.0.0', resolve);
	});
	socket.setBroadcast(true);
	return {
		heard,
		port: socket.address().port,
		send: data => socket.send(data, port, loopback.broadcast),
		from: id => heard.filter(each => each.text.split(' ')[2] === id),
	};
}

const hex = (): string => randomBytes(8).toString('hex');
const who = (id = hex()): Buffer => formatBeacon({kind: 'who', id});
const announce = (id: string, answer = false, intervalS = 30, port = 7999): Buffer => formatBeacon({kind: 'announce', id, nick: 'raw', port, intervalS, answer});

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
		expect([a, b, c].flatMap(each => each.seen.problems)).toEqual([]);
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
		const a = await instance(port, 'alice', {secret: 'shared'});
		const b = await instance(port, 'bob', {secret: 'shared'});
		const c = await instance(port, 'carol', {secret: 'other'});
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

	it('asks once, then announces at 0, 0.5, 1, 1.5 and 2 s, never sooner', async () => {
		const [port = 0] = await freePorts(1);
		const sniffer = await raw(port, '127.0.0.1', port);
		const a = await instance(port, 'alice');
		await waitFor(() => sniffer.from(a.id).length >= 6, {timeout: 5000, what: 'a question and 5 announcements'});
		const [question, ...announcements] = sniffer.from(a.id).slice(0, 6);
		expect(question?.text).toBe(`tnc-discovery/1 who ${a.id}`);
		expect(announcements.map(each => each.text)).toEqual(Array.from({length: 5}, () => `tnc-discovery/1 announce ${a.id} 7005 30 new alice`));
		// Lower bounds only: a timer never fires early, a busy machine may make one late.
		expect((announcements[4]?.at ?? 0) - (announcements[0]?.at ?? 0)).toBeGreaterThanOrEqual(1950);
	});

	it('answers every question and every new announcement, even from a peer it knows, but not an answer', async () => {
		const [port = 0] = await freePorts(1);
		const a = await instance(port, 'alice');
		const [asker, marker] = [await raw(port, '127.0.0.2'), await raw(port, '127.0.0.2')];
		const id = hex();
		asker.send(announce(id));
		asker.send(announce(id));
		asker.send(who());
		await waitFor(() => asker.from(a.id).length === 3, {what: 'three answers'});
		expect(asker.from(a.id)[0]?.text).toBe(`tnc-discovery/1 announce ${a.id} 7005 30 answer alice`);
		// An answer-mode announcement gets none: answered in order, so the marker's answer comes after any.
		asker.send(announce(id, true));
		marker.send(who());
		await waitFor(() => marker.from(a.id).length === 1);
		await turn();
		expect(asker.from(a.id)).toHaveLength(3);
		expect(a.seen.found.map(peer => peer.id)).toEqual([id]);
	});

	it('one sender flooding questions gets a few answers; another sender is still answered', async () => {
		const [port = 0] = await freePorts(1);
		const a = await instance(port, 'alice');
		const [flooder, honest] = [await raw(port, '127.0.0.66'), await raw(port, '127.0.0.7')];
		const start = Date.now();
		// 100: what the socket's receive buffer holds at once, so the honest question after them is not lost.
		for (let index = 0; index < 100; index++) {
			flooder.send(who());
		}

		honest.send(who());
		await waitFor(() => honest.from(a.id).length === 1, {what: 'the honest sender answered'});
		await turn();
		// A burst of 4 to that one address, then 1 a second.
		expect(flooder.from(a.id).length).toBeGreaterThanOrEqual(1);
		expect(flooder.from(a.id).length).toBeLessThanOrEqual(4 + Math.ceil((Date.now() - start) / 1000));
	});

	it('ignores huge and garbage datagrams, and remembers at most 256 of many ids', async () => {
		const [port = 0] = await freePorts(1);
		const a = await instance(port, 'alice');
		const [hostile, marker] = [await raw(port, '127.0.0.9'), await raw(port, '127.0.0.10')];
		hostile.send(Buffer.concat([announce(hex()), Buffer.alloc(600, 0x78)]));
		hostile.send(`tnc-discovery/1 announce ${hex()} 7999 30 new ${'x'.repeat(600)}`);
		for (let index = 0; index < 50; index++) {
			hostile.send(randomBytes(1 + (index * 37) % 500));
		}

		marker.send(who());
		await waitFor(() => marker.from(a.id).length === 1);
		await turn();
		expect(a.discovery.peers.size).toBe(0);
		expect(hostile.heard).toEqual([]);
		const start = Date.now();
		for (let batch = 1; batch <= 10; batch++) {
			for (let index = 0; index < 100; index++) {
				hostile.send(announce(hex()));
			}

			await waitFor(() => a.seen.found.length === batch * 100, {what: `${batch * 100} ids heard`});
		}

		expect(a.discovery.peers.size).toBe(256);
		expect(hostile.from(a.id).length).toBeLessThanOrEqual(4 + Math.ceil((Date.now() - start) / 1000));
	});

	it('listening only, it asks on the early schedule, finds peers, and never announces, answers or says goodbye', async () => {
		const [port = 0] = await freePorts(1);
		const sniffer = await raw(port, '127.0.0.1', port);
		const browser = await instance(port, 'browser', {listenOnly: true});
		const a = await instance(port, 'alice');
		await waitFor(() => browser.seen.found.length === 1 && sniffer.from(browser.id).length >= 3, {timeout: 5000, what: 'found, and asked thrice'});
		expect(new Set(sniffer.from(browser.id).map(each => each.text))).toEqual(new Set([`tnc-discovery/1 who ${browser.id}`]));
		expect(browser.seen.found[0]).toMatchObject({nick: 'alice', port: 7005});
		const asker = await raw(port, '127.0.0.3');
		asker.send(who());
		await waitFor(() => asker.from(a.id).length === 1);
		await turn();
		expect(asker.from(browser.id)).toEqual([]);
		browser.discovery.close();
		a.discovery.close();
		await waitFor(() => sniffer.from(a.id).some(each => each.text.includes(' bye ')));
		expect(sniffer.from(browser.id).filter(each => !each.text.includes(' who '))).toEqual([]);
		expect(a.discovery.peers.size).toBe(0);
	});

	it('ages out a peer silent for three of its intervals with one event; intervalS is announced', async () => {
		const [port = 0] = await freePorts(1);
		const a = await instance(port, 'alice', {intervalS: 2});
		const b = await instance(port, 'bob');
		const quiet = await raw(port, '127.0.0.4');
		const id = hex();
		quiet.send(announce(id, false, 1));
		await waitFor(() => a.discovery.peers.list().some(peer => peer.id === id));
		await waitFor(() => a.seen.gone.length > 0, {timeout: 8000, what: 'gone after 3 s of silence'});
		expect(a.seen.gone).toMatchObject([{why: 'silent', peer: {id}}]);
		expect(b.discovery.peers.list().find(peer => peer.nick === 'alice')?.intervalS).toBe(2);
	});

	it('a discovery port held by another program is one problem line, not a crash', async () => {
		const [port = 0] = await freePorts(1);
		const release = await holdUdp(port, '0.0.0.0');
		try {
			const a = await instance(port, 'alice');
			a.discovery.ask();
			expect(a.seen.problems).toEqual([`discovery: UDP port ${port} (IPv4) is held by another program (EADDRINUSE): peers are found only by asking`]);
			a.discovery.close();
		} finally {
			await release();
		}
	});

	it('only the early announcements ask to be answered; the periodic ones after them do not', async () => {
		const [port = 0] = await freePorts(1);
		const sniffer = await raw(port, '127.0.0.1', port);
		const a = await instance(port, 'alice', {intervalS: 1});
		const modes = (): string[] => sniffer.from(a.id).filter(each => each.text.includes(' announce ')).map(each => each.text.split(' ')[5] ?? '');
		// With a 1 s interval the 8 early ones are out by 5 s, then one a second.
		await waitFor(() => modes().length >= 10, {timeout: 12_000, what: '10 announcements'});
		expect(modes().slice(0, 10)).toEqual([...Array.from({length: 8}, () => 'new'), 'answer', 'answer']);
	});
});

describe('LAN discovery answers and lists neighbours only', () => {
	it('a source outside every interface subnet is neither answered nor listed, nor can it say goodbye for a peer', async () => {
		const [port = 0] = await freePorts(1);
		// Loopback as a /16: 127.1.x.x is off the LAN, as 127.0.0.1 or a routed address is on a real one.
		const a = await instance(port, 'alice', {interfaces: () => [{...loopback, netmask: '255.255.0.0'}]});
		const [near, far, marker] = [await raw(port, '127.0.0.8'), await raw(port, '127.1.0.5'), await raw(port, '127.0.0.9')];
		const nearId = hex();
		near.send(announce(nearId, true));
		await waitFor(() => a.discovery.peers.has(nearId));
		far.send(who());
		far.send(announce(hex()));
		far.send(formatBeacon({kind: 'bye', id: nearId}));
		marker.send(who());
		await waitFor(() => marker.from(a.id).length === 1, {what: 'the marker answered'});
		await turn();
		expect(far.heard).toEqual([]);
		expect(a.discovery.peers.list().map(peer => [peer.id, peer.interfaceName])).toEqual([[nearId, 'lo']]);
		expect(a.seen.gone).toEqual([]);
	});

	it('never answers to our own chat port or to the chat port the sender announced', async () => {
		const [port = 0] = await freePorts(1);
		const victim = await raw(port, '127.0.0.21');
		const a = await instance(port, 'alice', {chatPort: () => victim.port});
		const [spoofer, marker] = [await raw(port, '127.0.0.22'), await raw(port, '127.0.0.23')];
		const spooferId = hex();
		victim.send(who());
		victim.send(announce(hex()));
		spoofer.send(announce(spooferId, false, 30, spoofer.port));
		marker.send(who());
		await waitFor(() => marker.from(a.id).length === 1, {what: 'the marker answered'});
		await turn();
		expect(victim.heard).toEqual([]);
		expect(spoofer.heard).toEqual([]);
		// Heard all the same: only the answer is refused.
		expect(a.discovery.peers.has(spooferId)).toBe(true);
	});
});
