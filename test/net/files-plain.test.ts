import {randomBytes} from 'node:crypto';
import {readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {Socket} from 'node:net';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {connectTo, fileOf, inFrom, mallory, pair, sha, system, tempDir} from '../helpers/file-peers.js';
import {closeAll, port, startService, waitForLine} from '../helpers/service.js';
import {waitFor} from '../helpers/wait.js';

// Files with plain peers (netcat): a one-shot port that serves a file, or takes one, and its nc command.

afterEach(closeAll);

describe('files and plain peers', () => {
	it('/send to a plain peer prints the nc command and serves the file once', async () => {
		const alice = await startService({nick: 'alice'});
		const udp = await mallory();
		udp.say('hello from nc', port(alice));
		await waitForLine(alice, inFrom('hello from nc'));
		const {path, bytes} = fileOf(2 * 1024 * 1024);
		alice.files({type: 'send', path});
		const line = await waitForLine(alice, system('nc -d 127.0.0.1 '));
		const dataPort = Number(/nc -d 127\.0\.0\.1 (\d+) > 'report\.bin'/.exec(line.kind === 'system' ? line.text : '')?.[1]);
		const got = await new Promise<Buffer>(resolve => {
			const chunks: Buffer[] = [];
			const socket = connectTo(dataPort);
			socket.on('data', chunk => chunks.push(chunk));
			socket.on('end', () => resolve(Buffer.concat(chunks)));
		});
		expect(sha(got)).toBe(sha(bytes));
		await waitForLine(alice, system('Sent report.bin over port'));
	});

	it('/receive saves what a plain sender writes until EOF, without overwriting', async () => {
		const downloads = tempDir();
		writeFileSync(join(downloads, 'notes.txt'), 'already here');
		const alice = await startService({nick: 'alice', downloads});
		alice.files({type: 'receive', name: 'notes.txt'});
		const line = await waitForLine(alice, system('< FILE'));
		const dataPort = Number(/nc -N 127\.0\.0\.1 (\d+) </.exec(line.kind === 'system' ? line.text : '')?.[1]);
		const bytes = randomBytes(300_000);
		const socket = connectTo(dataPort);
		socket.end(bytes);
		await waitForLine(alice, system(`sha256 ${sha(bytes)}`));
		expect(readFileSync(join(downloads, 'notes (1).txt'))).toEqual(bytes);
		expect(readFileSync(join(downloads, 'notes.txt'), 'utf8')).toBe('already here');
	});

	it('/receive is in /transfers with the bytes so far, and /cancel closes its port, keeping what came', async () => {
		const downloads = tempDir();
		const alice = await startService({nick: 'alice', downloads});
		alice.files({type: 'receive', name: 'log.txt'});
		const line = await waitForLine(alice, system('< FILE'));
		expect(line.kind === 'system' && line.text).toContain('(transfer 1, /cancel 1 closes the port)');
		const dataPort = Number(/nc -N 127\.0\.0\.1 (\d+) </.exec(line.kind === 'system' ? line.text : '')?.[1]);
		const socket = connectTo(dataPort);
		socket.write(randomBytes(100_000));
		await waitFor(() => (alice.getSnapshot().transfers?.[0]?.done ?? 0) >= 100_000 || undefined);
		expect(alice.getSnapshot().transfers?.[0]).toMatchObject({number: 1, direction: 'receive', state: 'running', size: undefined, peer: expect.stringMatching(/^127\.0\.0\.1:\d+$/)});
		alice.files({type: 'transfers'});
		await waitForLine(alice, system(': running, 100 KB so far'));
		alice.files({type: 'cancel', number: 1});
		await waitForLine(alice, system('Cancelled transfer 1 (log.txt).'));
		await waitFor(() => socket.destroyed || undefined);
		await waitForLine(alice, system('what came (100000 bytes) is kept in'));
		expect(alice.getSnapshot().transfers?.[0]?.state).toBe('cancelled');
		expect(alice.getSnapshot().lines.filter(candidate => candidate.kind === 'system' && candidate.level === 'error')).toEqual([]);
		expect(readdirSync(downloads)).toEqual(['log.txt.part']);
	});

	it('/cancel closes the port of a plain /send nobody fetched yet', async () => {
		const {path} = fileOf(10_000);
		const alice = await startService({nick: 'alice'});
		const udp = await mallory();
		udp.say('hello from a plain peer', port(alice));
		await waitForLine(alice, inFrom('hello from a plain peer'));
		alice.files({type: 'send', path});
		const line = await waitForLine(alice, system('nc -d 127.0.0.1'));
		const dataPort = Number(/nc -d 127\.0\.0\.1 (\d+) >/.exec(line.kind === 'system' ? line.text : '')?.[1]);
		expect(alice.getSnapshot().transfers?.[0]).toMatchObject({direction: 'send', state: 'offered', size: 10_000});
		alice.files({type: 'cancel', number: 1});
		await waitForLine(alice, system('Cancelled transfer 1 (report.bin).'));
		const refused = await new Promise<boolean>(resolve => {
			const socket = new Socket();
			socket.once('error', () => resolve(true));
			socket.once('connect', () => {
				socket.destroy();
				resolve(false);
			});
			socket.connect(dataPort, '127.0.0.1');
		});
		expect(refused).toBe(true);
	});

	it('/send says so in one line for a missing file and a directory', async () => {
		const {alice} = await pair();
		alice.files({type: 'send', path: '/no/such/file'});
		await waitForLine(alice, system('Cannot send /no/such/file: no such file or directory (ENOENT).'));
		const dir = tempDir();
		alice.files({type: 'send', path: dir});
		await waitForLine(alice, system(`${dir} is a directory`));
	});
});
