import {randomBytes} from 'node:crypto';
import {readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {createServer, Socket, type Server} from 'node:net';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {formatHello} from '../../source/net/files/offer-codec.js';
import {PacketCapture} from '../../source/net/index.js';
import {connectTo, fileOf, inFrom, mallory, pair, sha, system, tempDir} from '../helpers/file-peers.js';
import {freePort} from '../helpers/ports.js';
import {closeAll, port, startService, waitForLine} from '../helpers/service.js';
import {waitFor} from '../helpers/wait.js';

const servers: Server[] = [];

afterEach(async () => {
	await closeAll();
	for (const server of servers.splice(0)) {
		server.close();
	}
});

describe.each([{secret: undefined}, {secret: 'correct horse'}])('files between tui-netchat peers (secret: $secret)', ({secret}) => {
	it('offers, accepts and saves a file of a few MB whose SHA-256 matches', async () => {
		const {alice, bob, downloads} = await pair(secret ? {secret} : {});
		const {path, bytes} = fileOf(3 * 1024 * 1024 + 17);
		alice.files({type: 'send', path});
		const offer = await waitForLine(bob, system('alice offers report.bin (3.1 MB, sha256 '));
		expect(offer.kind === 'system' && offer.text).toMatch(/— \/accept 1 or \/reject 1$/);
		expect(readdirSync(downloads)).toEqual([]);
		bob.files({type: 'accept'});
		await waitForLine(bob, system('Received report.bin'), 10_000);
		expect(sha(readFileSync(join(downloads, 'report.bin')))).toBe(sha(bytes));
		await waitForLine(alice, system('(bob checked the SHA-256).'));
		expect(bob.getSnapshot().transfers?.[0]).toMatchObject({state: 'done', done: bytes.length, direction: 'receive'});
	});
});


/** Connects to a data port, writes `first`, and counts the bytes that come back before the port closes. */
async function bytesAnswered(port: number, first: string): Promise<number> {
	return new Promise(resolve => {
		let bytes = 0;
		const socket = connectTo(port);
		socket.on('data', chunk => {
			bytes += chunk.length;
		});
		socket.on('close', () => resolve(bytes));
		socket.write(first);
	});
}
describe('files: interruptions and hostile senders', () => {
	it('resumes from the partial file after the data connection is cut mid-way', async () => {
		// Slowed down (8 MB at 4 MB/s), so the cut lands in the middle whatever the machine.
		process.env['TUI_NETCHAT_FILE_RATE'] = String(4 * 1024 * 1024);
		try {
			const {alice, bob, downloads} = await pair();
			const {path, bytes} = fileOf(8 * 1024 * 1024);
			alice.files({type: 'send', path});
			await waitForLine(bob, system('alice offers report.bin'));
			const sender = (alice as unknown as {transfers: {server: {active: Map<string, Socket>; served: Map<string, {started: (offset: number) => void}>}}}).transfers.server;
			// Every request the sender gets, by its offset.
			const offsets: number[] = [];
			for (const [id, served] of sender.served) {
				sender.served.set(id, {...served, started: offset => {
					offsets.push(offset);
					served.started(offset);
				}});
			}

			bob.files({type: 'accept', number: 1});
			await waitFor(() => (bob.getSnapshot().transfers?.[0]?.done ?? 0) > 1024 * 1024, {interval: 1});
			// Cut every data connection from the sender's side: "connection reset" for the receiver.
			for (const socket of sender.active.values()) {
				socket.destroy();
			}

			await waitForLine(bob, system('Received report.bin'), 15_000);
			expect(sha(readFileSync(join(downloads, 'report.bin')))).toBe(sha(bytes));
			expect(offsets[0]).toBe(0);
			expect(offsets.slice(1).some(offset => offset > 1024 * 1024 && offset < bytes.length)).toBe(true);
		} finally {
			delete process.env['TUI_NETCHAT_FILE_RATE'];
		}
	});

	it('goes on by itself after the sender restarts: it greets, the receiver greets back, the file comes from its new data port', async () => {
		// 8 MB at 2 MB/s: the restart lands well before the end whatever the machine.
		process.env['TUI_NETCHAT_FILE_RATE'] = String(2 * 1024 * 1024);
		try {
			const aliceState = tempDir();
			const chatPort = await freePort();
			const alice = await startService({nick: 'alice', stateDir: aliceState, port: chatPort});
			const downloads = tempDir();
			const bob = await startService({nick: 'bob', peer: {host: '127.0.0.1', port: chatPort}, downloads, stateDir: tempDir()});
			bob.send('hi alice');
			await waitForLine(alice, inFrom('hi alice'));
			const {path, bytes} = fileOf(8 * 1024 * 1024);
			alice.files({type: 'send', path});
			await waitForLine(bob, system('alice offers report.bin'));
			bob.files({type: 'accept', number: 1});
			await waitFor(() => (bob.getSnapshot().transfers?.[0]?.done ?? 0) > 1024 * 1024, {interval: 1});
			// The sender goes away mid-way (its record of the offer stays), and comes back on its chat port.
			await alice.close();
			const again = await startService({nick: 'alice', stateDir: aliceState, port: chatPort});
			await waitForLine(bob, system('Received report.bin'), 15_000);
			expect(sha(readFileSync(join(downloads, 'report.bin')))).toBe(sha(bytes));
			await waitForLine(again, system('Sent report.bin'));
		} finally {
			delete process.env['TUI_NETCHAT_FILE_RATE'];
		}
	});

	it('offers again over UDP while nobody answers (an offer can be lost), and stops at the answer', async () => {
		const alice = await startService({nick: 'alice'});
		const udp = await mallory();
		udp.say(`*** mallory is here via tui-netchat (tnc/1 port ${udp.port})`, port(alice));
		await waitForLine(alice, system('is mallory, on tui-netchat'));
		const {path} = fileOf(10_000);
		alice.files({type: 'send', path});
		const offers = () => udp.heard.filter(line => line.startsWith('@file-offer='));
		await waitFor(() => offers().length >= 2 || undefined, {timeout: 5000, what: 'the offer twice'});
		const id = /^@file-offer=([\da-f]{12});/.exec(offers()[0]!)?.[1];
		expect(new Set(offers().map(line => /^@file-offer=([\da-f]{12});/.exec(line)?.[1]))).toEqual(new Set([id]));
		udp.say(`@file-reject=${id}`, port(alice));
		await waitForLine(alice, system('mallory rejected report.bin'));
		expect(alice.getSnapshot().transfers?.[0]?.state).toBe('rejected');
	});

	it('never greets back and forth between two peers each receiving from the other', async () => {
		process.env['TUI_NETCHAT_FILE_RATE'] = String(1024 * 1024);
		const capture = new PacketCapture({batchMs: 5});
		try {
			const {alice, bob} = await pair();
			alice.files({type: 'send', path: fileOf(8 * 1024 * 1024, 'a.bin').path});
			bob.files({type: 'send', path: fileOf(8 * 1024 * 1024, 'b.bin').path});
			await waitForLine(bob, system('alice offers a.bin'));
			await waitForLine(alice, system('bob offers b.bin'));
			alice.files({type: 'accept'});
			bob.files({type: 'accept'});
			await waitFor(() => (alice.getSnapshot().transfers ?? []).every(transfer => transfer.state === 'running' && transfer.done > 0) || undefined);
			await waitFor(() => (bob.getSnapshot().transfers ?? []).every(transfer => transfer.state === 'running' && transfer.done > 0) || undefined);
			capture.start();
			// A new greeting from one while both receive: the other greets back once (its sender may have restarted), and that is all.
			alice.setNick('alice2');
			await waitForLine(bob, system('alice is now known as alice2'));
			await waitFor(() => bob.getSnapshot().transfers?.some(transfer => transfer.direction === 'receive' && transfer.done > 2 * 1024 * 1024) || undefined, {timeout: 10_000});
			const greetings = capture.getSnapshot().records.filter(record => record.kind === 'data' && Buffer.from(record.bytes).toString('utf8').includes('via tui-netchat'));
			expect(greetings.length).toBeLessThanOrEqual(6);
		} finally {
			capture.stop();
			delete process.env['TUI_NETCHAT_FILE_RATE'];
		}
	});

	it('serves nothing to the right id with a wrong token', async () => {
		const {alice, bob} = await pair();
		const {path} = fileOf(100_000);
		alice.files({type: 'send', path});
		await waitForLine(bob, system('alice offers report.bin'));
		const sender = (alice as unknown as {transfers: {server: {served: Map<string, {id: string}>; port: () => Promise<number>}}}).transfers.server;
		const [id] = [...sender.served.keys()];
		const dataPort = await sender.port();
		const got = await bytesAnswered(dataPort, formatHello({id: id!, offset: 0, token: 'f'.repeat(32), nonce: 'ab'.repeat(16)}));
		expect(got).toBe(0);
		expect(alice.getSnapshot().transfers?.[0]).toMatchObject({state: 'offered'});
	});

	it('keeps a file whose SHA-256 does not match apart as name.corrupt', async () => {
		const {alice, bob, downloads} = await pair();
		const {path} = fileOf(512 * 1024);
		alice.files({type: 'send', path});
		await waitForLine(bob, system('alice offers report.bin'));
		// The file changes after it was offered (same size): what arrives is not what was hashed.
		writeFileSync(path, randomBytes(512 * 1024));
		bob.files({type: 'accept'});
		await waitForLine(bob, system('the SHA-256 does not match'));
		expect(readdirSync(downloads)).toEqual(['report.bin.corrupt']);
		await waitForLine(alice, system("bob's copy of report.bin did not match"));
	});

	it('cuts off a sender that sends more than the offered size, and strips the path from its name', async () => {
		const downloads = tempDir();
		const bob = await startService({nick: 'bob', downloads});
		const size = 100_000;
		const good = randomBytes(size);
		// A hostile data port: it sends the offered bytes, then a lot more.
		const hostile = createServer(socket => {
			// In one write, so the excess comes with the last offered bytes (the receiver stops at the offered size).
			socket.once('data', () => {
				socket.write(Buffer.concat([good, randomBytes(4 * 1024 * 1024)]));
			});
			socket.on('error', () => undefined);
		});
		servers.push(hostile);
		await new Promise<void>(resolve => hostile.listen(0, '127.0.0.1', resolve));
		const udp = await mallory();
		udp.say(`*** mallory is here via tui-netchat (tnc/1 port ${udp.port})`, port(bob));
		await waitForLine(bob, system('is mallory, on tui-netchat'));
		udp.say(`@file-offer=0123456789ab;name=../../.evil.txt;size=${size};sha256=${sha(good)};port=${(hostile.address() as {port: number}).port};ticket=${'a'.repeat(32)} offers`, port(bob));
		await waitForLine(bob, system('mallory offers evil.txt (100 KB'));
		bob.files({type: 'accept'});
		await waitForLine(bob, system('mallory sent more than the 100000 bytes offered for evil.txt: cut off there.'));
		await waitForLine(bob, system('Received evil.txt'));
		expect(readFileSync(join(downloads, 'evil.txt'))).toEqual(good);
	});

	it('refuses at /accept, in one line, a file the downloads directory has no room for, and asks for no byte', async () => {
		const downloads = tempDir();
		const bob = await startService({nick: 'bob', downloads});
		let connections = 0;
		const sender = createServer(socket => {
			connections++;
			socket.destroy();
		});
		servers.push(sender);
		await new Promise<void>(resolve => sender.listen(0, '127.0.0.1', resolve));
		const udp = await mallory();
		udp.say(`*** mallory is here via tui-netchat (tnc/1 port ${udp.port})`, port(bob));
		await waitForLine(bob, system('is mallory, on tui-netchat'));
		// 4 PiB: no disk here has that.
		udp.say(`@file-offer=0123456789ab;name=huge.img;size=${2 ** 52};sha256=${'0'.repeat(64)};port=${(sender.address() as {port: number}).port};ticket=${'a'.repeat(32)} offers`, port(bob));
		await waitForLine(bob, system('mallory offers huge.img'));
		bob.files({type: 'accept'});
		const line = await waitForLine(bob, system('Not enough space for huge.img'));
		expect(line.text).toMatch(/it needs 4504 TB more, .+ is free\. Make room \(or start with --downloads DIR\), then \/accept 1\./);
		expect(readdirSync(downloads)).toEqual([]);
		expect(connections).toBe(0);
		// Still on offer: /transfers lists it as waiting.
		expect(bob.getSnapshot().transfers?.[0]?.state).toBe('offered');
	});

	it('drops a wrong first line on the data port', async () => {
		const {alice, bob} = await pair();
		const {path} = fileOf(1000);
		alice.files({type: 'send', path});
		await waitForLine(bob, system('alice offers report.bin'));
		const dataPort = Number(/port=(\d+)/.exec(JSON.stringify(alice.getSnapshot()))?.[1] ?? 0) || (await (alice as unknown as {transfers: {server: {port: () => Promise<number>}}}).transfers.server.port());
		const got = await bytesAnswered(dataPort, 'GET / HTTP/1.0\n');
		expect(got).toBe(0);
	});
});
