import {once} from 'node:events';
import {afterEach, describe, expect, it} from 'vitest';
import type {ChatLine} from '../../source/domain/snapshot.js';
import type {ChatService} from '../../source/net/index.js';
import type {Protocol} from '../../source/domain/endpoint.js';
import {closeRawPeers, eventually, greetingLine, rawTcpClient, rawTcpServer, rawUdp, type RawTcp, type RawUdp} from '../helpers/raw-peers.js';
import {closeAll, isIn, port, received, startService, waitForLine} from '../helpers/service.js';

afterEach(async () => {
	await closeAll();
	closeRawPeers();
});

const inFrom = (text: string, from: string) => (line: ChatLine) => line.kind === 'in' && line.text === text && line.from === from;
const isSystem = (text: string) => (line: ChatLine) => line.kind === 'system' && line.text === text;
const local = (service: ChatService) => ({host: '127.0.0.1', port: port(service)});

/**
 * Two tui-netchat instances, bob dialling alice, after one message each way: bob's first message goes out
 * before either knows the other is a tui-netchat.
 */
async function pair(protocol: Protocol): Promise<{alice: ChatService; bob: ChatService}> {
	const alice = await startService({nick: 'alice', protocol});
	const bob = await startService({nick: 'bob', protocol, peer: local(alice)});
	bob.send('first from bob');
	await waitForLine(alice, inFrom('first from bob', 'bob'));
	alice.send('reply from alice');
	await waitForLine(bob, inFrom('reply from alice', 'alice'));
	return {alice, bob};
}

function isReadableGreeting(text: string): boolean {
	return text.startsWith('*** ') && !text.includes('{') && !text.includes('@') && greetingLine.test(text);
}

describe.each<Protocol>(['udp', 'tcp'])('two tui-netchat peers over %s', protocol => {
	it('labels the first message, sent before the greeting, with the sender\'s nick', async () => {
		const {alice, bob} = await pair(protocol);
		const [first] = received(alice.getSnapshot());
		expect(first).toMatchObject({text: 'first from bob', from: 'bob', transport: protocol});
		expect(bob.getSnapshot().lines.some(line => line.kind === 'in' && line.from !== 'alice')).toBe(false);
	});

	it('labels the reply with the replier\'s nick', async () => {
		const {bob} = await pair(protocol);
		expect(received(bob.getSnapshot())).toEqual([expect.objectContaining({text: 'reply from alice', from: 'alice', transport: protocol})]);
	});

	it('lists each side in the other\'s peers with its nick, as a tui-netchat', async () => {
		const {alice, bob} = await pair(protocol);
		await eventually(() => {
			expect(alice.getSnapshot().peers).toEqual([expect.objectContaining({name: 'bob', tnc: true, transport: protocol})]);
			expect(bob.getSnapshot().peers).toEqual([expect.objectContaining({name: 'alice', tnc: true, transport: protocol})]);
		});
	});

	it('shows the text of later messages without their tags', async () => {
		const {alice, bob} = await pair(protocol);
		bob.send('second; with @tags=look-alike');
		await waitForLine(alice, inFrom('second; with @tags=look-alike', 'bob'));
		expect(received(alice.getSnapshot()).map(line => line.text)).toEqual(['first from bob', 'second; with @tags=look-alike']);
	});

	it('shows "<old> is now known as <new>" on the other side after a nick change', async () => {
		const {alice, bob} = await pair(protocol);
		bob.setNick('robert');
		await waitForLine(alice, isSystem('bob is now known as robert.'));
	});

	it('labels messages sent after a nick change with the new nick', async () => {
		const {alice, bob} = await pair(protocol);
		bob.setNick('robert');
		bob.send('after the rename');
		await waitForLine(alice, inFrom('after the rename', 'robert'));
		await eventually(() => {
			expect(alice.getSnapshot().peers).toEqual([expect.objectContaining({name: 'robert'})]);
		});
	});

	it('shows /me from the other side as an action line', async () => {
		const {alice, bob} = await pair(protocol);
		bob.send('waves', {action: true});
		const line = await waitForLine(alice, inFrom('waves', 'bob'));
		expect(line).toMatchObject({kind: 'in', action: true});
	});

	it('shows an ordinary message as no action', async () => {
		const {alice, bob} = await pair(protocol);
		bob.send('just words');
		const line = await waitForLine(alice, inFrom('just words', 'bob'));
		expect(line.kind === 'in' && line.action).toBe(false);
	});
});

describe('a plain UDP peer (netcat)', () => {
	async function plainUdpChat(...messages: string[]): Promise<{service: ChatService; raw: RawUdp}> {
		const raw = await rawUdp();
		const service = await startService({peer: {host: '127.0.0.1', port: raw.port}});
		for (const message of messages) {
			service.send(message);
		}

		return {service, raw};
	}

	it('gets the typed text, then one greeting a person can read', async () => {
		const {raw} = await plainUdpChat('hello');
		await eventually(() => {
			expect(raw.texts()).toHaveLength(2);
		});
		const [message, greeting] = raw.texts();
		expect(message).toBe('hello\n');
		expect(greeting?.endsWith('\n')).toBe(true);
		expect(isReadableGreeting(greeting?.slice(0, -1) ?? ''), greeting).toBe(true);
		expect(greeting).toContain('tester');
	});

	it('gets the greeting only once, however many messages follow', async () => {
		const {raw} = await plainUdpChat('hello', 'again', 'third');
		await eventually(() => {
			expect(raw.texts()).toContain('third\n');
		});
		const texts = raw.texts();
		expect(texts.filter(text => text.startsWith('*** '))).toHaveLength(1);
		expect(texts.filter(text => !text.startsWith('*** '))).toEqual(['hello\n', 'again\n', 'third\n']);
	});

	it('is never sent message tags, even after writing to us first', async () => {
		const raw = await rawUdp();
		const service = await startService();
		await raw.send('@home hello\n', port(service));
		await waitForLine(service, isIn('@home hello'));
		service.send('one');
		service.send('two', {action: true});
		service.send('three');
		await eventually(() => {
			expect(raw.texts()).toContain('three\n');
		});
		expect(raw.texts().filter(text => text.startsWith('@'))).toEqual([]);
	});

	it('gets "* nick text" for /me', async () => {
		const {raw, service} = await plainUdpChat();
		service.send('waves', {action: true});
		await eventually(() => {
			expect(raw.texts()[0]).toBe('* tester waves\n');
		});
	});

	it('gets nothing on a nick change', async () => {
		const {raw, service} = await plainUdpChat('hello');
		await eventually(() => {
			expect(raw.texts()).toHaveLength(2);
		});
		service.setNick('newname');
		service.send('after');
		await eventually(() => {
			expect(raw.texts()).toContain('after\n');
		});
		expect(raw.texts()).toEqual(['hello\n', expect.stringMatching(/^\*\*\* tester is here/), 'after\n']);
	});
});

describe('a plain TCP peer (netcat)', () => {
	it('that connected to us gets the typed text, then one readable greeting, once', async () => {
		const service = await startService({protocol: 'tcp'});
		const client = await rawTcpClient(port(service));
		client.socket.write('hi there\n');
		await waitForLine(service, isIn('hi there'));
		service.send('hello');
		service.send('again', {action: true});
		service.send('third');
		await eventually(() => {
			expect(client.lines()).toContain('third');
		});
		const lines = client.lines();
		expect(lines.filter(line => !line.startsWith('*** '))).toEqual(['hello', '* tester again', 'third']);
		const greetings = lines.filter(line => line.startsWith('*** '));
		expect(greetings).toHaveLength(1);
		expect(isReadableGreeting(greetings[0] ?? ''), greetings[0]).toBe(true);
	});

	it('that we dialled gets the typed text, then one readable greeting, once, and no tags', async () => {
		const server = await rawTcpServer();
		const service = await startService({protocol: 'tcp', peer: {host: '127.0.0.1', port: server.port}});
		service.send('hello');
		service.send('again');
		await eventually(() => {
			expect(server.accepted[0]?.lines()).toContain('again');
		});
		const lines = server.accepted[0]!.lines();
		expect(lines).toEqual(['hello', expect.stringMatching(/^\*\*\* tester is here via tui-netchat/), 'again']);
		expect(isReadableGreeting(lines[1] ?? '')).toBe(true);
	});

	it('gets nothing on a nick change', async () => {
		const server = await rawTcpServer();
		const service = await startService({protocol: 'tcp', peer: {host: '127.0.0.1', port: server.port}});
		service.send('hello');
		await eventually(() => {
			expect(server.accepted[0]?.lines()).toHaveLength(2);
		});
		service.setNick('newname');
		service.send('after');
		await eventually(() => {
			expect(server.accepted[0]?.lines()).toContain('after');
		});
		expect(server.accepted[0]!.lines()).toEqual(['hello', expect.stringMatching(/^\*\*\* tester is here/), 'after']);
	});
});

describe('several peers', () => {
	type Crowd = {service: ChatService; udp: RawUdp[]; tcp: RawTcp};

	/** Three netcat UDP senders and one TCP client, each having written once, in that order. */
	async function crowd(): Promise<Crowd> {
		const service = await startService();
		const udp = [await rawUdp(), await rawUdp(), await rawUdp()];
		for (const [index, raw] of udp.entries()) {
			// eslint-disable-next-line no-await-in-loop
			await raw.send(`hello from udp ${index}\n`, port(service));
			// eslint-disable-next-line no-await-in-loop
			await waitForLine(service, isIn(`hello from udp ${index}`));
		}

		const tcp = await rawTcpClient(port(service));
		tcp.socket.write('hello from tcp\n');
		await waitForLine(service, isIn('hello from tcp'));
		return {service, udp, tcp};
	}

	/** Sends `text` to each raw UDP peer but `except` in turn; each must get it as its first datagram. */
	async function expectNothingEarlierAt(service: ChatService, udp: RawUdp[], except: number): Promise<void> {
		for (const [index, raw] of udp.entries()) {
			if (index === except) {
				continue;
			}

			expect(service.query(`127.0.0.1:${raw.port}`)).toBe(true);
			service.send(`barrier ${index}`);
			// eslint-disable-next-line no-await-in-loop
			await eventually(() => {
				expect(raw.texts()[0]).toBe(`barrier ${index}\n`);
			});
		}
	}

	it('knows all four, with their transports', async () => {
		const {service, udp, tcp} = await crowd();
		await eventually(() => {
			expect(service.getSnapshot().peers.map(peer => [peer.number, peer.address, peer.transport])).toEqual([
				[1, `127.0.0.1:${udp[0]!.port}`, 'udp'],
				[2, `127.0.0.1:${udp[1]!.port}`, 'udp'],
				[3, `127.0.0.1:${udp[2]!.port}`, 'udp'],
				[4, `127.0.0.1:${tcp.socket.localPort ?? 0}`, 'tcp'],
			]);
		});
	});

	it('lists them as system lines on showPeers', async () => {
		const {service, udp, tcp} = await crowd();
		service.showPeers();
		await waitForLine(service, line => line.kind === 'system' && line.text.startsWith('4 peers'));
		const system = service.getSnapshot().lines.filter(line => line.kind === 'system').map(line => line.text);
		const addresses = [...udp.map(raw => raw.port), tcp.socket.localPort].map(number => `127.0.0.1:${number}`);
		for (const [index, address] of addresses.entries()) {
			const transport = index < 3 ? 'udp' : 'tcp';
			expect(system.some(text => text.startsWith(`  ${index + 1}. `) && text.includes(address) && text.includes(transport)), address).toBe(true);
		}
	});

	it('sends only to peer 2 after query("2")', async () => {
		const {service, udp} = await crowd();
		expect(service.query('2')).toBe(true);
		service.send('for two');
		await eventually(() => {
			expect(udp[1]!.texts()[0]).toBe('for two\n');
		});
		await expectNothingEarlierAt(service, udp, 1);
	});

	it('names peer 2 as the target after query("2")', async () => {
		const {service, udp} = await crowd();
		service.query('2');
		await eventually(() => {
			expect(service.getSnapshot()).toMatchObject({target: `127.0.0.1:${udp[1]!.port}`, targetSource: 'chosen'});
		});
	});

	it('sends only to the peer at an address after query("127.0.0.1:PORT")', async () => {
		const {service, udp} = await crowd();
		expect(service.query(`127.0.0.1:${udp[2]!.port}`)).toBe(true);
		service.send('for three');
		await eventually(() => {
			expect(udp[2]!.texts()[0]).toBe('for three\n');
		});
		await expectNothingEarlierAt(service, udp, 2);
	});

	it('sends to the TCP client chosen by number once TCP is active', async () => {
		const {service, tcp} = await crowd();
		service.setProtocol('tcp');
		expect(service.query('4')).toBe(true);
		service.send('for the tcp client');
		await eventually(() => {
			expect(tcp.lines()[0]).toBe('for the tcp client');
		});
	});

	it('refuses query("nobody") with an error line and keeps the target', async () => {
		const {service, udp} = await crowd();
		service.query('1');
		await eventually(() => {
			expect(service.getSnapshot().target).toBe(`127.0.0.1:${udp[0]!.port}`);
		});
		expect(service.query('nobody')).toBe(false);
		await waitForLine(service, line => line.kind === 'system' && line.level === 'error' && line.text.includes('"nobody"'));
		expect(service.getSnapshot()).toMatchObject({target: `127.0.0.1:${udp[0]!.port}`, targetSource: 'chosen'});
		service.send('still peer 1');
		await eventually(() => {
			expect(udp[0]!.texts()[0]).toBe('still peer 1\n');
		});
	});

	it('sends only to the peer chosen by nick', async () => {
		const service = await startService();
		const bob = await startService({nick: 'bob', peer: local(service)});
		const carol = await startService({nick: 'carol', peer: local(service)});
		bob.send('hi from bob');
		await waitForLine(service, inFrom('hi from bob', 'bob'));
		carol.send('hi from carol');
		await waitForLine(service, inFrom('hi from carol', 'carol'));
		expect(service.query('bob')).toBe(true);
		await eventually(() => {
			expect(service.getSnapshot().target).toBe(`bob (127.0.0.1:${port(bob)})`);
		});
		service.send('for bob');
		await waitForLine(bob, isIn('for bob'));
		// Carol gets a message now: had "for bob" gone to her too, it would have come first.
		service.query('carol');
		service.send('for carol');
		await waitForLine(carol, isIn('for carol'));
		expect(received(carol.getSnapshot()).map(line => line.text)).toEqual(['for carol']);
		expect(received(bob.getSnapshot()).map(line => line.text)).toEqual(['for bob']);
	});
});

describe('connectTo', () => {
	it('sends the next UDP message to the new endpoint, and names it as the target', async () => {
		const first = await rawUdp();
		const second = await rawUdp();
		const service = await startService({peer: {host: '127.0.0.1', port: first.port}});
		service.send('one');
		await eventually(() => {
			expect(first.texts()[0]).toBe('one\n');
		});
		service.connectTo({host: '127.0.0.1', port: second.port});
		service.send('two');
		await eventually(() => {
			expect(second.texts()[0]).toBe('two\n');
		});
		await eventually(() => {
			expect(service.getSnapshot()).toMatchObject({target: `127.0.0.1:${second.port}`, targetSource: 'chosen'});
		});
		service.connectTo({host: '127.0.0.1', port: first.port});
		service.send('three');
		await eventually(() => {
			expect(first.texts()).toContain('three\n');
		});
		expect(first.texts().filter(text => !text.startsWith('*** '))).toEqual(['one\n', 'three\n']);
	});

	it('moves a TCP chat to the new endpoint: the old connection gets nothing more', async () => {
		const first = await rawTcpServer();
		const second = await rawTcpServer();
		const service = await startService({protocol: 'tcp', peer: {host: '127.0.0.1', port: first.port}});
		service.send('one');
		await eventually(() => {
			expect(first.accepted[0]?.lines()[0]).toBe('one');
		});
		const oldConnection = first.accepted[0]!;
		const closed = once(oldConnection.socket, 'close');
		service.connectTo({host: '127.0.0.1', port: second.port});
		service.send('two');
		await eventually(() => {
			expect(second.accepted[0]?.lines()[0]).toBe('two');
		});
		await closed;
		expect(oldConnection.lines().filter(line => !line.startsWith('*** '))).toEqual(['one']);
	});
});
