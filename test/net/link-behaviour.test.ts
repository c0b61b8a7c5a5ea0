import {createSocket, type Socket as UdpSocket} from 'node:dgram';
import {once} from 'node:events';
import {createServer} from 'node:net';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {freePort} from '../helpers/ports.js';
import {closeAll, port, startService, waitForLine} from '../helpers/service.js';

const cleanups: Array<() => void> = [];
afterEach(async () => {
	await closeAll();
	for (const cleanup of cleanups.splice(0)) {
		cleanup();
	}
});

describe('the outgoing TCP link', () => {
	it('says a refused connection once, not at every redial', async () => {
		const closed = await freePort();
		const service = await startService({protocol: 'tcp', peer: {host: '127.0.0.1', port: closed}, retryBaseMs: 20});
		// The backoff doubles from 20 ms: a wait of over 100 ms means at least four attempts were refused.
		await vi.waitFor(() => {
			expect(service.getSnapshot().tcp.retryInMs).toBeGreaterThan(100);
		});
		const refusals = service.getSnapshot().lines.filter(line => line.kind === 'system' && line.text.includes('ECONNREFUSED'));
		expect(refusals).toHaveLength(1);
	});

	it('keeps backing off from a server that accepts and drops at once', async () => {
		let accepted = 0;
		const server = createServer(socket => {
			accepted++;
			socket.destroy();
		});
		server.listen(0, '127.0.0.1');
		await once(server, 'listening');
		cleanups.push(() => server.close());
		const started = Date.now();
		await startService({protocol: 'tcp', peer: {host: '127.0.0.1', port: (server.address() as {port: number}).port}, retryBaseMs: 50});
		await vi.waitFor(() => {
			expect(accepted).toBeGreaterThanOrEqual(4);
		});
		// Backing off, the fourth connection comes after 50 + 100 + 200 ms; reset each time, after 3 × 50 ms.
		expect(Date.now() - started).toBeGreaterThanOrEqual(340);
	});

	it('marks messages for an address that never answered as not sent when /connect changes the target', async () => {
		const closed = await freePort();
		const other = await freePort();
		const service = await startService({protocol: 'tcp', peer: {host: '127.0.0.1', port: closed}, retryBaseMs: 5000});
		service.send('stranded');
		await waitForLine(service, line => line.kind === 'out' && line.delivery === 'pending');
		service.connectTo({host: '127.0.0.1', port: other});
		await waitForLine(service, line => line.kind === 'out' && line.text === 'stranded' && line.delivery === 'failed');
		await waitForLine(service, line => line.kind === 'system' && line.text.includes(`for 127.0.0.1:${closed} not sent`));
	});
});

describe('the flood limit', () => {
	it('treats a flood from many source ports of one host as one flood', async () => {
		const service = await startService({floodBurst: 20, floodPerSecond: 10});
		const sockets: UdpSocket[] = [];
		for (let index = 0; index < 100; index++) {
			const socket = createSocket('udp4');
			sockets.push(socket);
			cleanups.push(() => socket.close());
			socket.send(`from port ${index}\n`, port(service), '127.0.0.1');
		}

		await waitForLine(service, line => line.kind === 'system' && /\d+ messages from .* dropped/.test(line.text), 5000);
		expect(service.getSnapshot().lines.filter(line => line.kind === 'in').length).toBeLessThan(40);
	});
});
