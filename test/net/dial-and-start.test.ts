import {once} from 'node:events';
import {createServer, type Socket} from 'node:net';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {StartError} from '../../source/net/index.js';
import {closedTcpPort, closeRawPeers, eventually} from '../helpers/raw-peers.js';
import {closeAll, startService, waitForLine} from '../helpers/service.js';

// "dual.test" resolves to 127.0.0.1 and ::1 (test/helpers/dual-dns.ts); every socket is real.
vi.mock('node:dns/promises', async original => (await import('../helpers/dual-dns.js')).withDualStackName(original));

afterEach(async () => {
	await closeAll();
	closeRawPeers();
});

const root = process.getuid?.() === 0;

describe('TCP to a name with several addresses', () => {
	it('tries each in turn, as nc does: a peer listening on ::1 only is reached', async () => {
		const lines: string[] = [];
		const server = createServer((socket: Socket) => {
			socket.setEncoding('utf8');
			socket.on('data', (chunk: string) => lines.push(...chunk.split('\n').filter(Boolean)));
		});
		server.listen({port: 0, host: '::1', ipv6Only: true});
		await once(server, 'listening');
		try {
			const {port} = server.address() as {port: number};
			const alice = await startService({nick: 'alice', protocol: 'tcp', peer: {host: 'dual.test', port}});
			alice.send('found you on ::1');
			await eventually(() => {
				expect(lines).toContain('found you on ::1');
			});
			expect(alice.getSnapshot().lines.some(line => line.kind === 'system' && line.text.includes('ECONNREFUSED'))).toBe(false);
		} finally {
			server.close();
		}
	});
});

describe('a TCP peer that is down', () => {
	it('says when it retries, without a status bar, when headless', async () => {
		const port = await closedTcpPort();
		const alice = await startService({nick: 'alice', protocol: 'tcp', headless: true, peer: {host: '127.0.0.1', port}});
		alice.send('are you up?');
		const line = await waitForLine(alice, candidate => candidate.kind === 'system' && candidate.text.includes('ECONNREFUSED'));
		expect(line.kind === 'system' && line.text).toBe(`TCP to 127.0.0.1:${port}: connection refused: nothing is listening there (ECONNREFUSED); retrying in 1s.`);
	});

	it('points at the status bar\'s countdown in the terminal interface', async () => {
		const port = await closedTcpPort();
		const alice = await startService({nick: 'alice', protocol: 'tcp', peer: {host: '127.0.0.1', port}});
		alice.send('are you up?');
		const line = await waitForLine(alice, candidate => candidate.kind === 'system' && candidate.text.includes('ECONNREFUSED'));
		expect(line.kind === 'system' && line.text).toMatch(/; retrying \(the status bar counts down\)\.$/);
	});
});

describe('--log FILE that cannot be written', () => {
	it('stops the start with one line, not the log after it', async () => {
		const error = await startService({nick: 'alice', logPath: '/proc/version'}).catch((error: unknown) => error);
		expect(error).toBeInstanceOf(StartError);
		expect((error as Error).message).toMatch(root ? /^--log \/proc\/version: it does not take writes, as a \/proc or \/sys file does not \(EIO\)$/ : /^--log \/proc\/version: cannot open it: permission denied \(EACCES\)$/);
	});
});
