import {once} from 'node:events';
import {createServer} from 'node:net';
import {afterEach, describe, expect, it} from 'vitest';
import {errorCode, explainError} from '../../source/net/transport/errors.js';
import {TcpTransport} from '../../source/net/transport/tcp-transport.js';
import {UdpTransport} from '../../source/net/transport/udp-transport.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
	for (const cleanup of cleanups.splice(0)) {
		cleanup();
	}
});

describe('transport errors in words', () => {
	it('refuses a datagram over the largest IPv4 payload with EMSGSIZE, and words for it', async () => {
		const udp = new UdpTransport();
		cleanups.push(() => udp.close());
		await udp.bind(0, '127.0.0.1');
		const error = await udp.send(Buffer.alloc(65_508), '127.0.0.1', udp.port ?? 9).catch((error: unknown) => error);
		expect(errorCode(error)).toBe('EMSGSIZE');
		expect(explainError(error)).toBe('message too long for one datagram (EMSGSIZE)');
		// The largest one still goes.
		await udp.send(Buffer.alloc(65_507), '127.0.0.1', udp.port ?? 9);
	});

	it('answers a write to a connection the peer closed with EPIPE or ECONNRESET, in words, without crashing', async () => {
		const server = createServer(socket => {
			socket.destroy();
		});
		server.listen(0, '127.0.0.1');
		await once(server, 'listening');
		cleanups.push(() => server.close());
		const tcp = new TcpTransport();
		cleanups.push(() => tcp.close());
		const closed = once(tcp, 'close');
		const connection = await tcp.connect('127.0.0.1', (server.address() as {port: number}).port);
		await closed;
		const error = await tcp.write(connection.id, 'anyone there?\n').catch((error: unknown) => error);
		expect(['EPIPE', 'ECONNRESET']).toContain(errorCode(error));
		expect(explainError(error)).toMatch(/the other end closed it|reset by the peer/);
	});
});
