import {existsSync} from 'node:fs';
import {createServer} from 'node:net';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {parseIrcLine, RawIrcClient, sourceNick, type IrcLine} from './raw-client.js';
import {haveIrcServers, startInspircd, startInspircdPair, startNgircd, startNgircdPair, type IrcNetwork} from './servers.js';

// Proves the harness: real ngircd and inspircd on loopback, linked, killed and restarted.

const have = haveIrcServers();
const testTimeout = 30_000;
const hookTimeout = 40_000;

let clients: RawIrcClient[] = [];
async function connect(...args: Parameters<typeof RawIrcClient.connect>): Promise<RawIrcClient> {
	const client = await RawIrcClient.connect(...args);
	clients.push(client);
	return client;
}

afterEach(async () => {
	await Promise.all(clients.splice(0).map(async client => client.close()));
});

function is(command: string, check: (message: IrcLine) => boolean = () => true): (line: string) => boolean {
	return line => {
		const message = parseIrcLine(line);
		return message.command === command && check(message);
	};
}

const privmsg = (channel: string, text: string) =>
	is('PRIVMSG', message => message.params[0] === channel && message.params[1] === text);
const joinOf = (nick: string, channel: string) =>
	is('JOIN', message => sourceNick(message.source) === nick && message.params[0]?.toLowerCase() === channel.toLowerCase());

/** A on server 1 and B on server 2 in one channel, each seeing the other. */
async function meetAcross(network: IrcNetwork, channel: string, nickA: string, nickB: string): Promise<[RawIrcClient, RawIrcClient]> {
	const [one, two] = network.servers;
	const a = await connect(one!, nickA);
	const b = await connect(two!, nickB);
	await a.join(channel);
	const from = a.mark();
	await b.join(channel);
	await a.waitFor(joinOf(nickB, channel), 10_000, from);
	return [a, b];
}

/** Messages cross both ways with exactly their text. */
async function exchange(a: RawIrcClient, b: RawIrcClient, channel: string, tag: string): Promise<void> {
	const text = `hello from ${a.nick} ${tag}: ünïcode, colons : and  two spaces`;
	a.send(`PRIVMSG ${channel} :${text}`);
	const received = parseIrcLine(await b.waitFor(privmsg(channel, text)));
	expect(sourceNick(received.source)).toBe(a.nick);
	expect(received.params).toEqual([channel, text]);

	const reply = `reply from ${b.nick} ${tag}`;
	b.send(`PRIVMSG ${channel} :${reply}`);
	await a.waitFor(privmsg(channel, reply));
}

async function killAndRestartSecond(network: IrcNetwork, channel: string, a: RawIrcClient, b: RawIrcClient): Promise<void> {
	const two = network.servers[1]!;
	const port = two.port;
	const pid = two.pid;
	const quitFrom = a.mark();
	await two.kill();
	expect(two.running).toBe(false);
	await b.closed();
	// The netsplit reaches A as B's QUIT.
	await a.waitFor(is('QUIT', message => sourceNick(message.source) === b.nick), 10_000, quitFrom);

	await two.restart();
	expect(two.running).toBe(true);
	expect(two.port).toBe(port);
	expect(two.pid).not.toBe(pid);

	const from = a.mark();
	const b2 = await connect(two, b.nick);
	await b2.join(channel);
	await a.waitFor(joinOf(b.nick, channel), 10_000, from);
	await exchange(a, b2, channel, 'after restart');
}

describe.skipIf(!have.ngircd)('ngircd pair', () => {
	let network: IrcNetwork;
	beforeAll(async () => {
		network = await startNgircdPair();
	}, hookTimeout);
	afterAll(async () => network?.close(), hookTimeout);

	it('links two servers on their own loopback ports', () => {
		expect(network.servers.map(server => server.name)).toEqual(['irc1.test', 'irc2.test']);
		const [one, two] = network.servers;
		expect(one!.host).toBe('127.0.0.1');
		expect(one!.port).not.toBe(two!.port);
		expect(network.servers.every(server => server.running)).toBe(true);
	});

	it('carries a PRIVMSG from a client on server 1 to one on server 2 with exactly its text', async () => {
		const [a, b] = await meetAcross(network, '#room', 'alice', 'bob');
		await exchange(a, b, '#room', 'first');
	}, testTimeout);

	it('relinks after server 2 is killed and restarted on the same port', async () => {
		const [a, b] = await meetAcross(network, '#relink', 'carol', 'dave');
		await killAndRestartSecond(network, '#relink', a, b);
	}, testTimeout);

	it('relinks after server 1 (the one that waits for links) is restarted', async () => {
		const one = network.servers[0]!;
		await one.restart();
		const [a, b] = await meetAcross(network, '#again', 'erin', 'frank');
		await exchange(a, b, '#again', 'hub restarted');
	}, testTimeout);
});

describe.skipIf(!have.inspircd)('inspircd pair', () => {
	let network: IrcNetwork;
	beforeAll(async () => {
		network = await startInspircdPair();
	}, hookTimeout);
	afterAll(async () => network?.close(), hookTimeout);

	it('carries a PRIVMSG from a client on server 1 to one on server 2 with exactly its text', async () => {
		const [a, b] = await meetAcross(network, '#room', 'alice', 'bob');
		await exchange(a, b, '#room', 'first');
	}, testTimeout);

	it('relinks after server 2 is killed and restarted on the same port', async () => {
		const [a, b] = await meetAcross(network, '#relink', 'carol', 'dave');
		await killAndRestartSecond(network, '#relink', a, b);
	}, testTimeout);

	it('gives server-time tags and echoes our own message with server-time echo-message message-tags', async () => {
		const [one, two] = network.servers;
		const caps = ['server-time', 'echo-message', 'message-tags'];
		const tagged = await connect(one!, 'tagger', {caps});
		expect([...tagged.enabledCaps].sort()).toEqual([...caps].sort());
		for (const cap of [...caps, 'batch', 'labeled-response', 'multi-prefix', 'cap-notify']) {
			expect(tagged.offeredCaps.has(cap), cap).toBe(true);
		}

		const plain = await connect(two!, 'plain', {caps: ['server-time']});
		await tagged.join('#tags');
		const from = tagged.mark();
		await plain.join('#tags');
		await tagged.waitFor(joinOf('plain', '#tags'), 10_000, from);

		const text = 'tagged hello';
		tagged.send(`@+draft/reply=x;+example.org/t=1 PRIVMSG #tags :${text}`);
		const echo = parseIrcLine(await tagged.waitFor(privmsg('#tags', text)));
		expect(sourceNick(echo.source)).toBe('tagger');
		expect(echo.tags.get('time')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
		expect(echo.tags.has('msgid')).toBe(true);
		expect(echo.tags.get('+example.org/t')).toBe('1');

		const across = parseIrcLine(await plain.waitFor(privmsg('#tags', text)));
		expect(across.tags.get('time')).toMatch(/^\d{4}-\d\d-\d\dT/);
		// Without message-tags, client tags are not passed on.
		expect(across.tags.has('+example.org/t')).toBe(false);

		// labeled-response over batch: a labelled PING comes back as a labelled PONG.
		const labelled = await connect(one!, 'labeler', {caps: ['labeled-response', 'batch', 'message-tags']});
		expect(labelled.enabledCaps.has('labeled-response')).toBe(true);
		labelled.send('@label=abc123 PING :lbl');
		const pong = parseIrcLine(await labelled.waitFor(is('PONG')));
		expect(pong.tags.get('label')).toBe('abc123');
	}, testTimeout);
});

describe.skipIf(!have.ngircd || !have.inspircd)('single servers', () => {
	it('start one ngircd and one inspircd, and close() leaves no process or directory behind', async () => {
		const networks = await Promise.all([startNgircd(), startInspircd()]);
		const pids = networks.flatMap(network => network.servers.map(server => server.pid));
		for (const network of networks) {
			expect(network.servers).toHaveLength(1);
			const client = await connect(network.servers[0]!, 'solo', {capLs: true});
			await client.join('#solo');
			expect(client.offeredCaps.has('multi-prefix')).toBe(true);
		}

		await Promise.all(clients.splice(0).map(async client => client.close()));
		await Promise.all(networks.map(async network => network.close()));
		for (const pid of pids) {
			expect(pid).toBeTypeOf('number');
			expect(() => process.kill(pid!, 0)).toThrow();
		}

		for (const network of networks) {
			expect(existsSync(network.dir)).toBe(false);
		}
	}, testTimeout);
});

describe.skipIf(!have.ngircd || !have.inspircd)('TLS', () => {
	it('gives each server a TLS port with a certificate a client can verify', async () => {
		const networks = await Promise.all([startNgircd({tls: true}), startInspircd({tls: true})]);
		try {
			for (const network of networks) {
				const server = network.servers[0]!;
				expect(server.tlsPort).toBeTypeOf('number');
				expect(network.tlsCertificate).toContain('BEGIN CERTIFICATE');
				const client = await connect({host: server.host, port: server.tlsPort!}, 'secure', {tls: {ca: network.tlsCertificate!}});
				await client.join('#tls');
			}
		} finally {
			await Promise.all(clients.splice(0).map(async client => client.close()));
			await Promise.all(networks.map(async network => network.close()));
		}
	}, testTimeout);
});

describe.skipIf(!have.ngircd)('restart when another program took the port', () => {
	it('fails with the reason, then works once the port is free again', async () => {
		const network = await startNgircd();
		try {
			const server = network.servers[0]!;
			await server.kill();
			const squatter = createServer();
			await new Promise<void>(resolve => squatter.listen({port: server.port, host: '127.0.0.1'}, resolve));
			try {
				await expect(server.restart()).rejects.toThrow(/Address already in use/);
			} finally {
				await new Promise<void>(resolve => squatter.close(() => resolve()));
			}

			await server.restart();
			const client = await connect(server, 'back');
			await client.join('#back');
		} finally {
			await network.close();
		}
	}, testTimeout);
});
