import {afterEach, describe, expect, it, vi} from 'vitest';
import {PacketCapture, type DataRecord, type PacketRecord} from '../../source/net/index.js';
import {inspectHook} from '../../source/net/inspect/hook.js';
import {UdpTransport} from '../../source/net/transport/udp-transport.js';
import {parseIrcUrl} from '../../source/domain/irc-server.js';
import {registers, startFakeServer} from '../irc/fake-server.js';
import {closeAll, isIn, port, startService, waitForLine} from '../helpers/service.js';

let capture: PacketCapture | undefined;
afterEach(async () => {
	capture?.stop();
	capture = undefined;
	await closeAll();
});

function started(): PacketCapture {
	capture = new PacketCapture({batchMs: 5});
	capture.start();
	return capture;
}

const text = (record: PacketRecord) => (record.kind === 'data' ? Buffer.from(record.bytes).toString('utf8') : '');

async function waitForRecord(store: PacketCapture, predicate: (record: PacketRecord) => boolean): Promise<PacketRecord> {
	return vi.waitFor(
		() => {
			const found = store.getSnapshot().records.find(record => predicate(record));
			if (found === undefined) {
				throw new Error(`no such record; have:\n${store.getSnapshot().records.map(record => JSON.stringify({...record, bytes: text(record)})).join('\n')}`);
			}

			return found;
		},
		{timeout: 5000, interval: 10},
	);
}

describe('the packet inspector\'s tap on real sockets', () => {
	it('shows a UDP datagram the kernel refused as an error, not as sent', async () => {
		const store = started();
		const udp = new UdpTransport();
		await udp.bind(0, '127.0.0.1');
		try {
			// Larger than any UDP datagram can be: EMSGSIZE, and nothing leaves.
			await expect(udp.send(new Uint8Array(70_000), '127.0.0.1', udp.port!)).rejects.toThrow();
			const refused = await waitForRecord(store, record => record.kind === 'event' && record.transport === 'udp');
			expect(refused).toMatchObject({kind: 'event', direction: 'out', event: 'error', detail: 'EMSGSIZE', remote: `127.0.0.1:${udp.port!}`});
			expect(store.getSnapshot().records.filter(record => record.kind === 'data')).toEqual([]);
		} finally {
			udp.close();
		}
	});

	it('records a UDP datagram out of one service and into the other, with both ends and its length', async () => {
		const store = started();
		const alice = await startService({nick: 'alice'});
		const bob = await startService({nick: 'bob', peer: {host: '127.0.0.1', port: port(alice)}});
		const [a, b] = [`127.0.0.1:${port(alice)}`, `127.0.0.1:${port(bob)}`];
		bob.send('hello over udp');
		await waitForLine(alice, isIn('hello over udp'));
		const out = (await waitForRecord(store, record => record.direction === 'out' && text(record).includes('hello over udp'))) as DataRecord;
		const into = (await waitForRecord(store, record => record.direction === 'in' && text(record).includes('hello over udp'))) as DataRecord;
		expect(out).toMatchObject({kind: 'data', transport: 'udp', local: b, remote: a});
		expect(into).toMatchObject({kind: 'data', transport: 'udp', local: a, remote: b});
		expect(into.length).toBe(out.length);
		// A first message to a peer not yet known as tui-netchat is plain text, as netcat reads it.
		expect(text(out)).toBe('hello over udp\n');
		expect(out.length).toBe(15);
		// The greeting that follows a first message.
		await waitForRecord(store, record => record.direction === 'out' && record.local === b && text(record).startsWith('*** bob is here via tui-netchat'));
	});

	it('records a TCP line\'s chunks both ways and the connection\'s events', async () => {
		const store = started();
		const alice = await startService({nick: 'alice', protocol: 'tcp'});
		const bob = await startService({nick: 'bob', protocol: 'tcp', peer: {host: '127.0.0.1', port: port(alice)}});
		const a = `127.0.0.1:${port(alice)}`;
		bob.send('hello over tcp');
		await waitForLine(alice, isIn('hello over tcp'));
		const connect = await waitForRecord(store, record => record.kind === 'event' && record.event === 'connect');
		expect(connect).toMatchObject({transport: 'tcp', direction: 'out', remote: a});
		const accept = await waitForRecord(store, record => record.kind === 'event' && record.event === 'accept');
		expect(accept).toMatchObject({transport: 'tcp', direction: 'in', local: a, remote: connect.local});
		const out = (await waitForRecord(store, record => record.kind === 'data' && record.direction === 'out' && text(record).includes('hello over tcp'))) as DataRecord;
		expect(out).toMatchObject({transport: 'tcp', local: connect.local, remote: a});
		const into = (await waitForRecord(store, record => record.kind === 'data' && record.direction === 'in' && record.local === a && text(record).includes('hello over tcp'))) as DataRecord;
		expect(into.remote).toBe(connect.local);
		expect(into.length).toBeGreaterThanOrEqual(Buffer.byteLength('hello over tcp\n'));
		await bob.close();
		await waitForRecord(store, record => record.kind === 'event' && record.event === 'end' && record.local === a);
		await waitForRecord(store, record => record.kind === 'event' && record.event === 'close' && record.local === a);
	});

	it('records a refused TCP connection as an error event', async () => {
		const store = started();
		const alice = await startService({nick: 'alice'});
		const closedPort = port(alice);
		await alice.close();
		await startService({protocol: 'tcp', peer: {host: '127.0.0.1', port: closedPort}});
		const refused = await waitForRecord(store, record => record.kind === 'event' && record.event === 'error');
		expect(refused).toMatchObject({transport: 'tcp', direction: 'out', remote: `127.0.0.1:${closedPort}`, detail: 'ECONNREFUSED'});
	});

	it('records an IRC connection\'s lines both ways, and its connect', async () => {
		const store = started();
		const register = registers(() => 'alice');
		const server = await startFakeServer((line, client) => {
			register(line, client);
		});
		try {
			await startService({nick: 'alice', irc: [parseIrcUrl(`irc://127.0.0.1:${server.port}`)]});
			const remote = `127.0.0.1:${server.port}`;
			await waitForRecord(store, record => record.kind === 'event' && record.transport === 'irc' && record.event === 'connect' && record.remote === remote);
			await waitForRecord(store, record => record.transport === 'irc' && record.direction === 'out' && text(record).includes('NICK alice\r\n'));
			await waitForRecord(store, record => record.transport === 'irc' && record.direction === 'in' && text(record).includes(' 001 '));
		} finally {
			await closeAll();
			await server.close();
		}
	});

	it('records nothing while it is off, and keeps nothing once stopped', async () => {
		const store = new PacketCapture({batchMs: 5});
		capture = store;
		expect(inspectHook.tap).toBeUndefined();
		const alice = await startService({nick: 'alice'});
		const bob = await startService({nick: 'bob', peer: {host: '127.0.0.1', port: port(alice)}});
		bob.send('unseen');
		await waitForLine(alice, isIn('unseen'));
		expect(store.getSnapshot()).toMatchObject({records: [], seen: 0, capturing: false});
		store.start();
		bob.send('seen');
		await waitForRecord(store, record => text(record).includes('seen'));
		store.stop();
		bob.send('unseen again');
		await waitForLine(alice, isIn('unseen again'));
		expect(store.getSnapshot()).toMatchObject({records: [], seen: 0, capturing: false});
	});
});
