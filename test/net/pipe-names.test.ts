import {PassThrough} from 'node:stream';
import {afterEach, describe, expect, it} from 'vitest';
import {runHeadless} from '../../source/cli/headless.js';
import {parseFormat} from '../../source/cli/line-format.js';
import type {ChatService} from '../../source/net/index.js';
import {formatGreeting} from '../../source/net/wire/greeting.js';
import {closeRawPeers, eventually, rawTcpClient, rawUdp} from '../helpers/raw-peers.js';
import {closeAll, port, startService} from '../helpers/service.js';

afterEach(async () => {
	await closeAll();
	closeRawPeers();
});

/** `--listen --format json` on a real service: what it prints, and how to stop it. */
function listen(service: ChatService) {
	const stdout = new PassThrough();
	let out = '';
	stdout.setEncoding('utf8').on('data', (chunk: string) => {
		out += chunk;
	});
	const stop = new AbortController();
	const done = runHeadless(service, undefined, {stdin: new PassThrough(), stdout, stderr: new PassThrough()}, {listen: true, readInput: false, format: parseFormat('json'), stop: stop.signal});
	const printed = async (count: number) =>
		eventually(() => {
			const lines = out.split('\n').filter(Boolean);
			expect(lines).toHaveLength(count);
			return lines.map(line => JSON.parse(line) as Record<string, unknown>);
		});
	return {
		printed,
		async stop() {
			stop.abort();
			return done;
		},
	};
}

describe('pipe output: a sender named by its greeting, which follows its first message', () => {
	it('prints the nick of a tui-netchat whose first message came over TCP, its greeting 250 ms after it', async () => {
		const service = await startService();
		const logger = listen(service);
		const ci = await startService({nick: 'ci', protocol: 'tcp', peer: {host: '127.0.0.1', port: port(service)}});
		ci.send('build finished');
		const [line] = await logger.printed(1);
		expect(line).toMatchObject({nick: 'ci', text: 'build finished', transport: 'tcp', action: false, address: expect.stringMatching(/^127\.0\.0\.1:\d+$/)});
		await expect(logger.stop()).resolves.toBe(0);
	});

	it("prints a tui-netchat's /me sent before it knew us (\"* ci starts the build\") as its action", async () => {
		const service = await startService();
		const logger = listen(service);
		const ci = await startService({nick: 'ci', peer: {host: '127.0.0.1', port: port(service)}});
		ci.send('starts the build', {action: true});
		const [line] = await logger.printed(1);
		expect(line).toMatchObject({nick: 'ci', text: 'starts the build', action: true});
		await expect(logger.stop()).resolves.toBe(0);
	});

	it("prints a tui-netchat's /me that it sent as to a plain peer after its greeting (it had not read ours yet) as its action", async () => {
		const service = await startService();
		const logger = listen(service);
		const cw = await rawUdp();
		await cw.send(`hi\n${formatGreeting('cw', cw.port)}\n`, port(service));
		await cw.send('* cw waves\n', port(service));
		const lines = await logger.printed(2);
		expect(lines[0]).toMatchObject({nick: 'cw', text: 'hi', action: false});
		expect(lines[1]).toMatchObject({nick: 'cw', text: 'waves', action: true});
		await expect(logger.stop()).resolves.toBe(0);
	});

	it("prints a plain TCP peer's line with its address, while it is still connected", async () => {
		const service = await startService();
		const logger = listen(service);
		const nc = await rawTcpClient(port(service));
		nc.socket.write('* ci starts the build\n');
		const [line] = await logger.printed(1);
		// Nothing named it: its text is its own, "* ci" and all.
		expect(line).toMatchObject({nick: `127.0.0.1:${nc.socket.localPort}`, text: '* ci starts the build', action: false});
		await expect(logger.stop()).resolves.toBe(0);
	});
});
