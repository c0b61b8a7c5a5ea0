import {randomBytes} from 'node:crypto';
import {once} from 'node:events';
import {Socket} from 'node:net';
import {afterEach, describe, expect, it} from 'vitest';
import {DataServer, newToken} from '../../source/net/files/data-server.js';
import {formatHello} from '../../source/net/files/offer-codec.js';
import {fileOf} from '../helpers/file-peers.js';
import {waitFor} from '../helpers/wait.js';

// The sender's data port against receivers that misbehave: it holds a bounded number of connections, and
// drops one that stops reading.

const cleanups: Array<() => void> = [];
afterEach(() => {
	for (const cleanup of cleanups.splice(0)) {
		cleanup();
	}
});

function open(port: number, from?: string): Socket {
	const socket = new Socket();
	socket.on('error', () => undefined);
	socket.connect({port, host: '127.0.0.1', ...(from === undefined ? {} : {localAddress: from})});
	cleanups.push(() => socket.destroy());
	return socket;
}

describe('the data port under hostile receivers', () => {
	it('drops a receiver that stops reading, and says the connection broke', async () => {
		const server = new DataServer('127.0.0.1', undefined, 300);
		cleanups.push(() => server.close());
		const size = 64 * 1024 * 1024;
		const {path} = fileOf(size);
		const token = newToken();
		const ended: Array<{complete: boolean; why?: string}> = [];
		server.serve({id: '0123456789ab', path, size, token, started() {}, sent() {}, ended: result => ended.push(result)});
		const socket = open(await server.port());
		await once(socket, 'connect');
		socket.write(formatHello({id: '0123456789ab', offset: 0, token, nonce: randomBytes(16).toString('hex')}));
		// It reads nothing: the sender's buffers fill, then nothing moves.
		socket.pause();
		await waitFor(() => ended.length > 0 || undefined, {timeout: 10_000, what: 'the sender to give up on the stalled receiver'});
		expect(ended).toEqual([{complete: false, why: 'nothing read for 300 ms'}]);
	});

	it('holds at most 4 connections from one address that have not named an offer yet, and 32 in all', async () => {
		const server = new DataServer('127.0.0.1', undefined);
		cleanups.push(() => server.close());
		const port = await server.port();
		// One address: the fifth and sixth are closed at once, the first four wait for their first line (5 s).
		const first = Array.from({length: 4}, () => open(port, '127.0.0.1'));
		await Promise.all(first.map(async socket => once(socket, 'connect')));
		await waitFor(() => server.connections() === 4 || undefined, {timeout: 5000, what: '4 connections held'});
		await Promise.all([open(port, '127.0.0.1'), open(port, '127.0.0.1')].map(async socket => once(socket, 'close')));
		expect(first.every(socket => socket.readyState === 'open')).toBe(true);
		// Seven more addresses of loopback, four each: 32 in all; then the listener takes no more from anyone.
		const others = Array.from({length: 28}, (_, index) => open(port, `127.0.0.${2 + Math.floor(index / 4)}`));
		await Promise.all(others.map(async socket => once(socket, 'connect')));
		await waitFor(() => server.connections() === 32 || undefined, {timeout: 5000, what: '32 connections held'});
		await once(open(port, '127.0.0.9'), 'close');
		expect([...first, ...others].every(socket => socket.readyState === 'open')).toBe(true);
	});
});
