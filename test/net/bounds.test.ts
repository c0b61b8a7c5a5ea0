import {createSocket} from 'node:dgram';
import {once} from 'node:events';
import {createServer, createConnection, type Socket} from 'node:net';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {cutMarker} from '../../source/net/transport/line-decoder.js';
import {closeAll, isIn, port, startService, waitForLine} from '../helpers/service.js';

const cleanups: Array<() => void> = [];
afterEach(async () => {
	await closeAll();
	for (const cleanup of cleanups.splice(0)) {
		cleanup();
	}
});

describe('bounds', () => {
	it('rate-limits a flooding peer and reports what it dropped in one line', async () => {
		const service = await startService({floodBurst: 20, floodPerSecond: 10});
		const flooder = createSocket('udp4');
		cleanups.push(() => flooder.close());
		for (let index = 0; index < 200; index++) {
			flooder.send(`flood ${index}\n`, port(service), '127.0.0.1');
		}

		const line = await waitForLine(service, candidate => candidate.kind === 'system' && /\d+ messages from .* dropped/.test(candidate.text), 5000);
		const dropped = Number(/(\d+) messages/.exec(line.text)?.[1]);
		const shown = service.getSnapshot().lines.filter(candidate => candidate.kind === 'in').length;
		expect(shown).toBeLessThan(60);
		expect(shown + dropped).toBeLessThanOrEqual(200);
		expect(dropped).toBeGreaterThan(100);
		expect(service.getSnapshot().counts.in).toBeGreaterThanOrEqual(shown);
	});

	it('cuts a TCP line over 64 KiB with a marker and goes on with the connection', async () => {
		const service = await startService();
		const socket = createConnection(port(service), '127.0.0.1');
		cleanups.push(() => socket.destroy());
		await once(socket, 'connect');
		socket.write(`${'x'.repeat(200 * 1024)}\nstill here\n`);
		await waitForLine(service, isIn('still here'), 5000);
		const cut = service.getSnapshot().lines.find(line => line.kind === 'in' && line.text.startsWith('xxx'));
		expect(cut?.text.length).toBeLessThan(70 * 1024);
	});

	it('stays responsive while a 5 MB line without a newline arrives, and shows it cut', async () => {
		const service = await startService();
		const socket = createConnection(port(service), '127.0.0.1');
		cleanups.push(() => socket.destroy());
		await once(socket, 'connect');
		const chunk = 'y'.repeat(64 * 1024);
		for (let index = 0; index < 80; index++) {
			socket.write(chunk);
		}

		socket.write('\nafter\n');
		await waitForLine(service, isIn('after'), 10_000);
		const line = service.getSnapshot().lines.find(candidate => candidate.kind === 'in' && candidate.text.startsWith('yyy'));
		expect(line?.text).toContain('more characters');
		expect(cutMarker.length).toBeGreaterThan(0);
	});

	it('stops writing to a TCP peer that does not read, instead of buffering without bound', async () => {
		let stalled: Socket | undefined;
		const server = createServer(socket => {
			stalled = socket;
			socket.pause();
		});
		server.listen(0, '127.0.0.1');
		await once(server, 'listening');
		cleanups.push(() => {
			stalled?.destroy();
			server.close();
		});
		const service = await startService({protocol: 'tcp', peer: {host: '127.0.0.1', port: (server.address() as {port: number}).port}});
		const big = 'z'.repeat(60_000);
		for (let index = 0; index < 400; index++) {
			service.send(big);
		}

		await vi.waitFor(() => {
			expect(service.backlog()).toBeGreaterThan(0);
		});
		const before = process.memoryUsage().rss;
		await new Promise(resolve => {
			setTimeout(resolve, 300);
		});
		// 400 × 60 KB = 24 MB typed; most of it waits as text in the outbox, not in a socket buffer.
		expect(service.backlog()).toBeGreaterThan(100);
		expect(process.memoryUsage().rss - before).toBeLessThan(50 * 1024 * 1024);
		stalled?.resume();
		await vi.waitFor(() => {
			expect(service.backlog()).toBe(0);
		}, {timeout: 15_000});
	}, 30_000);
});
