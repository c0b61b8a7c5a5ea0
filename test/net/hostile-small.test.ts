import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {once} from 'node:events';
import {createConnection, type Socket} from 'node:net';
import {afterEach, describe, expect, it} from 'vitest';
import {closeRawPeers, eventually, rawUdp} from '../helpers/raw-peers.js';
import {closeAll, isIn, port, startService, waitForLine} from '../helpers/service.js';

// Smaller threats from the hardening issue, one case each.

const directories: string[] = [];
const openSockets: Socket[] = [];
afterEach(async () => {
	for (const socket of openSockets.splice(0)) {
		socket.destroy();
	}

	await closeAll();
	closeRawPeers();
	for (const directory of directories.splice(0)) {
		rmSync(directory, {recursive: true, force: true});
	}
});

describe('hostile peers, smaller cases', () => {
	// Threat: a cut sealed line was blamed on a peer without --secret, sending the user the wrong way.
	it('calls a cut sealed line damaged, not unsealed', async () => {
		const service = await startService({secret: 'one secret'});
		const raw = await rawUdp();
		await raw.send('%tnc1:AQIDBAUG\n', port(service));
		await waitForLine(service, line => line.kind === 'system' && line.text.includes('a damaged or cut sealed line'));
	});

	// Threat: empty datagrams and bare newlines fill the pane with empty messages.
	it('shows nothing for an empty datagram or a bare newline', async () => {
		const service = await startService();
		const raw = await rawUdp();
		await raw.send('', port(service));
		await raw.send('\n', port(service));
		await raw.send('\r\n', port(service));
		await raw.send('after\n', port(service));
		await waitForLine(service, isIn('after'));
		expect(service.getSnapshot().lines.filter(line => line.kind === 'in').map(line => line.text)).toEqual(['after']);
	});

	// Threat: 8,192 combining marks on one letter made every keystroke take 100-150 ms to echo.
	it('shows at most four combining marks on one character', async () => {
		const service = await startService();
		const raw = await rawUdp();
		await raw.send(`Z${'\u0301'.repeat(5000)} end\n`, port(service));
		const line = await waitForLine(service, candidate => candidate.kind === 'in' && candidate.text.endsWith(' end'));
		expect(line.text).toBe(`Z${'\u0301'.repeat(4)} end`);
	});

	// Threat: Hangul fillers measure 0 wide but are drawn 2 wide, breaking the layout of every row after them.
	it('shows Hangul fillers as placeholders', async () => {
		const service = await startService();
		const raw = await rawUdp();
		await raw.send('a\u3164b\u115Fc\n', port(service));
		await waitForLine(service, isIn('a\uFFFDb\uFFFDc'));
	});

	// Threat: a sender whose --secret differs from its peer's got no sign of it: the messages just never arrived.
	it('tells the sender when a known tui-netchat stops acknowledging, naming --secret when sealed', async () => {
		const stateDir = mkdtempSync(join(tmpdir(), 'tui-netchat-secret-'));
		directories.push(stateDir);
		const bob = await startService({nick: 'bob', secret: 'shared'});
		const bobPort = port(bob);
		const alice = await startService({nick: 'alice', secret: 'shared', retransmitBaseMs: 20, stateDir, peer: {host: '127.0.0.1', port: bobPort}});
		alice.send('first, with the same secret');
		await waitForLine(bob, isIn('first, with the same secret'));
		await alice.close();
		await bob.close();
		const changed = await startService({nick: 'bob', secret: 'another', port: bobPort});
		const again = await startService({nick: 'alice', secret: 'shared', retransmitBaseMs: 20, stateDir, peer: {host: '127.0.0.1', port: bobPort}});
		again.send('can you read this?');
		await waitForLine(changed, line => line.kind === 'system' && line.text.startsWith('Rejected data from'));
		await waitForLine(again, line => line.kind === 'system' && line.text.startsWith('No acknowledgement') && line.text.includes('--secret'));
	});

	// Threat: a peer opens connections without end until file descriptors run out for everyone.
	it('turns away connections from one host beyond 64 at once, with one line, and keeps the others', async () => {
		const service = await startService({noticeWindowMs: 500});
		const sockets = await Promise.all(
			Array.from({length: 70}, async () => {
				const socket = createConnection(port(service), '127.0.0.1');
				openSockets.push(socket);
				await once(socket, 'connect');
				return socket;
			}),
		);
		await waitForLine(service, line => line.kind === 'system' && line.text.startsWith('TCP: turned away a connection from 127.0.0.1'));
		await eventually(() => {
			expect(service.getSnapshot().tcp.connections).toBe(64);
		});
		sockets[0]!.write('still here\n');
		await waitForLine(service, isIn('still here'));
	});

	// Threat: a spoofed UDP greeting from a sender we greeted once and forgot (more than 512 UDP senders) got
	// "@alive" and a 300-character "@away" back however fast they came, past the limit on greetings we answer.
	it('answers greetings from forgotten senders with presence lines no more often than with greetings', async () => {
		const alice = await startService({nick: 'alice', floodBurst: 10_000, floodPerSecond: 10_000});
		alice.away('x'.repeat(300));
		const greet = async (raw: Awaited<ReturnType<typeof rawUdp>>) => raw.send(`*** m${raw.port} is here via tui-netchat (tnc/1 port ${raw.port})\n`, port(alice));
		const greeted = await Promise.all(Array.from({length: 60}, async () => rawUdp()));
		// Every one answered: the limit allows 50 at once, 20 a second after that.
		await Promise.all(greeted.slice(0, 40).map(greet));
		await new Promise(resolve => setTimeout(resolve, 1000));
		await Promise.all(greeted.slice(40).map(greet));
		await eventually(() => {
			expect(greeted.every(raw => raw.texts().some(text => text.startsWith('@away=')))).toBe(true);
		}, 10_000);
		// 520 other senders push the 60 out of the 512 UDP senders remembered.
		const others = await Promise.all(Array.from({length: 520}, async () => rawUdp()));
		await Promise.all(others.map(async raw => raw.send('hi\n', port(alice))));
		await eventually(() => {
			expect(alice.getSnapshot().lines.filter(line => line.kind === 'in')).toHaveLength(520);
		});
		const before = greeted.map(raw => raw.datagrams.length);
		await Promise.all(greeted.map(greet));
		await new Promise(resolve => setTimeout(resolve, 300));
		const back = greeted.flatMap((raw, index) => raw.datagrams.slice(before[index]).map(data => data.toString('utf8')));
		const count = (start: string) => back.filter(text => text.startsWith(start)).length;
		// Presence lines follow only the greetings the limit lets out.
		expect(count('@away=')).toBeLessThanOrEqual(count('*** '));
		expect(count('@alive')).toBeLessThanOrEqual(count('*** '));
		expect(count('*** ')).toBeLessThan(greeted.length);
	}, 20_000);
});
