import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {parseIrcUrl} from '../../source/domain/irc-server.js';
import type {ChatLine} from '../../source/domain/snapshot.js';
import type {ChatService} from '../../source/net/index.js';
import {closeAll, startService} from '../helpers/service.js';
import {waitFor} from '../helpers/wait.js';
import {RawIrcClient} from './raw-client.js';
import {startInspircdPair, startNgircdPair, type IrcNetwork, type IrcServer} from './servers.js';

const raws: RawIrcClient[] = [];

afterEach(async () => {
	await closeAll();
	await Promise.all(raws.splice(0).map(async raw => raw.close().catch(() => undefined)));
});

async function onServer(server: IrcServer, nick: string, channel = '#room', ircRetryBaseMs = 200): Promise<ChatService> {
	return startService({nick, irc: [parseIrcUrl(`irc://127.0.0.1:${server.port}/${channel}`)], ircRetryBaseMs});
}

async function rawOn(server: IrcServer, nick: string, caps?: string[]): Promise<RawIrcClient> {
	const raw = await RawIrcClient.connect(server, nick, caps ? {caps} : {});
	raws.push(raw);
	return raw;
}

function room(service: ChatService, name = '#room') {
	return service.getSnapshot().conversations.find(conversation => conversation.kind === 'channel' && conversation.name === name);
}

function linesOf(service: ChatService): readonly ChatLine[] {
	return service.getSnapshot().lines;
}

async function waitForLine(service: ChatService, predicate: (line: ChatLine) => boolean, what: string, timeout = 15_000): Promise<ChatLine> {
	return waitFor(() => linesOf(service).find(predicate), {timeout, what, describe: () => linesOf(service).slice(-15).map(line => `${line.kind} ${line.text}`).join('\n')});
}

/** Joined, and the nick list names everyone expected (the servers are linked and the names came). */
async function waitForMembers(service: ChatService, nicks: readonly string[], channel = '#room'): Promise<void> {
	await waitFor(() => {
		const members = room(service, channel)?.members.map(member => member.replace(/^[~&@%+]+/, '')) ?? [];
		return nicks.every(nick => members.includes(nick));
	}, {timeout: 20_000, what: `members ${nicks.join(', ')}`, describe: () => JSON.stringify(room(service, channel)?.members)});
}

describe('on two linked ngircd servers', () => {
	let network: IrcNetwork;

	beforeAll(async () => {
		network = await startNgircdPair();
	}, 60_000);

	afterAll(async () => {
		await network?.close();
	});

	it('two tui-netchat instances on different servers talk in #room, and a raw client sees exactly the typed text', async () => {
		const [one, two] = network.servers as [IrcServer, IrcServer];
		const alice = await onServer(one, 'alice');
		const bob = await onServer(two, 'bob');
		const raw = await rawOn(two, 'rawcarol');
		await raw.join('#room');
		await waitForMembers(alice, ['alice', 'bob', 'rawcarol']);
		await waitForMembers(bob, ['alice', 'bob', 'rawcarol']);
		const text = 'hello, 世界 — über: the  spaces  stay';
		alice.send(text, {conversation: room(alice)?.id});
		expect(await waitForLine(bob, line => line.kind === 'in' && line.text === text, 'alice\'s line at bob')).toMatchObject({from: 'alice', transport: 'irc', conversation: room(bob)?.id});
		const seen = await raw.waitFor(line => line.includes(' PRIVMSG #room '));
		expect(seen).toMatch(/^:alice!\S+ PRIVMSG #room :/);
		expect(seen.slice(seen.indexOf(' :') + 2)).toBe(text);
		bob.send('waves', {conversation: room(bob)?.id, action: true});
		expect(await raw.waitFor(line => line.includes('PRIVMSG #room') && line.includes('ACTION'))).toMatch(/^:bob!\S+ PRIVMSG #room :\u0001ACTION waves\u0001$/);
		raw.send('PRIVMSG #room :from a plain client');
		expect(await waitForLine(alice, line => line.kind === 'in' && line.text === 'from a plain client', 'the raw line at alice')).toMatchObject({from: 'rawcarol'});
	}, 60_000);

	it('shows joins, parts and quits as system lines in the channel\'s buffer', async () => {
		const [one, two] = network.servers as [IrcServer, IrcServer];
		const alice = await onServer(one, 'alice2', '#lobby');
		await waitForLine(alice, line => line.text === 'You joined #lobby', 'own join');
		const raw = await rawOn(two, 'passer');
		await raw.join('#lobby');
		const joined = await waitForLine(alice, line => line.kind === 'system' && line.text.startsWith('→ passer'), 'passer joined');
		expect(joined.conversation).toBe(room(alice, '#lobby')?.id);
		raw.send('PART #lobby :see you');
		await waitForLine(alice, line => line.kind === 'system' && line.text === '← passer left #lobby (see you)', 'passer left');
		await raw.join('#lobby');
		raw.send('QUIT :gone home');
		await waitForLine(alice, line => line.kind === 'system' && /^← passer quit \("?gone home"?\)$/.test(line.text), 'passer quit');
		expect(room(alice, '#lobby')?.members.some(member => member.endsWith('passer'))).toBe(false);
	}, 60_000);

	it('paces a burst of 12 long messages so all arrive whole and in order and the server keeps us', async () => {
		const [one, two] = network.servers as [IrcServer, IrcServer];
		const alice = await onServer(one, 'burster', '#burst');
		const raw = await rawOn(two, 'counter');
		await raw.join('#burst');
		await waitForMembers(alice, ['burster', 'counter'], '#burst');
		const from = raw.mark();
		// Each near the 512-byte limit: ngircd cuts what is longer, and a flood of them is what servers punish.
		const filler = 'x'.repeat(420);
		for (let index = 1; index <= 12; index++) {
			alice.send(`${filler} burst ${index}`, {conversation: room(alice, '#burst')?.id});
		}

		await raw.waitFor(line => line.endsWith(' burst 12'), 30_000, from);
		const got = raw.lines.slice(from).filter(line => line.includes('PRIVMSG #burst :')).map(line => line.slice(line.indexOf(' :') + 2));
		expect(got).toEqual(Array.from({length: 12}, (_, index) => `${filler} burst ${index + 1}`));
		expect(alice.getSnapshot().conversations.find(conversation => conversation.kind === 'network')?.network?.state).toBe('registered');
		expect(linesOf(alice).some(line => line.kind === 'system' && /Disconnected|Excess/i.test(line.text))).toBe(false);
	}, 60_000);

	it('reconnects to a killed and restarted server, rejoins, and sends what was typed meanwhile', async () => {
		const [one, two] = network.servers as [IrcServer, IrcServer];
		const alice = await onServer(one, 'steady', '#again');
		// Bob redials after about 8 s: by then the restarted server is linked again. A line sent before the
		// link is back would reach only that server's side of the channel (a netsplit loses it for the others).
		const bob = await onServer(two, 'bouncer', '#again', 8000);
		await waitForMembers(alice, ['steady', 'bouncer'], '#again');
		await two.kill();
		await waitForLine(bob, line => line.kind === 'system' && line.text.startsWith('Disconnected from'), 'the disconnect');
		bob.send('typed while away', {conversation: room(bob, '#again')?.id});
		await waitForLine(bob, line => line.kind === 'out' && line.text === 'typed while away' && line.delivery === 'pending', 'the line held while away');
		await two.restart();
		await waitFor(() => linesOf(bob).filter(line => line.text === 'You joined #again').length === 2, {timeout: 30_000, what: 'the rejoin'});
		await network.waitLinked();
		expect(await waitForLine(alice, line => line.kind === 'in' && line.text === 'typed while away', 'the held line at alice', 30_000)).toMatchObject({from: 'bouncer'});
		alice.send('welcome back', {conversation: room(alice, '#again')?.id});
		await waitForLine(bob, line => line.kind === 'in' && line.text === 'welcome back', 'a line after the rejoin');
	}, 120_000);
});

describe('on two linked inspircd servers (IRCv3)', () => {
	let network: IrcNetwork;

	beforeAll(async () => {
		network = await startInspircdPair();
	}, 60_000);

	afterAll(async () => {
		await network?.close();
	});

	it('uses echo-message, labeled-response and server-time: ✓ only once the server echoed our line', async () => {
		const [one, two] = network.servers as [IrcServer, IrcServer];
		const alice = await onServer(one, 'alice');
		const raw = await rawOn(two, 'rawdave');
		await raw.join('#room');
		await waitForMembers(alice, ['alice', 'rawdave']);
		const caps = alice.getSnapshot().conversations.find(conversation => conversation.kind === 'network')?.network?.caps ?? [];
		expect(caps).toEqual(expect.arrayContaining(['echo-message', 'server-time', 'labeled-response', 'message-tags', 'batch']));
		alice.send('confirmed by echo', {conversation: room(alice)?.id});
		const own = await waitForLine(alice, line => line.kind === 'out' && line.text === 'confirmed by echo' && line.delivery === 'delivered', 'the echoed line');
		expect(own).toMatchObject({expectsAck: true});
		expect(linesOf(alice).filter(line => line.text === 'confirmed by echo')).toHaveLength(1);
		expect(await raw.waitFor(line => line.includes('PRIVMSG #room'))).toMatch(/PRIVMSG #room :confirmed by echo$/);
		// A long message and a burst of long lines: inspircd closes a client with over 4 KiB waiting.
		const from = raw.mark();
		const long = `${'слово '.repeat(150)}end`;
		alice.send(long, {conversation: room(alice)?.id});
		for (let index = 1; index <= 8; index++) {
			alice.send(`${'y'.repeat(440)} line ${index}`, {conversation: room(alice)?.id});
		}

		await raw.waitFor(line => line.endsWith(' line 8'), 30_000, from);
		const texts = raw.lines.slice(from).filter(line => line.includes('PRIVMSG #room :')).map(line => line.slice(line.indexOf(' :') + 2));
		expect(texts.slice(0, -8).join('')).toBe(long);
		expect(texts.slice(-8)).toEqual(Array.from({length: 8}, (_, index) => `${'y'.repeat(440)} line ${index + 1}`));
		expect(alice.getSnapshot().conversations.find(conversation => conversation.kind === 'network')?.network?.state).toBe('registered');
		raw.send('@+typing=done PRIVMSG #room :stamped by the server');
		const stamped = await waitForLine(alice, line => line.kind === 'in' && line.text === 'stamped by the server', 'the stamped line');
		expect(Math.abs(stamped.time - Date.now())).toBeLessThan(60_000);
	}, 90_000);
});
