import {PassThrough} from 'node:stream';
import {afterEach, describe, expect, it} from 'vitest';
import {runHeadless} from '../../source/cli/headless.js';
import {parseFormat} from '../../source/cli/line-format.js';
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

	it('prints a received message to stdout with the time and the sender (a plain peer: its address)', async () => {
		const raw = await rawUdp();
		const service = await startService();
		const io = streams();
		const done = runHeadless(service, undefined, io);
		await raw.send('你好 from the pipe\n', port(service));
		await waitForLine(service, isIn('你好 from the pipe'));
		await eventually(() => {
			expect(io.out()).toBe(`${io.out().slice(0, 8)} <127.0.0.1:${raw.port}> 你好 from the pipe\n`);
		});
		expect(io.out()).toMatch(/^\d\d:\d\d:\d\d /);
		io.stdin.end();
		await expect(done).resolves.toBe(0);
	});

	it("prints only the text with --format '{text}', as pipe mode did before --format", async () => {
		const raw = await rawUdp();
		const service = await startService();
		const io = streams();
		const done = runHeadless(service, undefined, io, {format: parseFormat('{text}')});
		await raw.send('just this\n', port(service));
		await eventually(() => {
			expect(io.out()).toBe('just this\n');
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
		expect(lines.slice(0, -1)).toEqual([expect.stringMatching(/^tui-netchat: .*refused.*; not sent\.$/)]);
		expect(io.err()).not.toContain('status bar');
		expect(io.out()).toBe('');
	});

	it('says "not sent" for a TCP peer that is down also in the words of a service without a status bar', async () => {
		const closed = await closedTcpPort();
		const service = await startService({protocol: 'tcp', headless: true, peer: {host: '127.0.0.1', port: closed}});
		const io = streams();
		await expect(runHeadless(service, 'x', io)).resolves.toBe(1);
		expect(io.err()).toMatch(/^tui-netchat: TCP to 127\.0\.0\.1:\d+: .*refused.*; not sent\.\n$/);
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

describe('runHeadless and errors from the start', () => {
	it('reports an error line written before it began (a --log that failed during start-up), and exits 1', async () => {
		const raw = await rawUdp();
		const service = await startService({peer: {host: '127.0.0.1', port: raw.port}});
		service.notice('--log chat.log: writing failed, so the log stops here: no space left', 'error');
		await waitForLine(service, line => line.kind === 'system' && line.text.startsWith('--log chat.log'));
		const io = streams();
		io.stdin.end('a line\n');
		const code = await runHeadless(service, undefined, io);
		expect(code).toBe(1);
		expect(io.err()).toBe('tui-netchat: --log chat.log: writing failed, so the log stops here: no space left\n');
	});
});

describe('runHeadless --format json', () => {
	it("prints a tui-netchat peer's action as one JSON object: nick, action, transport, conversation", async () => {
		const service = await startService();
		const bob = await startService({nick: 'bob', peer: {host: '127.0.0.1', port: port(service)}});
		const io = streams();
		const done = runHeadless(service, undefined, io, {format: parseFormat('json')});
		// Its first message comes before the greeting that names it: printed with the name all the same.
		bob.send('hello');
		await eventually(() => {
			expect(io.out()).toContain('hello');
		});
		// Now bob knows we are a tui-netchat too: the action goes as an action, not as the text "* bob waves".
		bob.send('waves', {action: true});
		const printed = await eventually(() => {
			const lines = io.out().split('\n').filter(Boolean);
			expect(lines).toHaveLength(2);
			return lines.map(line => JSON.parse(line) as Record<string, unknown>);
		});
		expect(printed[0]).toMatchObject({nick: 'bob', address: `127.0.0.1:${port(bob)}`, transport: 'udp', text: 'hello', action: false, conversation: 'bob'});
		expect(printed[1]).toMatchObject({nick: 'bob', text: 'waves', action: true, conversation: 'bob'});
		expect(new Date(String(printed[0]?.['time'])).toISOString()).toBe(printed[0]?.['time']);
		io.stdin.end();
		await expect(done).resolves.toBe(0);
	});
});

describe('runHeadless --listen', () => {
	it('keeps printing after input has ended, and resolves 0 when stopped', async () => {
		const raw = await rawUdp();
		const service = await startService({peer: {host: '127.0.0.1', port: raw.port}});
		const io = streams();
		const stop = new AbortController();
		let finished = false;
		const done = runHeadless(service, undefined, io, {listen: true, format: parseFormat('{text}'), stop: stop.signal}).finally(() => {
			finished = true;
		});
		io.stdin.end('sent first\n');
		await eventually(() => {
			expect(raw.texts()).toContain('sent first\n');
		});
		await new Promise(resolve => {
			setTimeout(resolve, 200);
		});
		expect(finished).toBe(false);
		await raw.send('after the end\n', port(service));
		await eventually(() => {
			expect(io.out()).toBe('after the end\n');
		});
		stop.abort();
		await expect(done).resolves.toBe(0);
	});

	it('does not read stdin when told not to (a terminal), and stops on the signal', async () => {
		const raw = await rawUdp();
		const service = await startService({peer: {host: '127.0.0.1', port: raw.port}});
		const io = streams();
		const stop = new AbortController();
		const done = runHeadless(service, undefined, io, {listen: true, readInput: false, stop: stop.signal});
		io.stdin.write('typed at the terminal\n');
		await new Promise(resolve => {
			setTimeout(resolve, 150);
		});
		stop.abort();
		await expect(done).resolves.toBe(0);
		expect(raw.texts().filter(text => !text.startsWith('*** '))).toEqual([]);
	});

	it('ends with /quit in the input, exit 0', async () => {
		const raw = await rawUdp();
		const service = await startService({peer: {host: '127.0.0.1', port: raw.port}});
		const io = streams();
		const done = runHeadless(service, undefined, io, {listen: true});
		io.stdin.write('bye\n/quit\n');
		await expect(done).resolves.toBe(0);
		expect(raw.texts().filter(text => !text.startsWith('*** '))).toEqual(['bye\n']);
	});

	it('says a TCP peer that is down is retried, without a status bar', async () => {
		const closed = await closedTcpPort();
		const service = await startService({protocol: 'tcp', peer: {host: '127.0.0.1', port: closed}});
		const io = streams();
		const stop = new AbortController();
		const done = runHeadless(service, undefined, io, {listen: true, stop: stop.signal});
		io.stdin.end('waits\n');
		await eventually(() => {
			expect(io.err()).toMatch(/^tui-netchat: TCP to 127\.0\.0\.1:\d+: .*refused.*; retrying; messages wait until it connects\.\n$/);
		});
		stop.abort();
		await expect(done).resolves.toBe(0);
	});
});

describe('runHeadless: slash commands in the input', () => {
	it('runs /nick and /me, sends //text as /text, refuses an unknown command in one stderr line, exits 1', async () => {
		const raw = await rawUdp();
		const service = await startService({peer: {host: '127.0.0.1', port: raw.port}});
		const io = streams();
		const done = runHeadless(service, undefined, io);
		io.stdin.end('/nick ci\n/me waves\n//etc/hosts\n/frobnicate\nplain\n');
		await expect(done).resolves.toBe(1);
		expect(service.getSnapshot().nick).toBe('ci');
		await eventually(() => {
			expect(raw.texts().filter(text => !text.startsWith('*** '))).toEqual(['* ci waves\n', '/etc/hosts\n', 'plain\n']);
		});
		expect(io.err()).toMatch(/^tui-netchat: line 4: unknown command \/frobnicate, not sent \(pipe mode runs [^\n]+\)\n$/);
	});

	it('stops reading at /quit and sends nothing after it', async () => {
		const raw = await rawUdp();
		const service = await startService({peer: {host: '127.0.0.1', port: raw.port}});
		const io = streams();
		const done = runHeadless(service, undefined, io);
		io.stdin.write('a\n/quit\nb\n');
		await expect(done).resolves.toBe(0);
		await eventually(() => {
			expect(raw.texts().filter(text => !text.startsWith('*** '))).toEqual(['a\n']);
		});
	});

	it('sends --send text as it is, a leading / too', async () => {
		const raw = await rawUdp();
		const service = await startService({peer: {host: '127.0.0.1', port: raw.port}});
		await expect(runHeadless(service, '/not a command', streams())).resolves.toBe(0);
		await eventually(() => {
			expect(raw.texts().filter(text => !text.startsWith('*** '))).toEqual(['/not a command\n']);
		});
	});

	it('stops reading input that never ends when stopped (Ctrl+C)', async () => {
		const raw = await rawUdp();
		const service = await startService({peer: {host: '127.0.0.1', port: raw.port}});
		const io = streams();
		const stop = new AbortController();
		const done = runHeadless(service, undefined, io, {stop: stop.signal});
		io.stdin.write('one\n');
		await eventually(() => {
			expect(raw.texts()).toContain('one\n');
		});
		stop.abort();
		await expect(done).resolves.toBeTypeOf('number');
	});
});
