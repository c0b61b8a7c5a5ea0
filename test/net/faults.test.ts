import {afterEach, describe, expect, it, vi} from 'vitest';
import type {ChatService} from '../../source/net/index.js';
import {startTcpChaosProxy, startUdpChaosProxy} from '../helpers/chaos-proxy.js';
import {closeAll, isIn, port, startService, waitForLine} from '../helpers/service.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
	await closeAll();
	await Promise.all(closers.splice(0).map(async close => close()));
});

function receivedTexts(service: ChatService): string[] {
	return service
		.getSnapshot()
		.lines.filter(line => line.kind === 'in')
		.map(line => line.text);
}

function deliveries(service: ChatService): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const line of service.getSnapshot().lines) {
		if (line.kind === 'out') {
			counts[line.delivery] = (counts[line.delivery] ?? 0) + 1;
		}
	}

	return counts;
}

describe('delivery under faults', () => {
	it('carries 1,000 TCP messages through a proxy that slices, delays and resets: none lost, none twice, in order', async () => {
		const bob = await startService({nick: 'bob', protocol: 'tcp', historyLimit: 5000, floodBurst: 100_000});
		const proxy = await startTcpChaosProxy({
			target: {host: '127.0.0.1', port: port(bob)},
			seed: 7,
			sliceBytes: 3,
			maxDelayMs: 2,
			resetEvery: {minBytes: 2000, maxBytes: 12_000},
			maxResets: 6,
		});
		closers.push(proxy.close);
		const alice = await startService({nick: 'alice', protocol: 'tcp', peer: {host: '127.0.0.1', port: proxy.port}, retryBaseMs: 20, historyLimit: 5000});
		// The first exchange makes them known to each other; from then on every message carries an id.
		alice.send('hello');
		await waitForLine(bob, isIn('hello'), 10_000);
		await vi.waitFor(() => {
			expect(alice.getSnapshot().peers.some(peer => peer.tnc)).toBe(true);
		}, {timeout: 10_000});

		const expected = Array.from({length: 1000}, (_, index) => `message ${index} 吃了吗`);
		for (const text of expected) {
			alice.send(text);
		}

		await vi.waitFor(
			() => {
				expect(deliveries(alice)['delivered']).toBe(1000);
			},
			{timeout: 60_000, interval: 50},
		);
		// Bob's snapshot is batched per frame: wait for it to catch up with the acknowledgements.
		await vi.waitFor(() => {
			expect(receivedTexts(bob).filter(text => text.startsWith('message '))).toHaveLength(1000);
		});
		const got = receivedTexts(bob).filter(text => text.startsWith('message '));
		expect(got).toEqual(expected);
		expect(proxy.stats.resets).toBeGreaterThan(0);
		console.log(`tcp chaos: ${proxy.stats.resets} resets, ${proxy.stats.connections} connections, ${proxy.stats.bytesForwarded} bytes forwarded`);
	}, 90_000);

	it('delivers and gets acknowledged every UDP message through a proxy that drops 20% and reorders', async () => {
		const bob = await startService({nick: 'bob'});
		const proxy = await startUdpChaosProxy({target: {host: '127.0.0.1', port: port(bob)}, seed: 11, dropRate: 0.2, reorderRate: 0.2});
		closers.push(proxy.close);
		const alice = await startService({nick: 'alice', peer: {host: '127.0.0.1', port: proxy.port}, retransmitBaseMs: 100});
		// Greetings can be dropped too: say hello until each side knows the other.
		await vi.waitFor(
			() => {
				if (!alice.getSnapshot().peers.some(peer => peer.tnc)) {
					alice.send('hello');
					throw new Error('not yet known');
				}
			},
			{timeout: 10_000, interval: 300},
		);

		const expected = Array.from({length: 300}, (_, index) => `datagram ${index}`);
		for (const text of expected) {
			alice.send(text);
		}

		await vi.waitFor(
			() => {
				expect(deliveries(alice)['delivered']).toBe(300);
			},
			{timeout: 60_000, interval: 50},
		);
		await vi.waitFor(() => {
			expect(receivedTexts(bob).filter(text => text.startsWith('datagram '))).toHaveLength(300);
		});
		const got = receivedTexts(bob).filter(text => text.startsWith('datagram '));
		expect(new Set(got)).toEqual(new Set(expected));
		expect(proxy.stats.dropped).toBeGreaterThan(0);
		expect(proxy.stats.reordered).toBeGreaterThan(0);
		console.log(`udp chaos: ${proxy.stats.dropped} dropped, ${proxy.stats.reordered} reordered of ${proxy.stats.received}`);
	}, 90_000);
});
