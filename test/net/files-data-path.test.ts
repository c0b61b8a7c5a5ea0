import {randomBytes} from 'node:crypto';
import {existsSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import {createServer, Socket, type Server} from 'node:net';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import type {ChatService} from '../../source/net/index.js';
import {fetchFile} from '../../source/net/files/data-client.js';
import {formatHello, helloProof} from '../../source/net/files/offer-codec.js';
import {fileOf, pair, sha, system, tempDir} from '../helpers/file-peers.js';
import {closeAll, port, waitForLine} from '../helpers/service.js';

const cleanups: Array<() => void> = [];
afterEach(async () => {
	await closeAll();
	for (const cleanup of cleanups.splice(0)) {
		cleanup();
	}
});

const has = (service: ChatService, part: string) => service.getSnapshot().lines.some(system(part));

type Served = {id: string; token: string};
const server = (alice: ChatService) => (alice as unknown as {transfers: {server: {served: Map<string, Served>; port: () => Promise<number>}}}).transfers.server;

/** Sends a first line to a data port; what comes back, up to `want` bytes (or until the sender closes). */
async function grab(dataPort: number, hello: string, want: number): Promise<Buffer> {
	return new Promise(resolve => {
		const chunks: Buffer[] = [];
		let got = 0;
		const socket = new Socket();
		socket.on('error', () => undefined);
		socket.connect(dataPort, '127.0.0.1', () => socket.write(hello));
		socket.on('data', chunk => {
			chunks.push(chunk);
			got += chunk.length;
			if (got >= want) {
				socket.destroy();
				resolve(Buffer.concat(chunks));
			}
		});
		socket.on('close', () => resolve(Buffer.concat(chunks)));
	});
}

async function listen(handler: (socket: Socket) => void): Promise<{server: Server; port: number}> {
	const stub = createServer(socket => {
		socket.on('error', () => undefined);
		handler(socket);
	});
	await new Promise<void>(resolve => stub.listen(0, '127.0.0.1', resolve));
	cleanups.push(() => stub.close());
	return {server: stub, port: (stub.address() as {port: number}).port};
}

describe('--secret data connections', () => {
	it('never reuse a keystream: the same nonce at another offset, or the same hello again, is sealed under a new salt', async () => {
		const {alice, bob} = await pair({secret: 'correct horse'});
		const {path, bytes} = fileOf(4 * 1024 * 1024);
		alice.files({type: 'send', path});
		await waitForLine(bob, system('alice offers report.bin'), 10_000);
		const [{id, token}] = [...server(alice).served.values()] as [Served];
		const dataPort = await server(alice).port();
		const nonce = 'ab'.repeat(16);
		const hello = (offset: number) => formatHello({id, offset, token: helloProof(token, {id, offset, nonce}), nonce});
		const a = await grab(dataPort, hello(0), 16 + 4 + 1000);
		const b = await grab(dataPort, hello(1), 16 + 4 + 1000);
		const c = await grab(dataPort, hello(0), 16 + 4 + 1000);
		expect(a.length).toBeGreaterThanOrEqual(1020);
		expect(a.subarray(0, 16)).not.toEqual(b.subarray(0, 16));
		const xor = (x: Buffer, y: Buffer, at: number) => Buffer.from(Array.from({length: 1000}, (_, i) => x[at + i]! ^ y[at + i]!));
		// Same keystream: the XOR of the ciphertexts would be the XOR of the plaintexts.
		expect(xor(a, b, 20)).not.toEqual(xor(bytes, bytes.subarray(1), 0));
		expect(a.subarray(20, 1020)).not.toEqual(c.subarray(20, 1020));
	});

	it('takes no token in the clear: a hello with the bare token gets nothing, one with the proof gets data', async () => {
		const {alice, bob} = await pair({secret: 'correct horse'});
		const {path} = fileOf(100_000);
		alice.files({type: 'send', path});
		await waitForLine(bob, system('alice offers report.bin'));
		const [{id, token}] = [...server(alice).served.values()] as [Served];
		const dataPort = await server(alice).port();
		const nonce = 'cd'.repeat(16);
		expect((await grab(dataPort, formatHello({id, offset: 0, token, nonce}), 1)).length).toBe(0);
		expect((await grab(dataPort, formatHello({id, offset: 0, token: helloProof(token, {id, offset: 1, nonce}), nonce}), 1)).length).toBe(0);
		expect((await grab(dataPort, formatHello({id, offset: 0, token: helloProof(token, {id, offset: 0, nonce}), nonce}), 1)).length).toBeGreaterThan(0);
	});
});

describe('the sender waits for the receiver verdict', () => {
	it('a hello from offset = size does not make it report Sent; it keeps serving until file-done', async () => {
		const {alice, bob, downloads} = await pair();
		const {path, bytes} = fileOf(200_000);
		alice.files({type: 'send', path});
		await waitForLine(bob, system('alice offers report.bin'));
		const [{id, token}] = [...server(alice).served.values()] as [Served];
		await grab(await server(alice).port(), formatHello({id, offset: 200_000, token, nonce: 'cd'.repeat(16)}), 1);
		await waitForLine(alice, system("report.bin: all sent, waiting for bob's check."));
		expect(has(alice, 'Sent report.bin')).toBe(false);
		expect(server(alice).served.size).toBe(1);
		// The same once all of it was written to a receiver that then vanished: bob can still fetch it.
		await grab(await server(alice).port(), formatHello({id, offset: 0, token, nonce: 'ef'.repeat(16)}), 200_000);
		expect(server(alice).served.size).toBe(1);
		bob.files({type: 'accept'});
		await waitForLine(bob, system('Received report.bin'));
		expect(sha(readFileSync(join(downloads, 'report.bin')))).toBe(sha(bytes));
		await waitForLine(alice, system('Sent report.bin (200 KB, sha256 '));
		await waitForLine(alice, system('(bob checked the SHA-256).'));
		expect(server(alice).served.size).toBe(0);
		expect(alice.getSnapshot().transfers?.[0]).toMatchObject({state: 'done', direction: 'send'});
	});
});

describe('the partial file', () => {
	it('is never written through a symbolic link (new or resumed): one clear failure', async () => {
		const dir = tempDir();
		const outside = join(tempDir(), 'outside.txt');
		const dangling = join(dir, 'a.part');
		symlinkSync(outside, dangling);
		const request = {host: '127.0.0.1', port: 9, id: '0123456789ab', token: 'a'.repeat(32), secret: undefined, size: 10, received: () => undefined};
		expect(await fetchFile({...request, part: dangling, offset: 0})).toEqual({kind: 'unsafe', why: `${dangling} is a symbolic link: not written through`});
		expect(existsSync(outside)).toBe(false);
		writeFileSync(outside, 'abc');
		const resumed = join(dir, 'b.part');
		symlinkSync(outside, resumed);
		expect(await fetchFile({...request, secret: 'correct horse', part: resumed, offset: 3})).toMatchObject({kind: 'unsafe'});
		expect(readFileSync(outside, 'utf8')).toBe('abc');
	});

	it('a transfer cancelled while the prefix is hashed neither connects nor re-creates the partial file', async () => {
		let connections = 0;
		const stub = await listen(() => {
			connections++;
		});
		const part = join(tempDir(), 'big.part');
		writeFileSync(part, randomBytes(32 * 1024 * 1024));
		const abort = new AbortController();
		const fetching = fetchFile({host: '127.0.0.1', port: stub.port, id: '0123456789ab', token: 'a'.repeat(32), secret: undefined, part, offset: 32 * 1024 * 1024, size: 40 * 1024 * 1024, signal: abort.signal, received: () => undefined});
		// What /cancel does (receiving.ts): abort, then remove the partial file.
		abort.abort();
		rmSync(part, {force: true});
		expect(await fetching).toMatchObject({kind: 'interrupted', why: 'cancelled'});
		expect(existsSync(part)).toBe(false);
		expect(connections).toBe(0);
	});

	it('is complete once the offered bytes came, without waiting for the sender to close', async () => {
		const good = randomBytes(300_000);
		const stub = await listen(socket => {
			socket.once('data', () => socket.write(good));
		});
		const part = join(tempDir(), 'c.part');
		const started = Date.now();
		const result = await fetchFile({host: '127.0.0.1', port: stub.port, id: '0123456789ab', token: 'a'.repeat(32), secret: undefined, part, offset: 0, size: good.length, received: () => undefined});
		expect(result).toEqual({kind: 'complete', overrun: false, digest: sha(good)});
		expect(Date.now() - started).toBeLessThan(10_000);
		expect(readFileSync(part)).toEqual(good);
	});
});
