import {createHash, randomBytes} from 'node:crypto';
import {createSocket} from 'node:dgram';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {Socket} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach} from 'vitest';
import type {ChatLine} from '../../source/domain/snapshot.js';
import type {ChatService, ChatServiceOptions} from '../../source/net/index.js';
import {port, startService, waitForLine} from './service.js';

// Two tui-netchat services on loopback for the file-transfer tests, and their temporary directories
// (removed after each test, after the test file's own afterEach has closed the services).

const dirs: string[] = [];
const sockets: Array<() => void> = [];
afterEach(() => {
	for (const close of sockets.splice(0)) {
		close();
	}

	for (const dir of dirs.splice(0)) {
		rmSync(dir, {recursive: true, force: true});
	}
});

export function tempDir(): string {
	const dir = mkdtempSync(join(tmpdir(), 'tnc-files-'));
	dirs.push(dir);
	return dir;
}

export const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
export const system = (part: string) => (line: ChatLine) => line.kind === 'system' && line.text.includes(part);
export const inFrom = (text: string) => (line: ChatLine) => line.kind === 'in' && line.text === text;

/** Two tui-netchat instances that greeted each other; bob receives into his own downloads dir. */
export async function pair(overrides: Partial<ChatServiceOptions> = {}): Promise<{alice: ChatService; bob: ChatService; downloads: string; state: string}> {
	const downloads = tempDir();
	const state = tempDir();
	const alice = await startService({nick: 'alice', stateDir: tempDir(), ...overrides});
	const bob = await startService({nick: 'bob', peer: {host: '127.0.0.1', port: port(alice)}, downloads, stateDir: state, ...overrides});
	bob.send('hi alice');
	await waitForLine(alice, inFrom('hi alice'));
	alice.send('hi bob');
	await waitForLine(bob, inFrom('hi bob'));
	return {alice, bob, downloads, state};
}

/** A file of `size` random bytes in a temporary directory. */
export function fileOf(size: number, name = 'report.bin'): {path: string; bytes: Buffer} {
	const bytes = randomBytes(size);
	const path = join(tempDir(), name);
	writeFileSync(path, bytes);
	return {path, bytes};
}

/** A UDP peer written by hand: what it says, and every line it got. */
export async function mallory(): Promise<{port: number; say: (line: string, to: number) => void; heard: string[]}> {
	const udp = createSocket('udp4');
	const heard: string[] = [];
	udp.on('message', message => heard.push(...message.toString('utf8').split('\n').filter(Boolean)));
	await new Promise<void>(resolve => udp.bind(0, '127.0.0.1', resolve));
	sockets.push(() => udp.close());
	return {port: udp.address().port, say: (line, to) => udp.send(`${line}\n`, to, '127.0.0.1'), heard};
}

/** A TCP connection to a data port on loopback (closed with the test). */
export function connectTo(dataPort: number): Socket {
	const socket = new Socket();
	socket.connect(dataPort, '127.0.0.1');
	socket.on('error', () => undefined);
	sockets.push(() => socket.destroy());
	return socket;
}
