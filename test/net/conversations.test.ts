import {once} from 'node:events';
import {createServer, type Socket} from 'node:net';
import {afterEach, describe, expect, it} from 'vitest';
import type {ChatLine} from '../../source/domain/snapshot.js';
import type {ChatService} from '../../source/net/index.js';
import {freePort} from '../helpers/ports.js';
import {closeRawPeers, eventually, rawTcpClient, rawUdp} from '../helpers/raw-peers.js';
import {closeAll, isIn, port, startService, waitForLine} from '../helpers/service.js';

const servers: Array<() => void> = [];
afterEach(async () => {
	await closeAll();
	closeRawPeers();
	for (const close of servers.splice(0)) {
		close();
	}
});

const local = (service: ChatService) => ({host: '127.0.0.1', port: port(service)});
const own = (text: string) => (line: ChatLine) => line.kind === 'out' && line.text === text;
const delivery = (service: ChatService, text: string) => service.getSnapshot().lines.find(own(text))?.kind === 'out' ? (service.getSnapshot().lines.find(own(text)) as Extract<ChatLine, {kind: 'out'}>).delivery : undefined;

/** A TCP server like the tutorial's one-shot: one recv(1024), then close. Resolves with what that read got. */
async function oneShotServer(): Promise<{port: number; firstRead: Promise<string>}> {
	let sockets: Socket[] = [];
	const server = createServer();
	const firstRead = new Promise<string>(resolve => {
		server.on('connection', socket => {
			sockets.push(socket);
			socket.once('data', chunk => {
				resolve(chunk.toString('utf8'));
				socket.destroy();
			});
		});
	});
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	servers.push(() => {
		for (const socket of sockets) {
			socket.destroy();
		}

		sockets = [];
		server.close();
	});
	const address = server.address();
	return {port: typeof address === 'object' && address ? address.port : 0, firstRead};
}

describe('conversations', () => {
	it('lists one tui-netchat instance once, though it spoke over UDP and over a TCP connection from another port', async () => {
		const alice = await startService({nick: 'alice'});
		const bob = await startService({nick: 'bob', peer: local(alice)});
		bob.send('over udp');
		await waitForLine(alice, isIn('over udp'));
		bob.setProtocol('tcp');
		bob.send('over tcp');
		await waitForLine(alice, isIn('over tcp'));
		await eventually(() => {
			expect(alice.getSnapshot().peers).toEqual([expect.objectContaining({name: 'bob', tnc: true})]);
			expect(alice.getSnapshot().conversations).toHaveLength(1);
		});
		const lines = alice.getSnapshot().lines.filter(line => line.kind === 'in');
		expect(new Set(lines.map(line => line.conversation)).size).toBe(1);
	});

	it('gives a one-shot TCP server (one recv, then close) the first message alone, without the greeting', async () => {
		const server = await oneShotServer();
		const service = await startService({protocol: 'tcp', peer: {host: '127.0.0.1', port: server.port}});
		service.send('hello');
		expect(await server.firstRead).toBe('hello\n');
	});

	it('keeps a reply to a tui-netchat that connected and left as pending, and delivers it when that instance is back', async () => {
		const alice = await startService({nick: 'alice', retryBaseMs: 50});
		const bobPort = await freePort();
		const bob = await startService({nick: 'bob', protocol: 'tcp', port: bobPort, peer: local(alice)});
		bob.send('hi alice');
		await waitForLine(alice, isIn('hi alice'));
		await eventually(() => {
			expect(alice.getSnapshot().peers[0]).toMatchObject({name: 'bob', tnc: true});
		});
		await bob.close();
		await waitForLine(alice, line => line.kind === 'system' && line.text.includes('closed the connection'));
		alice.setProtocol('tcp');
		alice.send('are you there?');
		await eventually(() => {
			expect(delivery(alice, 'are you there?')).toBe('pending');
		});
		const back = await startService({nick: 'bob', protocol: 'tcp', port: bobPort});
		await waitForLine(back, isIn('are you there?'), 10_000);
		await eventually(() => {
			expect(delivery(alice, 'are you there?')).toBe('delivered');
		}, 10_000);
	});

	it('says plainly why a reply to a plain client that left cannot go, and shows it as not sent', async () => {
		const service = await startService({protocol: 'tcp'});
		const client = await rawTcpClient(port(service));
		client.socket.write('bye soon\n');
		await waitForLine(service, isIn('bye soon'));
		client.socket.destroy();
		await waitForLine(service, line => line.kind === 'system' && line.text.includes('closed the connection'));
		service.send('too late');
		await waitForLine(service, line => line.kind === 'system' && line.level === 'error' && line.text.includes('cannot be dialled back'));
		await eventually(() => {
			expect(delivery(service, 'too late')).toBe('failed');
		});
	});

	it('sends /msg text once to the peer named, and keeps replying to whoever wrote last', async () => {
		const service = await startService();
		const [first, second] = [await rawUdp(), await rawUdp()];
		await second.send('i am second\n', port(service));
		await waitForLine(service, isIn('i am second'));
		await first.send('i am first\n', port(service));
		await waitForLine(service, isIn('i am first'));
		expect(service.message(`127.0.0.1:${second.port}`, 'just for you')).toBeDefined();
		await eventually(() => {
			expect(second.texts()[0]).toBe('just for you\n');
		});
		service.send('to the last sender');
		await eventually(() => {
			expect(first.texts()[0]).toBe('to the last sender\n');
		});
		expect(second.texts().filter(text => text === 'to the last sender\n')).toEqual([]);
		expect(service.getSnapshot().target).toBe(`127.0.0.1:${first.port}`);
	});

	it('sends to a conversation named in send() rather than to the target', async () => {
		const service = await startService();
		const [first, second] = [await rawUdp(), await rawUdp()];
		await first.send('one\n', port(service));
		await waitForLine(service, isIn('one'));
		await second.send('two\n', port(service));
		await waitForLine(service, isIn('two'));
		const firstConversation = service.lookup(`127.0.0.1:${first.port}`);
		expect(firstConversation).toBeDefined();
		service.send('in its own buffer', {conversation: firstConversation});
		await eventually(() => {
			expect(first.texts()[0]).toBe('in its own buffer\n');
		});
		expect(second.texts()).toEqual([]);
	});

	it('switches one conversation\'s protocol from its buffer, and Ctrl+T in the merged view switches its target back', async () => {
		const service = await startService();
		const raw = await rawUdp();
		await raw.send('hi\n', port(service));
		await waitForLine(service, isIn('hi'));
		const id = service.lookup(`127.0.0.1:${raw.port}`);
		service.toggleProtocol(id);
		await eventually(() => {
			expect(service.getSnapshot().conversations.find(conversation => conversation.id === id)?.protocol).toBe('tcp');
		});
		expect(service.getSnapshot().protocol).toBe('tcp');
		service.toggleProtocol();
		await eventually(() => {
			expect(service.getSnapshot().protocol).toBe('udp');
		});
	});

	it('is one conversation with a peer named by host name that wrote first by address, and its acknowledgements count', async () => {
		const bobPort = await freePort();
		const alice = await startService({nick: 'alice', peer: {host: '127.0.0.1', port: bobPort}});
		const bob = await startService({nick: 'bob', port: bobPort, peer: {host: 'localhost', port: port(alice)}});
		alice.send('hi bob');
		await waitForLine(bob, isIn('hi bob'));
		bob.send('hi alice, by name');
		await waitForLine(alice, isIn('hi alice, by name'));
		await eventually(() => {
			expect(delivery(bob, 'hi alice, by name')).toBe('delivered');
			expect(bob.getSnapshot().conversations).toHaveLength(1);
		});
		expect(bob.getSnapshot().target).toMatch(/^alice \(/);
	});

	it('takes a restarted instance that dials over TCP for the one it was, once it answers where it listens', async () => {
		const alice = await startService({nick: 'alice'});
		const bobPort = await freePort();
		const bob = await startService({nick: 'bob', port: bobPort, peer: local(alice)});
		bob.send('over udp first');
		await waitForLine(alice, isIn('over udp first'));
		alice.send('hello bob');
		await waitForLine(bob, isIn('hello bob'));
		await bob.close();
		const again = await startService({nick: 'bob', port: bobPort, protocol: 'tcp', peer: local(alice)});
		again.send('back, over tcp');
		await waitForLine(alice, isIn('back, over tcp'));
		await eventually(() => {
			expect(alice.getSnapshot().conversations.map(conversation => conversation.name)).toEqual(['bob']);
		});
	});

	it('keeps one conversation when a peer named by host name switches to TCP', async () => {
		const bobPort = await freePort();
		const alice = await startService({nick: 'alice', peer: {host: '127.0.0.1', port: bobPort}});
		const bob = await startService({nick: 'bob', port: bobPort, peer: {host: 'localhost', port: port(alice)}});
		alice.send('hi bob');
		await waitForLine(bob, isIn('hi bob'));
		bob.send('hi alice');
		await waitForLine(alice, isIn('hi alice'));
		bob.setProtocol('tcp');
		bob.send('now over tcp');
		await waitForLine(alice, isIn('now over tcp'));
		await eventually(() => {
			expect(alice.getSnapshot().conversations.map(conversation => conversation.name)).toEqual(['bob']);
			expect(delivery(bob, 'now over tcp')).toBe('delivered');
		});
	});
});
