import {createSocket} from 'node:dgram';
import {afterEach, describe, expect, it} from 'vitest';
import type {ChatLine} from '../../source/domain/snapshot.js';
import {formatBeacon} from '../../source/net/discovery/beacon.js';
import type {LanInterface} from '../../source/net/discovery/discovery.js';
import type {ChatService} from '../../source/net/index.js';
import {freePorts} from '../helpers/ports.js';
import {closeAll, isIn, port, startService, waitForLine} from '../helpers/service.js';
import {waitFor} from '../helpers/wait.js';

// The chat service with discovery on loopback: its broadcast address reaches every socket on the discovery
// port, as a LAN's does, and nothing leaves the machine. test/lan/ runs the same on a LAN in a box.
const loopback: LanInterface = {name: 'lo', address: '127.0.0.1', broadcast: '127.255.255.255', netmask: '255.0.0.0'};

afterEach(async () => {
	await closeAll();
});

async function lanService(discoveryPort: number, nick: string, extra: {secret?: string; intervalS?: number} = {}): Promise<ChatService> {
	return startService({nick, secret: extra.secret, discovery: {port: discoveryPort, interfaces: () => [loopback], intervalS: extra.intervalS, mdns: false}});
}

const systemTexts = (service: ChatService): string[] => service.getSnapshot().lines.flatMap(line => (line.kind === 'system' ? [line.text] : []));
const hasSystem = (pattern: RegExp) => (line: ChatLine) => line.kind === 'system' && pattern.test(line.text);

describe('the chat service finds its peers on the LAN', () => {
	it('says who was found, counts them in the status, and lists them in /peers with where they were seen', async () => {
		const [discovery = 0] = await freePorts(1);
		const alice = await lanService(discovery, 'alice');
		const bob = await lanService(discovery, 'bob');
		await waitForLine(alice, hasSystem(/^bob is on the LAN at 127\.0\.0\.1:\d+ \(lo\): \/query \d+ to chat\.$/));
		await waitForLine(bob, hasSystem(/^alice is on the LAN/));
		expect(alice.getSnapshot().lanPeers).toBe(1);
		alice.showPeers();
		const line = await waitForLine(alice, hasSystem(/^ {2}\d+\. bob /));
		expect(line.kind === 'system' && line.text).toMatch(new RegExp(`^  \\d+\\. bob 127\\.0\\.0\\.1:${port(bob)} on lo \\(127\\.0\\.0\\.1\\), last seen \\d+s ago$`));
		expect(systemTexts(alice)).toContain('On the LAN (/query N or /connect N to chat):');
		// Found is not picked: nothing was written to bob's chat port.
		expect(bob.getSnapshot().lines.filter(each => each.kind === 'in')).toEqual([]);
		expect(alice.getSnapshot().conversations).toEqual([]);
	});

	it('picking a peer by its /peers number starts a conversation with it, under that number and its nick', async () => {
		const [discovery = 0] = await freePorts(1);
		const alice = await lanService(discovery, 'alice');
		const bob = await lanService(discovery, 'bob');
		const found = await waitForLine(alice, hasSystem(/^bob is on the LAN/));
		const number = /\/query (\d+) to chat/.exec(found.kind === 'system' ? found.text : '')?.[1] ?? '';
		expect(alice.query(number)).toBe(true);
		expect(alice.lookup(number)).toBeDefined();
		const conversation = await waitFor(() => alice.getSnapshot().conversations.find(each => String(each.number) === number), {what: 'the conversation in the snapshot'});
		expect(conversation).toMatchObject({name: 'bob', address: `127.0.0.1:${port(bob)}`});
		alice.send('hello bob, found you on the LAN');
		await waitForLine(bob, isIn('hello bob, found you on the LAN'));
		// The same peer picked by nick is the same conversation.
		expect(alice.lookup('bob')).toBe(conversation?.id);
	});

	it('a peer that quits says so; one that falls silent ages out with one line', async () => {
		const [discovery = 0] = await freePorts(1);
		const alice = await lanService(discovery, 'alice', {intervalS: 1});
		const bob = await lanService(discovery, 'bob', {intervalS: 1});
		await waitForLine(alice, hasSystem(/^bob is on the LAN/));
		await bob.close();
		await waitForLine(alice, hasSystem(/^bob \(127\.0\.0\.1:\d+\) left the LAN\.$/));
		expect(alice.getSnapshot().lanPeers).toBe(0);

		// A peer announcing a 1 s interval once, then nothing: gone after three missed intervals.
		const socket = createSocket('udp4');
		await new Promise<void>(resolve => {
			socket.bind(0, '127.0.0.1', resolve);
		});
		socket.send(formatBeacon({kind: 'announce', id: 'feedfacefeedface', nick: 'ghost', port: 9, intervalS: 1, answer: false}), discovery, '127.0.0.1');
		await waitForLine(alice, hasSystem(/^ghost is on the LAN/));
		await waitForLine(alice, hasSystem(/^ghost \(127\.0\.0\.1:9\) is gone from the LAN: not heard for \ds\.$/), 10_000);
		expect(systemTexts(alice).filter(text => text.startsWith('ghost ')).length).toBe(2);
		socket.close();
	});

	it('with --secret only a peer with the same secret is found', async () => {
		const [discovery = 0] = await freePorts(1);
		const alice = await lanService(discovery, 'alice', {secret: 'lan secret'});
		await lanService(discovery, 'mallory');
		await lanService(discovery, 'bob', {secret: 'lan secret'});
		await waitForLine(alice, hasSystem(/^bob is on the LAN/));
		alice.who();
		await waitFor(() => systemTexts(alice).some(text => text.startsWith('Asking the LAN')));
		expect(systemTexts(alice).some(text => text.includes('mallory'))).toBe(false);
	});

	it('hostile beacons: a thousand made-up peers make a few lines and a summary, and a bounded list', async () => {
		const [discovery = 0] = await freePorts(1);
		const alice = await lanService(discovery, 'alice');
		const socket = createSocket('udp4');
		await new Promise<void>(resolve => {
			socket.bind(0, '127.0.0.1', resolve);
		});
		for (let index = 0; index < 1000; index++) {
			const id = index.toString(16).padStart(16, '0');
			// Every other nick carries an escape sequence: such beacons are refused whole, the rest listed.
			const nick = index % 2 === 0 ? `x\u001b[31m${index}` : `x-${index}`;
			socket.send(formatBeacon({kind: 'announce', id, nick, port: 9, intervalS: 30, answer: true}), discovery, '127.0.0.1');
		}

		await waitFor(() => (alice.getSnapshot().lanPeers ?? 0) >= 100, {timeout: 5000, what: 'the beacons heard', describe: () => String(alice.getSnapshot().lanPeers)});
		expect(alice.getSnapshot().lanPeers).toBeLessThanOrEqual(256);
		alice.showPeers();
		await waitFor(() => systemTexts(alice).some(text => /^ {2}\d+\. x-\d+ /.test(text)), {what: '/peers listing them'});
		expect(systemTexts(alice).some(text => text.includes('x\u001b') || text.includes('x␛'))).toBe(false);
		expect(alice.getSnapshot().lanPeers).toBeLessThanOrEqual(256);
		const found = systemTexts(alice).filter(text => text.includes('is on the LAN'));
		expect(found.length).toBeLessThanOrEqual(20);
		expect(found.every(text => !text.includes('\u001b'))).toBe(true);
		socket.close();
	});

	it('without discovery, /who says it is off and nothing listens on the discovery port', async () => {
		const alice = await startService({nick: 'alice'});
		alice.who();
		await waitForLine(alice, hasSystem(/^LAN discovery is off/));
		expect(alice.getSnapshot().lanPeers).toBeUndefined();
	});
});

describe('picking a LAN peer stays right when names and numbers could mislead', () => {
	it('a number picks by number first: a peer calling itself "1" cannot take /query 1', async () => {
		const [discovery = 0] = await freePorts(1);
		const alice = await lanService(discovery, 'alice');
		const bob = await lanService(discovery, 'bob');
		const found = await waitForLine(alice, hasSystem(/^bob is on the LAN/));
		const number = /\/query (\d+) to chat/.exec(found.kind === 'system' ? found.text : '')?.[1] ?? '';
		const socket = createSocket('udp4');
		await new Promise<void>(resolve => {
			socket.bind(0, '127.0.0.1', resolve);
		});
		// To the broadcast address: with two instances on the port, a unicast datagram reaches only one of them.
		socket.setBroadcast(true);
		socket.send(formatBeacon({kind: 'announce', id: 'baadf00dbaadf00d', nick: number, port: 9, intervalS: 30, answer: true}), discovery, '127.255.255.255');
		socket.send(formatBeacon({kind: 'announce', id: 'baadf00dbaadf00e', nick: 'mallory', port: 9, intervalS: 30, answer: true}), discovery, '127.255.255.255');
		await waitFor(() => systemTexts(alice).some(text => text.startsWith('mallory is on the LAN')), {what: "mallory heard", describe: () => systemTexts(alice).join("\n")});
		expect(alice.query(number)).toBe(true);
		expect(alice.lookup(number)).toBe(alice.lookup(`127.0.0.1:${port(bob)}`));
		socket.close();
	});

	it('the number a found line gave still picks the peer after it wrote first (its conversation has another number)', async () => {
		const [discovery = 0] = await freePorts(1);
		const alice = await lanService(discovery, 'alice');
		const bob = await lanService(discovery, 'bob');
		const found = await waitForLine(alice, hasSystem(/^bob is on the LAN/));
		const number = /\/query (\d+) to chat/.exec(found.kind === 'system' ? found.text : '')?.[1] ?? '';
		bob.connectTo({host: '127.0.0.1', port: port(alice)});
		bob.send('hi alice, me first');
		await waitForLine(alice, isIn('hi alice, me first'));
		expect(alice.query(number)).toBe(true);
		alice.send('hello back');
		await waitForLine(bob, isIn('hello back'));
		await waitFor(() => alice.getSnapshot().conversations.length === 1 ? true : undefined, {what: 'one conversation with bob'});
	});

	it('a chat on the discovery port itself runs without discovery, and says so', async () => {
		const [discovery = 0] = await freePorts(1);
		const alice = await startService({nick: 'alice', port: discovery, discovery: {port: discovery, interfaces: () => [loopback], mdns: false}});
		await waitForLine(alice, hasSystem(/^LAN discovery is off: the chat's port/));
		alice.who();
		await waitFor(() => systemTexts(alice).filter(text => text.startsWith('LAN discovery is off')).length === 2, {what: '/who saying why'});
	});
});

describe('named peers from the config file', () => {
	it('/query NAME and /connect NAME reach the peer the config names, in its own conversation', async () => {
		const bob = await startService({nick: 'bob'});
		const alice = await startService({nick: 'alice', peers: new Map([['home', {host: '127.0.0.1', port: port(bob)}]])});
		expect(alice.query('home')).toBe(true);
		expect(alice.lookup('home')).toBeDefined();
		alice.send('hello from the config');
		await waitForLine(bob, isIn('hello from the config'));
		expect(alice.query('elsewhere')).toBe(false);
	});
});
