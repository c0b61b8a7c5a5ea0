import {createSocket} from 'node:dgram';
import {once} from 'node:events';
import {createConnection} from 'node:net';
import {afterEach, describe, expect, it} from 'vitest';
import type {ChatLine} from '../../source/domain/snapshot.js';
import type {ChatService} from '../../source/net/index.js';
import {freePort} from '../helpers/ports.js';
import {closeRawPeers, eventually, rawTcpClient, rawUdp, type RawUdp} from '../helpers/raw-peers.js';
import {closeAll, isIn, port, startService, waitForLine} from '../helpers/service.js';

// An adversarial suite: each case is a peer on loopback trying to hurt the program, bounded in count and time.

const cleanups: Array<() => void> = [];
afterEach(async () => {
	await closeAll();
	closeRawPeers();
	for (const cleanup of cleanups.splice(0)) {
		cleanup();
	}
});

const greeting = (nick: string, listenPort: number) => `*** ${nick} is here via tui-netchat (tnc/1 port ${listenPort})\n`;
const ownLine = (service: ChatService, text: string) => service.getSnapshot().lines.find((line): line is Extract<ChatLine, {kind: 'out'}> => line.kind === 'out' && line.text === text);

/** A raw UDP socket that has greeted the service as a tui-netchat, and been greeted back. */
async function fakeInstance(service: ChatService, nick: string): Promise<RawUdp> {
	const raw = await rawUdp();
	await raw.send(greeting(nick, raw.port), port(service));
	await eventually(() => {
		expect(raw.texts().some(text => text.startsWith('*** '))).toBe(true);
	});
	return raw;
}

describe('hostile peers', () => {
	// Threat: a peer that greets, floods tagged lines and never reads makes us queue acknowledgements without end.
	it('drops a TCP peer that floods tagged lines and never reads, and stays within its memory bound', async () => {
		const service = await startService({floodBurst: 100, floodPerSecond: 10});
		const socket = createConnection(port(service), '127.0.0.1');
		cleanups.push(() => socket.destroy());
		await once(socket, 'connect');
		socket.pause();
		socket.write(greeting('evil', 9));
		const before = process.memoryUsage().rss;
		const chunk = (round: number) => Array.from({length: 2000}, (_, index) => `@id=AbCdEfGh-${round * 2000 + index} x`).join('\n');
		let sent = 0;
		let dropped = false;
		socket.on('close', () => {
			dropped = true;
		});
		// At most 600,000 lines (about 12 MB): far more acknowledgements than the 4 MiB bound.
		while (!dropped && sent < 300) {
			// Fresh ids each round, so each one is acknowledged.
			const ok = socket.write(`${chunk(sent)}\n`);
			sent++;
			if (!ok) {
				// eslint-disable-next-line no-await-in-loop
				await Promise.race([once(socket, 'drain'), once(socket, 'close')]);
			}
		}

		await waitForLine(service, line => line.kind === 'system' && line.text.includes('stopped reading'), 20_000);
		const grown = process.memoryUsage().rss - before;
		console.log(`never-reading peer: dropped after ${sent} writes of 2,000 tagged lines; RSS grew ${Math.round(grown / 1024 / 1024)} MB`);
		expect(grown).toBeLessThan(200 * 1024 * 1024);
	}, 60_000);

	// Threat: one datagram of thousands of tagged lines used to get thousands of datagrams back (amplification).
	it('answers a datagram of 3,000 tagged lines with one acknowledgement datagram, smaller than it', async () => {
		const service = await startService();
		const raw = await fakeInstance(service, 'evil');
		const before = raw.datagrams.length;
		const big = Array.from({length: 3000}, (_, index) => `@id=AbCdEfGh-${index} hi`).join('\n');
		expect(Buffer.byteLength(big)).toBeLessThan(65_507);
		await raw.send(big, port(service));
		await eventually(() => {
			expect(raw.datagrams.length).toBeGreaterThan(before);
		});
		await waitForLine(service, isIn('hi'));
		const answers = raw.datagrams.slice(before);
		console.log(`ack amplification: 1 datagram of ${Buffer.byteLength(big)} B -> ${answers.length} datagram(s), ${answers.reduce((sum, data) => sum + data.length, 0)} B`);
		expect(answers).toHaveLength(1);
		expect(answers[0]!.length).toBeLessThan(Buffer.byteLength(big));
		expect(answers[0]!.toString().split(',')).toHaveLength(3000);
	});

	// Threat: a third party acknowledges a message meant for someone else, so it shows ✓ though it never arrived.
	it('counts an acknowledgement only from the conversation the message went to', async () => {
		const service = await startService({retransmitBaseMs: 60_000});
		const alice = await fakeInstance(service, 'alice');
		const mallory = await fakeInstance(service, 'mallory');
		service.query(`127.0.0.1:${alice.port}`);
		service.send('for alice only');
		await eventually(() => {
			expect(alice.texts().some(text => text.includes('for alice only'))).toBe(true);
		});
		const id = /@id=([\w-]+)/.exec(alice.texts().find(text => text.includes('for alice only')) ?? '')?.[1];
		expect(id).toBeDefined();
		await mallory.send(`@ack=${id}\n`, port(service));
		await alice.send('barrier\n', port(service));
		await waitForLine(service, isIn('barrier'));
		expect(ownLine(service, 'for alice only')?.delivery).toBe('sent');
		await alice.send(`@ack=${id}\n`, port(service));
		await eventually(() => {
			expect(ownLine(service, 'for alice only')?.delivery).toBe('delivered');
		});
	});

	// Threat: a third party pre-sends the ids it expects a real peer to use, so the real messages vanish as repeats.
	it('remembers message ids per sender: another sender cannot make a real message a "repeat"', async () => {
		const service = await startService();
		const alice = await fakeInstance(service, 'alice');
		const mallory = await fakeInstance(service, 'mallory');
		await mallory.send('@id=AliceIds-1 forged\n', port(service));
		await waitForLine(service, isIn('forged'));
		await alice.send('@id=AliceIds-1 the real one\n', port(service));
		await waitForLine(service, isIn('the real one'));
	});

	// Threat: ids learnt from our traffic with one peer predict the ids another peer will get.
	it('gives each conversation its own unguessable id prefix', async () => {
		const service = await startService();
		const [alice, bob] = [await fakeInstance(service, 'alice'), await fakeInstance(service, 'bob')];
		service.message(`127.0.0.1:${alice.port}`, 'one');
		service.message(`127.0.0.1:${bob.port}`, 'two');
		const prefix = async (raw: RawUdp, text: string) =>
			eventually(() => {
				const match = /@id=([\w-]{8})-\d+/.exec(raw.texts().find(datagram => datagram.includes(text)) ?? '');
				expect(match).not.toBeNull();
				return match![1];
			});
		expect(await prefix(alice, 'one')).not.toBe(await prefix(bob, 'two'));
	});

	// Threat: a flood of bogus first pieces from other sources evicts a real peer's half-assembled long message.
	it('puts a long message together although other sources flood bogus first pieces meanwhile', async () => {
		const service = await startService({floodBurst: 100_000});
		const alice = await fakeInstance(service, 'alice');
		const mallory = await fakeInstance(service, 'mallory');
		const others = await Promise.all(Array.from({length: 20}, async () => fakeInstance(service, 'm')));
		await alice.send('@id=AlicePrt-1;part=1/2 first half, \n', port(service));
		for (let round = 0; round < 20; round++) {
			const bogus = Array.from({length: 40}, (_, index) => `@id=Mallory${round}-${index};part=1/2 x`).join('\n');
			// eslint-disable-next-line no-await-in-loop
			await Promise.all([mallory.send(bogus, port(service)), ...others.map(async raw => raw.send(bogus, port(service)))]);
		}

		await alice.send('@id=AlicePrt-1;part=2/2 second half\n', port(service));
		await waitForLine(service, isIn('first half, second half'));
	});

	// Threat: thousands of sources each causing one notice ("Rejected data from ...") bury the pane.
	it('says the first few rejected senders and sums up the rest in one line', async () => {
		const service = await startService({secret: 'a shared secret', noticeWindowMs: 500});
		const senders = await Promise.all(Array.from({length: 40}, async () => rawUdp()));
		await Promise.all(senders.map(async raw => raw.send('not sealed at all\n', port(service))));
		await waitForLine(service, line => line.kind === 'system' && /^35 more rejected senders from 1 address/.test(line.text));
		const rejected = service.getSnapshot().lines.filter(line => line.kind === 'system' && line.text.startsWith('Rejected data from'));
		expect(rejected).toHaveLength(5);
	});

	// Threat: the flood limit is per host, and the whole of 127/8 is loopback: many hosts flood as one.
	it('holds many source hosts together to one budget, besides each host\'s own', async () => {
		const service = await startService({floodBurst: 10, floodPerSecond: 5});
		const hosts = Array.from({length: 30}, (_, index) => `127.0.0.${index + 2}`);
		const sockets = await Promise.all(
			hosts.map(async host => {
				const socket = createSocket('udp4');
				cleanups.push(() => socket.close());
				socket.bind(0, host);
				await once(socket, 'listening');
				return socket;
			}),
		);
		await Promise.all(sockets.map(async (socket, index) => {
			for (let count = 0; count < 10; count++) {
				// eslint-disable-next-line no-await-in-loop
				await new Promise<void>(resolve => {
					socket.send(`from ${index} number ${count}\n`, port(service), '127.0.0.1', () => resolve());
				});
			}
		}));
		await waitForLine(service, line => line.kind === 'system' && line.text.includes('dropped: too many too fast'));
		await eventually(() => {
			expect(service.getSnapshot().counts.in).toBe(300);
		});
		// Each host stayed within its own 10, yet together they got no more than the shared 20 (and what refilled).
		expect(service.getSnapshot().lines.filter(line => line.kind === 'in').length).toBeLessThan(40);
	});

	// Threat: a connection from the peer's host claiming the peer's nick and port captured every pending message.
	it('keeps pending messages from a connection that claims a known instance without its token', async () => {
		const alice = await startService({nick: 'alice', retryBaseMs: 50});
		const bobPort = await freePort();
		const bob = await startService({nick: 'bob', port: bobPort, peer: {host: '127.0.0.1', port: port(alice)}});
		bob.send('hi alice');
		await waitForLine(alice, isIn('hi alice'));
		await eventually(() => {
			expect(bob.getSnapshot().peers[0]).toMatchObject({name: 'alice', tnc: true});
		});
		// A second round trip: bob's token, sent after its greeting, has reached alice before this.
		bob.send('second');
		await waitForLine(alice, isIn('second'));
		await bob.close();
		alice.setProtocol('tcp');
		alice.send('secret for bob');
		const mallory = await rawTcpClient(port(alice));
		mallory.socket.write(`${greeting('bob', bobPort)}@token=forged\n@id=AAAAAAAA-1 i am bob\n`);
		const forged = await waitForLine(alice, isIn('i am bob'));
		expect(forged).toMatchObject({from: 'bob?'});
		expect(alice.getSnapshot().conversations.filter(conversation => conversation.name.startsWith('bob'))).toHaveLength(2);
		expect(mallory.bytes().toString()).not.toContain('secret for bob');
		expect(ownLine(alice, 'secret for bob')?.delivery).toBe('pending');
		const back = await startService({nick: 'bob', port: bobPort});
		await waitForLine(back, isIn('secret for bob'), 10_000);
		expect(mallory.bytes().toString()).not.toContain('secret for bob');
	});

	// The same threat over TCP only, where no token was learnt: what waits goes to where bob listens, never to a claimant.
	it('sends messages that waited for a TCP-only peer to the address it listens on, not to a connection that claims it', async () => {
		const bobPort = await freePort();
		const bob = await startService({nick: 'bob', protocol: 'tcp', port: bobPort});
		// A short backoff: alice redials on her own schedule, and the real bob must be found soon after it is back.
		const alice = await startService({nick: 'alice', protocol: 'tcp', retryBaseMs: 10, peer: {host: '127.0.0.1', port: bobPort}});
		alice.send('hello bob');
		await waitForLine(bob, isIn('hello bob'));
		await bob.close();
		await waitForLine(alice, line => line.kind === 'system' && line.text.includes('closed the connection'));
		alice.send('waiting for bob');
		const mallory = await rawTcpClient(port(alice));
		mallory.socket.write(`${greeting('bob', bobPort)}@id=AAAAAAAA-1 i am bob\n`);
		await waitForLine(alice, isIn('i am bob'));
		const back = await startService({nick: 'bob', protocol: 'tcp', port: bobPort});
		await waitForLine(back, isIn('waiting for bob'), 10_000);
		expect(mallory.bytes().toString()).not.toContain('waiting for bob');
	});
});
