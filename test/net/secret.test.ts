import {createSocket} from 'node:dgram';
import {once} from 'node:events';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {closeAll, isIn, port, startService, waitForLine} from '../helpers/service.js';

const cleanups: Array<() => void> = [];
afterEach(async () => {
	await closeAll();
	for (const cleanup of cleanups.splice(0)) {
		cleanup();
	}
});

describe('--secret', () => {
	it('lets two peers with the same secret chat over UDP and TCP, and shows the conversation as sealed', async () => {
		const alice = await startService({nick: 'alice', secret: 'open sesame'});
		const bob = await startService({nick: 'bob', secret: 'open sesame', peer: {host: '127.0.0.1', port: port(alice)}});
		bob.send('你好 over UDP');
		await waitForLine(alice, isIn('你好 over UDP'));
		alice.send('back');
		await waitForLine(bob, isIn('back'));
		bob.setProtocol('tcp');
		bob.send('over TCP');
		await waitForLine(alice, isIn('over TCP'));
		expect(alice.getSnapshot().sealed).toMatch(/^[\da-f]{8}$/);
		expect(alice.getSnapshot().sealed).toBe(bob.getSnapshot().sealed);
	});

	it('puts no plaintext on the wire: a listener sees only sealed lines', async () => {
		const listener = createSocket('udp4');
		cleanups.push(() => listener.close());
		listener.bind(0, '127.0.0.1');
		await once(listener, 'listening');
		const received: string[] = [];
		listener.on('message', data => received.push(data.toString('latin1')));
		const alice = await startService({nick: 'alice', secret: 's3cret', peer: {host: '127.0.0.1', port: listener.address().port}});
		alice.send('the plaintext secret message');
		await vi.waitFor(() => {
			expect(received.length).toBeGreaterThanOrEqual(2);
		});
		for (const datagram of received) {
			expect(datagram).toMatch(/^%tnc1:[\w-]+\n$/);
			expect(datagram).not.toContain('plaintext');
			expect(datagram).not.toContain('alice');
		}
	});

	it('refuses a peer with another secret with one system line and shows nothing it sends', async () => {
		const alice = await startService({nick: 'alice', secret: 'right'});
		const mallory = await startService({nick: 'mallory', secret: 'wrong', peer: {host: '127.0.0.1', port: port(alice)}});
		mallory.send('let me in');
		mallory.send('please');
		await waitForLine(alice, line => line.kind === 'system' && line.text.includes('Rejected data from'));
		await vi.waitFor(() => {
			expect(mallory.getSnapshot().counts.out).toBe(2);
		});
		const snapshot = alice.getSnapshot();
		expect(snapshot.lines.filter(line => line.kind === 'in')).toEqual([]);
		expect(snapshot.lines.filter(line => line.kind === 'system' && line.text.includes('Rejected'))).toHaveLength(1);
	});

	it('refuses a plain peer without a secret', async () => {
		const alice = await startService({nick: 'alice', secret: 'right'});
		const plain = createSocket('udp4');
		cleanups.push(() => plain.close());
		plain.send('hello in the clear\n', port(alice), '127.0.0.1');
		await waitForLine(alice, line => line.kind === 'system' && line.text.includes('not sealed'));
		expect(alice.getSnapshot().lines.some(line => line.kind === 'in')).toBe(false);
	});

	it('ignores a replayed datagram', async () => {
		const alice = await startService({nick: 'alice', secret: 'k'});
		const tap = createSocket('udp4');
		cleanups.push(() => tap.close());
		tap.bind(0, '127.0.0.1');
		await once(tap, 'listening');
		const captured: Buffer[] = [];
		tap.on('message', data => captured.push(data));
		const bob = await startService({nick: 'bob', secret: 'k', peer: {host: '127.0.0.1', port: tap.address().port}});
		bob.send('only once');
		await vi.waitFor(() => {
			expect(captured.length).toBeGreaterThan(0);
		});
		tap.send(captured[0]!, port(alice), '127.0.0.1');
		await waitForLine(alice, isIn('only once'));
		tap.send(captured[0]!, port(alice), '127.0.0.1');
		await waitForLine(alice, line => line.kind === 'system' && line.text.includes('replayed'));
		expect(alice.getSnapshot().lines.filter(line => line.kind === 'in')).toHaveLength(1);
	});
});
