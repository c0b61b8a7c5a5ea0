import {createHash, randomBytes} from 'node:crypto';
import {createSocket, type RemoteInfo, type Socket as UdpSocket} from 'node:dgram';
import {once} from 'node:events';
import {createConnection, createServer, type Server, type Socket} from 'node:net';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {mulberry32, startTcpChaosProxy, startUdpChaosProxy, type TcpChaosOptions, type UdpChaosOptions} from '../helpers/chaos-proxy.js';

const wait = {timeout: 4000, interval: 5};
const cleanups: Array<() => Promise<void> | void> = [];

afterEach(async () => {
	for (const cleanup of cleanups.splice(0).reverse()) {
		await cleanup();
	}
});

// ---------------------------------------------------------------------------------------------------------
// TCP fixtures

/** Everything one socket saw: the bytes, in how many reads, and how it ended. */
type Peer = {
	readonly socket: Socket;
	chunks: Buffer[];
	reads: number;
	bytes: number;
	ended: boolean;
	closed: boolean;
	error: NodeJS.ErrnoException | undefined;
	data(): Buffer;
};

function watch(socket: Socket): Peer {
	const peer: Peer = {
		socket,
		chunks: [],
		reads: 0,
		bytes: 0,
		ended: false,
		closed: false,
		error: undefined,
		data: () => Buffer.concat(peer.chunks),
	};
	socket.on('data', (chunk: Buffer) => {
		peer.chunks.push(chunk);
		peer.reads++;
		peer.bytes += chunk.length;
	});
	socket.on('end', () => {
		peer.ended = true;
	});
	socket.on('error', (error: NodeJS.ErrnoException) => {
		peer.error = error;
	});
	socket.on('close', () => {
		peer.closed = true;
	});
	return peer;
}

type TcpTarget = {
	readonly server: Server;
	readonly port: number;
	/** Accepted connections, in order. */
	readonly peers: Peer[];
};

/** A TCP server on loopback; `onPeer` sees each accepted connection (already watched). */
async function startTcpTarget(onPeer: (peer: Peer) => void = () => undefined): Promise<TcpTarget> {
	const peers: Peer[] = [];
	const server = createServer({allowHalfOpen: true}, socket => {
		const peer = watch(socket);
		peers.push(peer);
		onPeer(peer);
	});
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	cleanups.push(async () => {
		for (const peer of peers) {
			peer.socket.destroy();
		}

		await new Promise<void>(resolve => {
			server.close(() => {
				resolve();
			});
		});
	});
	const address = server.address();
	if (address === null || typeof address === 'string') {
		throw new Error('no port');
	}

	return {server, port: address.port, peers};
}

const echo = (peer: Peer) => {
	peer.socket.on('data', (chunk: Buffer) => {
		peer.socket.write(chunk);
	});
};

async function tcpProxy(options: Omit<TcpChaosOptions, 'target'>, target: TcpTarget) {
	const proxy = await startTcpChaosProxy({...options, target: {host: '127.0.0.1', port: target.port}});
	cleanups.push(async () => proxy.close());
	return proxy;
}

async function connect(port: number): Promise<Peer> {
	const socket = createConnection({host: '127.0.0.1', port, allowHalfOpen: true});
	const peer = watch(socket);
	cleanups.push(() => {
		socket.destroy();
	});
	await once(socket, 'connect');
	return peer;
}

async function targetPeer(target: TcpTarget, index: number): Promise<Peer> {
	return vi.waitFor(() => {
		const peer = target.peers[index];
		if (peer === undefined) {
			throw new Error(`target has ${target.peers.length} connections, waiting for #${index + 1}`);
		}

		return peer;
	}, wait);
}

/** Random bytes from a seeded PRNG, so a failure shows the same data again. */
function seededBytes(length: number, seed: number): Buffer {
	const rng = mulberry32(seed);
	const data = Buffer.alloc(length);
	for (let index = 0; index < length; index++) {
		data[index] = Math.floor(rng() * 256);
	}

	return data;
}

/** Both sides write their data and end; waits until each has read the other's data to the end. */
async function exchange(client: Peer, server: Peer, up: Buffer, down: Buffer, timeout = 4000): Promise<void> {
	client.socket.end(up);
	server.socket.end(down);
	await vi.waitFor(() => {
		expect({client: client.ended, server: server.ended, clientBytes: client.bytes, serverBytes: server.bytes}).toEqual({
			client: true,
			server: true,
			clientBytes: down.length,
			serverBytes: up.length,
		});
	}, {...wait, timeout});
	expect(server.data().equals(up)).toBe(true);
	expect(client.data().equals(down)).toBe(true);
}

const resetCodes = ['ECONNRESET', 'EPIPE'];

describe('TCP chaos proxy', () => {
	it('forwards 100 KB both ways byte-exact in 7-byte pieces, half-close included', async () => {
		const target = await startTcpTarget();
		const proxy = await tcpProxy({seed: 1, sliceBytes: 7}, target);
		const client = await connect(proxy.port);
		const server = await targetPeer(target, 0);
		await exchange(client, server, randomBytes(100 * 1024), randomBytes(100 * 1024));
		expect(proxy.stats).toMatchObject({connections: 1, resets: 0, bytesForwarded: 200 * 1024});
	});

	it('forwards byte by byte with sliceBytes 1, and the reader really sees small pieces', async () => {
		const target = await startTcpTarget();
		const proxy = await tcpProxy({seed: 2, sliceBytes: 1}, target);
		const client = await connect(proxy.port);
		const server = await targetPeer(target, 0);
		await exchange(client, server, seededBytes(2048, 21), seededBytes(2048, 22));
		// Without slicing, 2 KB written at once arrives in one read; byte by byte it takes many.
		expect(server.reads).toBeGreaterThan(100);
		expect(client.reads).toBeGreaterThan(100);
		expect(Math.max(...server.chunks.map(chunk => chunk.length))).toBeLessThan(2048);
	});

	it('keeps the order within each direction under random delays', async () => {
		const target = await startTcpTarget();
		const proxy = await tcpProxy({seed: 3, sliceBytes: 16, maxDelayMs: 8}, target);
		const client = await connect(proxy.port);
		const server = await targetPeer(target, 0);
		const counting = (length: number, step: number) => Buffer.from(Array.from({length}, (_, index) => (index * step) % 251));
		await exchange(client, server, counting(20_000, 1), counting(20_000, 7));
	});

	it('resets a connection within the byte range, and both peers see it as an error', async () => {
		const target = await startTcpTarget(echo);
		const proxy = await tcpProxy({seed: 4, resetEvery: {minBytes: 1000, maxBytes: 4000}, maxResets: 1}, target);
		const client = await connect(proxy.port);
		const server = await targetPeer(target, 0);
		client.socket.write(randomBytes(64 * 1024));
		await vi.waitFor(() => {
			expect({client: client.closed, server: server.closed}).toEqual({client: true, server: true});
		}, wait);
		expect(proxy.stats.resets).toBe(1);
		const [point] = proxy.stats.resetPoints;
		expect(point).toBeGreaterThanOrEqual(1000);
		expect(point).toBeLessThanOrEqual(4000);
		expect(client.bytes + server.bytes).toBeLessThanOrEqual(point!);
		expect(resetCodes).toContain(client.error?.code);
		expect(resetCodes).toContain(server.error?.code);
		expect(client.ended || server.ended).toBe(false);
	});

	it('stops resetting after maxResets, so later connections survive', async () => {
		const target = await startTcpTarget(echo);
		const proxy = await tcpProxy({seed: 5, resetEvery: {minBytes: 100, maxBytes: 300}, maxResets: 2}, target);
		for (let round = 0; round < 2; round++) {
			const client = await connect(proxy.port);
			client.socket.write(randomBytes(5000));
			await vi.waitFor(() => {
				expect(client.closed).toBe(true);
			}, wait);
			expect(resetCodes).toContain(client.error?.code);
		}

		const survivor = await connect(proxy.port);
		const payload = randomBytes(20_000);
		survivor.socket.write(payload);
		await vi.waitFor(() => {
			expect(survivor.bytes).toBe(payload.length);
		}, wait);
		expect(survivor.data().equals(payload)).toBe(true);
		expect(survivor.closed).toBe(false);
		expect(proxy.stats).toMatchObject({connections: 3, resets: 2});
	});

	it('resets at the same byte counts for the same seed', async () => {
		const target = await startTcpTarget();
		const run = async (seed: number) => {
			const proxy = await tcpProxy({seed, resetEvery: {minBytes: 500, maxBytes: 20_000}}, target);
			for (let round = 0; round < 4; round++) {
				const client = await connect(proxy.port);
				client.socket.write(randomBytes(32 * 1024));
				await vi.waitFor(() => {
					expect(client.closed).toBe(true);
				}, wait);
			}

			await proxy.close();
			return proxy.stats.resetPoints;
		};

		const first = await run(77);
		expect(first).toHaveLength(4);
		for (const point of first) {
			expect(point).toBeGreaterThanOrEqual(500);
			expect(point).toBeLessThanOrEqual(20_000);
		}

		expect(await run(77)).toEqual(first);
		expect(await run(78)).not.toEqual(first);
	});

	it('pauses the sender while the receiver does not read, and loses nothing', async () => {
		const target = await startTcpTarget(peer => {
			peer.socket.pause();
		});
		const proxy = await tcpProxy({seed: 6}, target);
		const client = await connect(proxy.port);
		const server = await targetPeer(target, 0);
		const payload = randomBytes(24 * 1024 * 1024);
		client.socket.end(payload);
		await vi.waitFor(() => {
			expect(proxy.stats.pauses).toBeGreaterThan(0);
		}, wait);
		// The proxy stopped reading, so the client still holds data it could not hand to the kernel.
		expect(client.socket.writableLength).toBeGreaterThan(0);
		const hash = createHash('sha256');
		server.socket.on('data', (chunk: Buffer) => hash.update(chunk));
		server.socket.resume();
		await vi.waitFor(() => {
			expect(server.ended).toBe(true);
		}, wait);
		expect(server.bytes).toBe(payload.length);
		expect(hash.digest('hex')).toBe(createHash('sha256').update(payload).digest('hex'));
	});

	it('close() destroys live connections on both sides', async () => {
		const target = await startTcpTarget();
		const proxy = await tcpProxy({seed: 7}, target);
		const client = await connect(proxy.port);
		const server = await targetPeer(target, 0);
		await proxy.close();
		// A plain destroy: both peers read an end of stream (they are half-open sockets, so they stay open).
		await vi.waitFor(() => {
			expect({client: client.ended, server: server.ended}).toEqual({client: true, server: true});
		}, wait);
		expect(client.error ?? server.error).toBeUndefined();
	});
});

// ---------------------------------------------------------------------------------------------------------
// UDP fixtures

type UdpPeer = {
	readonly socket: UdpSocket;
	readonly port: number;
	readonly messages: Array<{text: string; from: RemoteInfo}>;
};

async function udpPeer(onMessage?: (peer: UdpPeer, data: Buffer, from: RemoteInfo) => void): Promise<UdpPeer> {
	const socket = createSocket('udp4');
	socket.bind(0, '127.0.0.1');
	await once(socket, 'listening');
	cleanups.push(async () => new Promise<void>(resolve => {
		socket.close(() => {
			resolve();
		});
	}));
	const peer: UdpPeer = {socket, port: socket.address().port, messages: []};
	socket.on('message', (data: Buffer, from: RemoteInfo) => {
		peer.messages.push({text: data.toString(), from});
		onMessage?.(peer, data, from);
	});
	return peer;
}

const udpEcho = (peer: UdpPeer, data: Buffer, from: RemoteInfo) => {
	peer.socket.send(data, from.port, from.address);
};

async function udpProxy(options: Omit<UdpChaosOptions, 'target'>, target: UdpPeer) {
	const proxy = await startUdpChaosProxy({...options, target: {host: '127.0.0.1', port: target.port}});
	cleanups.push(async () => proxy.close());
	return proxy;
}

/**
 * Sends datagrams "0".."count-1" from `from` to the proxy, 50 at a time (so no socket buffer on the way
 * overflows), waiting after each batch until `settled(sentSoFar)` passes.
 */
async function sendNumbered(from: UdpPeer, port: number, count: number, settled: (sent: number) => void): Promise<void> {
	for (let start = 0; start < count; start += 50) {
		const end = Math.min(count, start + 50);
		for (let index = start; index < end; index++) {
			from.socket.send(String(index), port, '127.0.0.1');
		}

		await vi.waitFor(() => {
			settled(end);
		}, wait);
	}
}

const numbers = (peer: UdpPeer) => peer.messages.map(message => Number(message.text));
const range = (count: number) => Array.from({length: count}, (_, index) => index);

/** The indices that got through a proxy with these options, sending `count` datagrams one way. */
async function oneWay(options: Omit<UdpChaosOptions, 'target'>, count: number) {
	const target = await udpPeer();
	const client = await udpPeer();
	const proxy = await udpProxy(options, target);
	await sendNumbered(client, proxy.port, count, sent => {
		expect(proxy.stats.received).toBe(sent);
		expect(proxy.stats.forwarded + proxy.stats.dropped).toBe(sent);
		expect(target.messages.length).toBe(proxy.stats.forwarded + proxy.stats.duplicated);
	});
	return {proxy, received: numbers(target)};
}

describe('UDP chaos proxy', () => {
	it('with dropRate 0 every datagram arrives, both ways, and replies come back to the sender', async () => {
		const target = await udpPeer(udpEcho);
		const client = await udpPeer();
		const proxy = await udpProxy({seed: 10, dropRate: 0}, target);
		await sendNumbered(client, proxy.port, 300, sent => {
			expect([target.messages.length, client.messages.length]).toEqual([sent, sent]);
		});
		expect(numbers(target)).toEqual(range(300));
		expect(numbers(client)).toEqual(range(300));
		// The target sees the proxy's upstream socket, and the client sees replies from the proxy's port.
		const upstreamPort = target.messages[0]!.from.port;
		expect(upstreamPort).not.toBe(client.port);
		expect(target.messages.every(message => message.from.port === upstreamPort)).toBe(true);
		expect(client.messages.every(message => message.from.port === proxy.port)).toBe(true);
		expect(proxy.stats).toMatchObject({received: 600, forwarded: 600, dropped: 0, reordered: 0, duplicated: 0});
	});

	it('drops about dropRate of 2,000 datagrams, and the stats match what arrived', async () => {
		const {proxy, received} = await oneWay({seed: 11, dropRate: 0.2}, 2000);
		const loss = 1 - (received.length / 2000);
		expect(loss).toBeGreaterThanOrEqual(0.15);
		expect(loss).toBeLessThanOrEqual(0.25);
		expect(proxy.stats).toMatchObject({received: 2000, forwarded: received.length, dropped: 2000 - received.length});
		expect(received).toEqual([...received].sort((a, b) => a - b));
	});

	it('reorders some datagrams but loses none', async () => {
		const {proxy, received} = await oneWay({seed: 12, reorderRate: 0.2, holdMs: 20}, 300);
		expect([...received].sort((a, b) => a - b)).toEqual(range(300));
		const descents = received.filter((value, index) => index > 0 && value < received[index - 1]!).length;
		expect(descents).toBeGreaterThan(0);
		expect(proxy.stats.reordered).toBe(descents);
	});

	it('drops the same datagrams for the same seed', async () => {
		const first = await oneWay({seed: 13, dropRate: 0.3}, 300);
		const again = await oneWay({seed: 13, dropRate: 0.3}, 300);
		const other = await oneWay({seed: 14, dropRate: 0.3}, 300);
		expect(first.received.length).toBeLessThan(300);
		expect(again.received).toEqual(first.received);
		expect(other.received).not.toEqual(first.received);
	});

	it('duplicates some datagrams, and counts the copies', async () => {
		const {proxy, received} = await oneWay({seed: 15, duplicateRate: 0.2}, 300);
		expect(proxy.stats.duplicated).toBeGreaterThan(0);
		expect(received).toHaveLength(300 + proxy.stats.duplicated);
		expect([...new Set(received)]).toEqual(range(300));
	});

	it('delays datagrams without changing their order', async () => {
		const {received} = await oneWay({seed: 16, maxDelayMs: 15}, 200);
		expect(received).toEqual(range(200));
	});

	it('gives each client its own upstream socket and routes replies back to it', async () => {
		const target = await udpPeer((peer, data, from) => {
			peer.socket.send(`re:${data.toString()}`, from.port, from.address);
		});
		const proxy = await udpProxy({seed: 17}, target);
		const alice = await udpPeer();
		const bob = await udpPeer();
		alice.socket.send('alice', proxy.port, '127.0.0.1');
		bob.socket.send('bob', proxy.port, '127.0.0.1');
		await vi.waitFor(() => {
			expect([alice.messages.length, bob.messages.length]).toEqual([1, 1]);
		}, wait);
		expect(alice.messages[0]!.text).toBe('re:alice');
		expect(bob.messages[0]!.text).toBe('re:bob');
		const senders = new Set(target.messages.map(message => message.from.port));
		expect(senders.size).toBe(2);
		expect(proxy.stats.clients).toBe(2);
	});
});
