import {PassThrough} from 'node:stream';
import {afterEach, describe, expect, it} from 'vitest';
import {runHeadless} from '../../source/cli/headless.js';
import {closeRawPeers, closedTcpPort, eventually, rawUdp} from '../helpers/raw-peers.js';
import {closeAll, isIn, port, startService, waitForLine} from '../helpers/service.js';

afterEach(async () => {
	await closeAll();
	closeRawPeers();
});

type Io = {stdin: PassThrough; stdout: PassThrough; stderr: PassThrough; out: () => string; err: () => string};

function streams(): Io {
	const stdin = new PassThrough();
	const stdout = new PassThrough();
	const stderr = new PassThrough();
	const collect = (stream: PassThrough) => {
		const chunks: Buffer[] = [];
		stream.on('data', (chunk: Buffer) => chunks.push(chunk));
		return () => Buffer.concat(chunks).toString('utf8');
	};

	return {stdin, stdout, stderr, out: collect(stdout), err: collect(stderr)};
}

describe('runHeadless', () => {
	it('sends each input line to the peer, in order', async () => {
		const raw = await rawUdp();
		const service = await startService({peer: {host: '127.0.0.1', port: raw.port}});
		const io = streams();
		const done = runHeadless(service, undefined, io);
		io.stdin.end('first line\nsecond line\n');
		await done;
		await eventually(() => {
			expect(raw.texts().filter(text => !text.startsWith('*** '))).toEqual(['first line\n', 'second line\n']);
		});
	});

	it('resolves 0 once input has ended and everything was sent', async () => {
		const raw = await rawUdp();
		const service = await startService({peer: {host: '127.0.0.1', port: raw.port}});
		const io = streams();
		const done = runHeadless(service, undefined, io);
		io.stdin.end('first line\nsecond line\n');
		await expect(done).resolves.toBe(0);
		expect(io.err()).toBe('');
	});

	it('skips blank input lines', async () => {
		const raw = await rawUdp();
		const service = await startService({peer: {host: '127.0.0.1', port: raw.port}});
		const io = streams();
		const done = runHeadless(service, undefined, io);
		io.stdin.end('\n   \nonly this\r\n');
		await expect(done).resolves.toBe(0);
		await eventually(() => {
			expect(raw.texts().filter(text => !text.startsWith('*** '))).toEqual(['only this\n']);
		});
	});

	it('prints a received message to stdout as its text', async () => {
		const raw = await rawUdp();
		const service = await startService();
		const io = streams();
		const done = runHeadless(service, undefined, io);
		await raw.send('你好 from the pipe\n', port(service));
		await waitForLine(service, isIn('你好 from the pipe'));
		await eventually(() => {
			expect(io.out()).toBe('你好 from the pipe\n');
		});
		io.stdin.end();
		await expect(done).resolves.toBe(0);
	});

	it('resolves 1 and writes one line to stderr when --send cannot reach a TCP peer', async () => {
		const closed = await closedTcpPort();
		const service = await startService({protocol: 'tcp', peer: {host: '127.0.0.1', port: closed}});
		const io = streams();
		await expect(runHeadless(service, 'x', io)).resolves.toBe(1);
		const lines = io.err().split('\n');
		expect(lines.at(-1)).toBe('');
		expect(lines.slice(0, -1)).toEqual([expect.stringMatching(/^tui-netchat: .*refused/)]);
		expect(io.out()).toBe('');
	});

	it('resolves 0 when --send reaches a UDP peer', async () => {
		const raw = await rawUdp();
		const service = await startService({peer: {host: '127.0.0.1', port: raw.port}});
		const io = streams();
		await expect(runHeadless(service, 'once', io)).resolves.toBe(0);
		await eventually(() => {
			expect(raw.texts()[0]).toBe('once\n');
		});
	});
});

describe('runHeadless and the log', () => {
	it('reports a --log that cannot be written, even when it failed during start-up, and exits 1', async () => {
		const raw = await rawUdp();
		const service = await startService({logPath: '/dev/full', peer: {host: '127.0.0.1', port: raw.port}});
		const io = streams();
		io.stdin.end('a line\n');
		const code = await runHeadless(service, undefined, io);
		expect(code).toBe(1);
		expect(io.err()).toContain('--log /dev/full: writing failed');
	});
});
