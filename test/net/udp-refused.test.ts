import {createSocket} from 'node:dgram';
import {once} from 'node:events';
import {afterEach, describe, expect, it, vi} from 'vitest';
import type {ChatLine} from '../../source/domain/snapshot.js';
import {closeRawPeers, eventually} from '../helpers/raw-peers.js';
import {closeAll, startService, waitForLine} from '../helpers/service.js';

// "dual.test" resolves to 127.0.0.1 and ::1 (test/helpers/dual-dns.ts); every socket is real.
vi.mock('node:dns/promises', async original => (await import('../helpers/dual-dns.js')).withDualStackName(original));

afterEach(async () => {
	await closeAll();
	closeRawPeers();
});

/** A UDP port nothing listens on: bound, then closed, so the kernel answers ICMP port unreachable. */
async function closedUdpPort(family: 4 | 6 = 4): Promise<number> {
	const socket = createSocket(family === 6 ? 'udp6' : 'udp4');
	socket.bind(0, family === 6 ? '::1' : '127.0.0.1');
	await once(socket, 'listening');
	const {port} = socket.address();
	socket.close();
	return port;
}

const out = (text: string) => (line: ChatLine) => line.kind === 'out' && line.text === text;
const deliveryOf = (lines: readonly ChatLine[], text: string) => lines.find(out(text))?.kind === 'out' ? (lines.find(out(text)) as Extract<ChatLine, {kind: 'out'}>).delivery : undefined;

describe('UDP to a plain peer that answers ECONNREFUSED', () => {
	it('shows each message as not sent, with one line saying nothing listens there', async () => {
		const port = await closedUdpPort();
		const alice = await startService({nick: 'alice', peer: {host: '127.0.0.1', port}});
		alice.send('anyone?');
		await eventually(() => {
			expect(deliveryOf(alice.getSnapshot().lines, 'anyone?')).toBe('failed');
		});
		alice.send('still nobody?');
		await eventually(() => {
			expect(deliveryOf(alice.getSnapshot().lines, 'still nobody?')).toBe('failed');
		});
		const said = alice.getSnapshot().lines.filter(line => line.kind === 'system' && line.text.includes('ECONNREFUSED'));
		expect(said).toHaveLength(1);
		expect(alice.undelivered()).toBe(2);
	});

	it('still shows a message to a listening plain peer as sent', async () => {
		const peer = createSocket('udp4');
		peer.bind(0, '127.0.0.1');
		await once(peer, 'listening');
		try {
			const alice = await startService({nick: 'alice', peer: {host: '127.0.0.1', port: peer.address().port}});
			alice.send('hello');
			await once(peer, 'message');
			await new Promise(resolve => setTimeout(resolve, 150));
			expect(deliveryOf(alice.getSnapshot().lines, 'hello')).toBe('sent');
		} finally {
			peer.close();
		}
	});
});

describe('UDP to a name with several addresses', () => {
	it('sends to the address that does not refuse (a peer on ::1 only, as "localhost")', async () => {
		// One port number free on both: a peer on ::1 there, nothing on 127.0.0.1.
		const peer = createSocket({type: 'udp6', ipv6Only: true});
		peer.bind(await closedUdpPort(6), '::1');
		await once(peer, 'listening');
		const got: string[] = [];
		peer.on('message', data => got.push(data.toString()));
		try {
			const alice = await startService({nick: 'alice', bind: undefined, peer: {host: 'dual.test', port: peer.address().port}});
			alice.send('first, to 127.0.0.1, refused, then to ::1');
			await eventually(() => {
				expect(got, JSON.stringify(alice.getSnapshot().lines)).toContain('first, to 127.0.0.1, refused, then to ::1\n');
			});
			alice.send('second goes to ::1 at once');
			await eventually(() => {
				expect(got).toContain('second goes to ::1 at once\n');
			});
			await eventually(() => {
				const lines = alice.getSnapshot().lines;
				expect(deliveryOf(lines, 'first, to 127.0.0.1, refused, then to ::1')).toBe('sent');
				expect(deliveryOf(lines, 'second goes to ::1 at once')).toBe('sent');
			});
			// The second went straight to ::1: 127.0.0.1 was not tried again.
			expect(got.filter(text => !text.startsWith('***'))).toEqual(['first, to 127.0.0.1, refused, then to ::1\n', 'second goes to ::1 at once\n']);
		} finally {
			peer.close();
		}
	});
});

describe('--bind of one family and a peer of the other', () => {
	it('names --bind and what to do instead of a bare EAFNOSUPPORT', async () => {
		const alice = await startService({nick: 'alice', bind: '127.0.0.1', peer: {host: '::1', port: 9}});
		alice.send('over there');
		const line = await waitForLine(alice, candidate => candidate.kind === 'system' && candidate.text.includes('EAFNOSUPPORT'));
		expect(line.kind === 'system' && line.text).toBe('UDP to [::1]:9: cannot reach it from --bind 127.0.0.1 (an IPv4 address): bind an IPv6 address or leave --bind out (EAFNOSUPPORT)');
		expect(deliveryOf(alice.getSnapshot().lines, 'over there')).toBe('failed');
	});
});
