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

function open(port: number): Socket {
	const socket = new Socket();
	socket.on('error', () => undefined);
	socket.connect(port, '127.0.0.1');
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

	it('holds at most 32 connections at once; more are refused', async () => {
		const server = new DataServer('127.0.0.1', undefined);
		cleanups.push(() => server.close());
		const port = await server.port();
		const held = Array.from({length: 32}, () => open(port));
		await Promise.all(held.map(async socket => once(socket, 'connect')));
		// Accepted by the listener in turn: the 32 above wait for their first line (10 s); these are closed.
		await waitFor(() => server.connections() === 32 || undefined, {timeout: 5000, what: '32 connections held'});
		const refused = Array.from({length: 8}, () => open(port));
		await Promise.all(refused.map(async socket => once(socket, 'close')));
		expect(held.every(socket => socket.readyState === 'open')).toBe(true);
	});
});
