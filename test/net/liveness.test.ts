import {afterEach, describe, expect, it} from 'vitest';
import type {Protocol} from '../../source/domain/endpoint.js';
import type {ChatLine} from '../../source/domain/snapshot.js';
import type {ChatService, ChatServiceOptions} from '../../source/net/index.js';
import {aliveLine} from '../../source/net/wire/incoming.js';
import {Framer} from '../../source/net/wire/framer.js';
import {closeRawPeers, closedTcpPort, eventually, rawTcpClient, rawUdp, type RawUdp} from '../helpers/raw-peers.js';
import {closeAll, isIn, port, startService, waitForLine} from '../helpers/service.js';

// Liveness on real loopback sockets, with a keepalive interval of 200 ms: "not answering" after 0.6 s of
// silence. Nothing here sleeps: where something must not happen, a silent "clock" peer that talked later
// is waited for until it is said to be silent, so at least as long has passed for the peer under test.

afterEach(async () => {
	await closeAll();
	closeRawPeers();
});

const livenessMs = 200;
const keepalive = `${aliveLine}\n`;
const isSystem = (text: string) => (line: ChatLine) => line.kind === 'system' && line.text === text;
const notAnswering = (nick: string) => isSystem(`${nick} is not answering: nothing heard for 0.6 s.`);
const answering = (nick: string) => isSystem(`${nick} is answering again.`);
const systemTexts = (service: ChatService) => service.getSnapshot().lines.flatMap(line => (line.kind === 'system' ? [line.text] : []));
const local = (service: ChatService) => ({host: '127.0.0.1', port: port(service)});
const greeting = (nick: string, listenPort: number) => `*** ${nick} is here via tui-netchat (tnc/1 port ${listenPort})\n`;
const keepalives = (raw: RawUdp) => raw.texts().filter(text => text === keepalive).length;

/** Two tui-netchat instances that talked: bob dialled alice, one message each way. */
async function pair(protocol: Protocol, options: Partial<ChatServiceOptions> = {}): Promise<{alice: ChatService; bob: ChatService}> {
	const alice = await startService({nick: 'alice', protocol, livenessMs, ...options});
	const bob = await startService({nick: 'bob', protocol, livenessMs, peer: local(alice), ...options});
	bob.send('hi alice');
	await waitForLine(alice, isIn('hi alice'));
	alice.send('hi bob');
	await waitForLine(bob, isIn('hi bob'));
	return {alice, bob};
}

/**
 * A raw UDP socket that greets the service as a tui-netchat and says one message (sealed, given the
 * service's secret); one that keeps alive says "@alive" first, an older one does not. Then it is silent,
 * its socket open (no ICMP answers for it).
 */
async function silentTnc(service: ChatService, nick: string, {keepsAlive = true, secret}: {keepsAlive?: boolean; secret?: string} = {}): Promise<RawUdp> {
	const raw = await rawUdp();
	const framer = new Framer(secret);
	const lines = [greeting(nick, raw.port).trimEnd(), ...(keepsAlive ? [aliveLine] : []), `@id=AbCdEfGh-1 hello from ${nick}`];
	await raw.send(Buffer.concat(lines.map(line => framer.encode(line))), port(service));
	await waitForLine(service, isIn(`hello from ${nick}`));
	return raw;
}

describe.each<[string, {secret?: string}]>([
	['', {}],
	[' with --secret', {secret: 'correct horse'}],
])('a tui-netchat peer that stops answering over UDP%s', (_title, options) => {
	it('is said not to answer after 3 intervals, and to answer again when it is back', async () => {
		const {alice, bob} = await pair('udp', options);
		const bobPort = port(bob);
		const conversation = (await waitForLine(alice, isIn('hi alice'))).conversation;
		// Gone without a word, as after kill -9: no @quit.
		await bob.close();
		const silent = await waitForLine(alice, notAnswering('bob'));
		expect(silent.conversation).toBe(conversation);
		const again = await startService({nick: 'bob', livenessMs, port: bobPort, peer: local(alice), ...options});
		again.send('back again');
		await waitForLine(alice, isIn('back again'));
		const back = await waitForLine(alice, answering('bob'));
		expect(back.conversation).toBe(conversation);
		// The new bob remembers no talk with alice, yet answers her keepalives: she does not miss him again.
		await silentTnc(alice, 'clock', options);
		await waitForLine(alice, notAnswering('clock'));
		expect(systemTexts(alice).filter(text => text.startsWith('bob is'))).toEqual(['bob is not answering: nothing heard for 0.6 s.', 'bob is answering again.']);
	});
});

describe('keepalives', () => {
	it('go as "@alive;ack=" to a silent tui-netchat, which is said not to answer, then to answer again', async () => {
		const alice = await startService({nick: 'alice', livenessMs});
		const eve = await silentTnc(alice, 'eve');
		await waitForLine(alice, notAnswering('eve'));
		expect(keepalives(eve)).toBeGreaterThanOrEqual(2);
		// Everything it got is our greeting, token, acknowledgement and keepalives: 12 bytes each.
		expect(eve.texts().filter(text => !text.startsWith('*** ') && !text.startsWith('@token=') && !text.startsWith('@ack='))).toEqual(Array.from({length: keepalives(eve)}, () => keepalive));
		await eve.send(keepalive, port(alice));
		await waitForLine(alice, answering('eve'));
	});

	it('go over an open TCP connection that has gone dead, which is said not to answer', async () => {
		const alice = await startService({nick: 'alice', livenessMs});
		const eve = await rawTcpClient(port(alice));
		eve.socket.write(`${greeting('eve', await closedTcpPort())}${keepalive}@id=AbCdEfGh-1 hello over tcp\n`);
		await waitForLine(alice, isIn('hello over tcp'));
		await waitForLine(alice, notAnswering('eve'));
		expect(eve.lines().filter(line => line === aliveLine).length).toBeGreaterThanOrEqual(2);
		eve.socket.write(keepalive);
		await waitForLine(alice, answering('eve'));
	});

	it('from a tui-netchat that talked with us before we restarted are not shown, and are answered', async () => {
		const alice = await startService({nick: 'alice', livenessMs});
		const bob = await rawUdp();
		// It keeps sending until one comes back: at most one answer per half interval.
		await eventually(async () => {
			await bob.send(keepalive, port(alice));
			expect(keepalives(bob)).toBeGreaterThan(0);
		});
		expect(bob.texts().every(text => text === keepalive)).toBe(true);
		expect(alice.getSnapshot().lines.filter(line => line.kind === 'in')).toEqual([]);
	});

	it('never go to a plain peer', async () => {
		const plain = await rawUdp();
		const alice = await startService({nick: 'alice', livenessMs, peer: {host: '127.0.0.1', port: plain.port}});
		alice.send('hello nc');
		await eventually(() => {
			expect(plain.texts()).toContain('hello nc\n');
		});
		await plain.send('hi alice\n', port(alice));
		await waitForLine(alice, isIn('hi alice'));
		const clock = await silentTnc(alice, 'clock');
		await waitForLine(alice, notAnswering('clock'));
		expect(keepalives(clock)).toBeGreaterThanOrEqual(2);
		expect(plain.texts()).toEqual(['hello nc\n', expect.stringMatching(/^\*\*\* alice is here via tui-netchat/)]);
	});

	it('stop for a tui-netchat that never kept alive (an older one), which is never said not to answer', async () => {
		const alice = await startService({nick: 'alice', livenessMs});
		const old = await silentTnc(alice, 'old', {keepsAlive: false});
		await silentTnc(alice, 'clock');
		await waitForLine(alice, notAnswering('clock'));
		expect(systemTexts(alice).filter(text => text.startsWith('old is'))).toEqual([]);
		// One after our greeting, then at most three while it might still answer.
		expect(keepalives(old)).toBeGreaterThanOrEqual(1);
		expect(keepalives(old)).toBeLessThanOrEqual(4);
	});

	it('stop for a peer that quit, which is never said not to answer', async () => {
		const {alice, bob} = await pair('udp');
		await bob.quit('bye');
		await waitForLine(alice, isSystem('bob left (bye).'));
		await silentTnc(alice, 'clock');
		await waitForLine(alice, notAnswering('clock'));
		// No "not answering", and no keepalive went to its closed port (which would be refused).
		expect(systemTexts(alice).filter(text => text.startsWith('bob is') || text.includes('refused'))).toEqual([]);
	});
});

describe.each<Protocol>(['udp', 'tcp'])('being away over %s', protocol => {
	it('is told to a tui-netchat that greets us later', async () => {
		const alice = await startService({nick: 'alice', protocol});
		alice.away('at lunch');
		await waitForLine(alice, isSystem('You are away: at lunch (0 tui-netchat peers were told).'));
		const bob = await startService({nick: 'bob', protocol, peer: local(alice)});
		bob.send('anyone there?');
		const told = await waitForLine(bob, isSystem('alice is away: at lunch'));
		expect(told.conversation).toBe(bob.getSnapshot().lines.find(line => line.kind === 'out')?.conversation);
		alice.away();
		await waitForLine(bob, isSystem('alice is back.'));
		expect(bob.getSnapshot().lines.filter(line => line.kind === 'in')).toEqual([]);
	});
});
