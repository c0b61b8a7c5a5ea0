import {createSocket} from 'node:dgram';
import {once} from 'node:events';
import {createConnection, createServer, type Server} from 'node:net';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {StartError} from '../../source/net/index.js';
import {closeAll, isIn, port, startService, waitForLine} from '../helpers/service.js';

const cleanups: Array<() => void> = [];
afterEach(async () => {
	await closeAll();
	for (const cleanup of cleanups.splice(0)) {
		cleanup();
	}
});

async function busyPort(): Promise<Server> {
	const server = createServer();
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	cleanups.push(() => server.close());
	return server;
}

describe('ChatService over UDP', () => {
	it('sends to --peer and replies to the last sender', async () => {
		const alice = await startService({nick: 'alice'});
		const bob = await startService({nick: 'bob', peer: {host: '127.0.0.1', port: port(alice)}});
		bob.send('你好，alice');
		const line = await waitForLine(alice, isIn('你好，alice'));
		expect(line).toMatchObject({transport: 'udp', address: `127.0.0.1:${port(bob)}`});
		alice.send('hi bob');
		await waitForLine(bob, isIn('hi bob'));
		// The snapshot is batched once a frame: bob may show the reply before alice's next frame counts it.
		await vi.waitFor(() => {
			expect(alice.getSnapshot().counts).toEqual({in: 1, out: 1});
		});
	});

	it('talks plain text with a trailing newline to a plain UDP socket, and strips it on receipt', async () => {
		const service = await startService();
		const plain = createSocket('udp4');
		cleanups.push(() => plain.close());
		plain.bind(0, '127.0.0.1');
		await once(plain, 'listening');
		plain.send('hi\n', port(service), '127.0.0.1');
		await waitForLine(service, isIn('hi'));
		const reply = once(plain, 'message');
		service.send('back at you');
		const [data] = (await reply) as [Buffer];
		expect(data.toString()).toBe('back at you\n');
	});

	it('says who to start with when nobody is known yet', async () => {
		const service = await startService();
		service.send('into the void');
		await waitForLine(service, line => line.kind === 'system' && line.level === 'error' && line.text.includes('--peer'));
		expect(service.getSnapshot().counts.out).toBe(0);
	});

	it('shows hostile control characters as harmless placeholders', async () => {
		const service = await startService();
		const plain = createSocket('udp4');
		cleanups.push(() => plain.close());
		plain.send('\u001B]0;pwned\u0007title', port(service), '127.0.0.1');
		await waitForLine(service, isIn('␛]0;pwned␇title'));
	});
});

describe('ChatService over TCP', () => {
	it('connects to the peer and chats both ways on that connection', async () => {
		const alice = await startService({nick: 'alice', protocol: 'tcp'});
		const bob = await startService({nick: 'bob', protocol: 'tcp', peer: {host: '127.0.0.1', port: port(alice)}});
		bob.send('吃了吗');
		await waitForLine(alice, isIn('吃了吗'));
		alice.send('吃了');
		await waitForLine(bob, isIn('吃了'));
		await vi.waitFor(() => {
			expect(bob.getSnapshot().tcp.link).toBe('connected');
		});
	});

	it('accepts several clients and answers the one that wrote last', async () => {
		const service = await startService({protocol: 'tcp'});
		const clients = await Promise.all(
			[1, 2, 3].map(async () => {
				const socket = createConnection(port(service), '127.0.0.1');
				cleanups.push(() => socket.destroy());
				await once(socket, 'connect');
				return socket;
			}),
		);
		for (const [index, client] of clients.entries()) {
			client.write(`from client ${index}\r\n`);
			// eslint-disable-next-line no-await-in-loop
			await waitForLine(service, isIn(`from client ${index}`));
		}

		const reply = once(clients[2]!, 'data');
		service.send('to the last one');
		const [data] = (await reply) as [Buffer];
		expect(data.toString().split('\n')[0]).toBe('to the last one');
		expect(service.getSnapshot().tcp.connections).toBe(3);
	});

	it('takes text ended by the connection closing as a message, as the tutorial client sends it', async () => {
		const service = await startService();
		const socket = createConnection(port(service), '127.0.0.1');
		await once(socket, 'connect');
		socket.end(Buffer.from('吃了吗'));
		await waitForLine(service, isIn('吃了吗'));
	});

	it('reports a refused connection in words and retries', async () => {
		const closed = await busyPort();
		const closedPort = (closed.address() as {port: number}).port;
		closed.close();
		await once(closed, 'close');
		const service = await startService({protocol: 'tcp', peer: {host: '127.0.0.1', port: closedPort}});
		await waitForLine(service, line => line.kind === 'system' && line.text.includes('ECONNREFUSED'));
		await vi.waitFor(() => {
			expect(service.getSnapshot().tcp.link).toBe('retrying');
		});
	});

	it('delivers a message typed before the connection is up once it connects', async () => {
		const alice = await startService({protocol: 'tcp'});
		const bob = await startService({protocol: 'tcp', peer: {host: '127.0.0.1', port: port(alice)}});
		bob.send('queued');
		await waitForLine(alice, isIn('queued'));
		await waitForLine(bob, line => line.kind === 'out' && line.delivery === 'sent');
	});
});

describe('ChatService start-up', () => {
	it('refuses an explicit port in use with one line that says so', async () => {
		const server = await busyPort();
		const busy = (server.address() as {port: number}).port;
		await expect(startService({port: busy})).rejects.toThrow(StartError);
		await expect(startService({port: busy})).rejects.toThrow(`--port ${busy}: the port is already in use`);
	});

	it('takes a free port when the default one is busy', async () => {
		const server = await busyPort();
		const busy = (server.address() as {port: number}).port;
		const service = await startService({port: busy, portExplicit: false});
		expect(port(service)).not.toBe(busy);
		expect(port(service)).toBeGreaterThan(0);
		expect(service.getSnapshot().portNote).toContain(String(busy));
	});

	it('listens for UDP and TCP on the same port', async () => {
		const service = await startService();
		const socket = createConnection(port(service), '127.0.0.1');
		cleanups.push(() => socket.destroy());
		await once(socket, 'connect');
		const udp = createSocket('udp4');
		cleanups.push(() => udp.close());
		udp.send('ping', port(service), '127.0.0.1');
		await waitForLine(service, isIn('ping'));
	});

	it('closes twice without harm and frees the port', async () => {
		const service = await startService();
		const used = port(service);
		await service.close();
		await service.close();
		const again = await startService({port: used});
		expect(port(again)).toBe(used);
	});
});

describe('ChatService errors in words', () => {
	it('reports ECONNREFUSED over UDP after an ICMP port unreachable', async () => {
		const closed = createSocket('udp4');
		closed.bind(0, '127.0.0.1');
		await once(closed, 'listening');
		const closedPort = closed.address().port;
		closed.close();
		const service = await startService({peer: {host: '127.0.0.1', port: closedPort}});
		service.send('anyone?');
		await waitForLine(service, line => line.kind === 'system' && line.level === 'error' && line.text.includes('ECONNREFUSED') && line.text.includes(`127.0.0.1:${closedPort}`));
	});

	it('reports an unknown host name as not found', async () => {
		const service = await startService({protocol: 'tcp', peer: {host: 'no-such-host.invalid', port: 7852}});
		service.send('hello?');
		await waitForLine(service, line => line.kind === 'system' && /ENOTFOUND|EAI_AGAIN/.test(line.text));
	});

	it('reports a peer that resets the connection', async () => {
		const server = createServer(socket => {
			socket.once('data', () => socket.resetAndDestroy());
		});
		server.listen(0, '127.0.0.1');
		await once(server, 'listening');
		cleanups.push(() => server.close());
		const service = await startService({protocol: 'tcp', peer: {host: '127.0.0.1', port: (server.address() as {port: number}).port}, retryBaseMs: 60_000});
		service.send('hi');
		await waitForLine(service, line => line.kind === 'system' && line.text.includes('ECONNRESET'));
	});

	it('refuses a --bind address this machine does not have', async () => {
		await expect(startService({bind: '192.0.2.1'})).rejects.toThrow('--bind 192.0.2.1: that address does not belong to this machine');
	});
});
