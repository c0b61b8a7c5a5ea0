import {afterEach, describe, expect, it} from 'vitest';
import type {ChatService} from '../../source/net/index.js';
import type {ChatLine} from '../../source/domain/snapshot.js';
import {parseIrcUrl} from '../../source/domain/irc-server.js';
import {parseMessage} from '../../source/net/irc/message.js';
import {registers, startFakeServer, testCert, type FakeClient, type FakeServer} from '../irc/fake-server.js';
import {closeAll, startService} from '../helpers/service.js';
import {waitFor} from '../helpers/wait.js';

const servers: FakeServer[] = [];

afterEach(async () => {
	await closeAll();
	await Promise.all(servers.splice(0).map(async server => server.close()));
});

async function fake(script: (line: string, client: FakeClient) => void, tls = false): Promise<FakeServer> {
	const server = await startFakeServer(script, {tls});
	servers.push(server);
	return server;
}

/** Joins are answered as a server does: the JOIN echoed with our prefix, then the names. */
function answersJoin(nick: () => string): (line: string, client: FakeClient) => boolean {
	return (line, client) => {
		const match = /^JOIN (\S+)/.exec(line);
		if (!match?.[1]) {
			return false;
		}

		for (const channel of match[1].split(',')) {
			client.send(`:${nick()}!u@127.0.0.1 JOIN ${channel}`);
			client.send(`:fake.test 353 ${nick()} = ${channel} :@op ${nick()}`);
			client.send(`:fake.test 366 ${nick()} ${channel} :End of NAMES list`);
		}

		return true;
	};
}

function lines(service: ChatService, kind?: ChatLine['kind']): ChatLine[] {
	return service.getSnapshot().lines.filter(line => kind === undefined || line.kind === kind);
}

async function waitForText(service: ChatService, text: string | RegExp, timeout = 5000): Promise<ChatLine> {
	return waitFor(() => service.getSnapshot().lines.find(line => (typeof text === 'string' ? line.text.includes(text) : text.test(line.text))), {timeout, what: String(text), describe: () => lines(service).map(line => line.text).join('\n')});
}

function channelOf(service: ChatService, name = '#room') {
	return service.getSnapshot().conversations.find(conversation => conversation.kind === 'channel' && conversation.name === name);
}

describe('an IRC network as conversations (against a scripted server)', () => {
	it('logs in with SASL PLAIN when a password is given, then registers', async () => {
		const register = registers(() => 'alice', 'sasl=PLAIN,EXTERNAL server-time');
		const server = await fake((line, client) => {
			if (line === 'AUTHENTICATE PLAIN') {
				client.send('AUTHENTICATE +');
			} else if (line.startsWith('AUTHENTICATE ')) {
				client.send(':fake.test 900 alice alice!u@h alice :You are now logged in as alice');
				client.send(':fake.test 903 alice :SASL authentication successful');
			} else {
				register(line, client);
			}
		});
		const service = await startService({nick: 'alice', irc: [parseIrcUrl(`irc://127.0.0.1:${server.port}`)], ircPassword: 's3cret pass'});
		await waitForText(service, 'Connected to');
		const auth = server.received.find(line => line.startsWith('AUTHENTICATE ') && line !== 'AUTHENTICATE PLAIN');
		expect(Buffer.from(auth?.slice('AUTHENTICATE '.length) ?? '', 'base64').toString()).toBe('\0alice\0s3cret pass');
		expect(server.received).toContain('CAP REQ :server-time sasl');
		expect(server.received.indexOf('CAP END')).toBeGreaterThan(server.received.indexOf(auth ?? ''));
		expect(lines(service).some(line => line.text === 'SASL: logged in.')).toBe(true);
	});

	it('answers a taken nick with another and goes on registering', async () => {
		let nick = 'alice';
		const register = registers(() => nick);
		const server = await fake((line, client) => {
			if (line === 'NICK alice') {
				client.send(':fake.test 433 * alice :Nickname already in use');
				return;
			}

			if (line.startsWith('NICK ')) {
				nick = line.slice(5);
			}

			register(line, client);
		});
		const service = await startService({nick: 'alice', irc: [parseIrcUrl(`irc://127.0.0.1:${server.port}/#room`)]});
		await waitForText(service, 'Connected to');
		expect(nick).toBe('alice_');
		expect(service.getSnapshot().conversations.find(conversation => conversation.kind === 'network')?.network?.nick).toBe('alice_');
	});

	it('shows the server\'s time, replays chathistory on join, and confirms own messages by their labelled echo', async () => {
		const register = registers(() => 'alice', 'draft/chathistory batch server-time message-tags echo-message labeled-response');
		const join = answersJoin(() => 'alice');
		const server = await fake((line, client) => {
			if (line.startsWith('CHATHISTORY LATEST #room')) {
				client.send('BATCH +h1 chathistory #room');
				client.send('@batch=h1;time=2020-01-02T03:04:05.000Z;msgid=m1 :bob!b@h PRIVMSG #room :from the past');
				client.send('@batch=h1;time=2020-01-02T03:04:06.000Z;msgid=m2 :alice!u@h PRIVMSG #room :my old line');
				client.send('BATCH -h1');
			} else if (/^@label=(\S+) PRIVMSG #room :(.*)$/.test(line)) {
				const [, label, text] = /^@label=(\S+) PRIVMSG #room :(.*)$/.exec(line) ?? [];
				client.send(`@label=${label ?? ''};time=2030-05-06T07:08:09.000Z :alice!u@127.0.0.1 PRIVMSG #room :${text ?? ''}`);
			} else if (!join(line, client)) {
				register(line, client);
			}
		});
		const service = await startService({nick: 'alice', irc: [parseIrcUrl(`irc://127.0.0.1:${server.port}/#room`)]});
		const past = await waitForText(service, 'from the past');
		expect(past).toMatchObject({kind: 'in', from: 'bob', time: Date.parse('2020-01-02T03:04:05.000Z'), transport: 'irc'});
		// Replayed, so the UI rings no bell for it.
		expect(past).toMatchObject({history: true});
		expect(await waitForText(service, 'my old line')).toMatchObject({kind: 'out', delivery: 'delivered'});
		const room = await waitFor(() => channelOf(service));
		service.send('hello now', {conversation: room.id});
		const own = await waitFor(() => lines(service, 'out').find(line => line.text === 'hello now' && line.kind === 'out' && line.delivery === 'delivered'));
		expect(own).toMatchObject({expectsAck: true});
		// The echo confirmed the line: it is not shown a second time.
		expect(lines(service).filter(line => line.text === 'hello now')).toHaveLength(1);
	});

	it('cuts a long message at character boundaries so each line fits 512 bytes with the server\'s prefix', async () => {
		const register = registers(() => 'alice');
		const join = answersJoin(() => 'alice');
		const server = await fake((line, client) => {
			if (!join(line, client)) {
				register(line, client);
			}
		});
		const service = await startService({nick: 'alice', irc: [parseIrcUrl(`irc://127.0.0.1:${server.port}/#room`)]});
		const room = await waitFor(() => (channelOf(service)?.members.length === 2 ? channelOf(service) : undefined));
		// The channel from the URL is joined without a key.
		expect(server.received).toContain('JOIN #room');
		const text = `${'word '.repeat(100)}${'汉字'.repeat(200)}😀 end`;
		service.send(text, {conversation: room.id});
		const sent = await waitFor(() => {
			const privmsgs = server.received.filter(line => parseMessage(line)?.command === 'PRIVMSG');
			return privmsgs.map(line => parseMessage(line)?.params[1] ?? '').join('') === text ? privmsgs : undefined;
		}, {what: 'the whole text in PRIVMSG lines'});
		expect(sent.length).toBeGreaterThan(2);
		// Words stay whole where a space is near the cut.
		expect(parseMessage(sent[0] ?? '')?.params[1]).toMatch(/word $/);
		for (const line of sent) {
			// What the other side receives: our prefix, the line, CR LF.
			expect(Buffer.byteLength(`:alice!u@127.0.0.1 ${line}\r\n`)).toBeLessThanOrEqual(512);
		}
	});

	it('never shows mIRC formatting or terminal escapes raw, and answers CTCP VERSION a few times only', async () => {
		const register = registers(() => 'alice');
		const join = answersJoin(() => 'alice');
		const server = await fake((line, client) => {
			if (!join(line, client)) {
				register(line, client);
			}
		});
		const service = await startService({nick: 'alice', irc: [parseIrcUrl(`irc://127.0.0.1:${server.port}/#room`)]});
		await waitFor(() => channelOf(service)?.members.length === 2);
		const client = server.clients[0];
		client?.send(':bob!b@h PRIVMSG #room :\u0002bold\u0002 \u000304,01red\u000f \u001B[31mescape\u001B[0m');
		for (let index = 0; index < 10; index++) {
			client?.send(':bob!b@h PRIVMSG alice :\u0001VERSION\u0001');
		}

		client?.send(':bob!b@h PRIVMSG #room :\u0001ACTION waves\u0001');
		const shown = await waitForText(service, 'bold red');
		expect(shown.text).not.toMatch(/[\u0000-\u001F\u007F]/);
		expect(await waitForText(service, 'waves')).toMatchObject({kind: 'in', action: true, from: 'bob'});
		await waitFor(() => server.received.some(line => line.startsWith('NOTICE bob :\u0001VERSION tui-netchat')));
		const answers = server.received.filter(line => line.startsWith('NOTICE bob :\u0001VERSION'));
		expect(answers.length).toBeLessThanOrEqual(3);
	});

	it('refuses an ircs:// server whose certificate cannot be verified, in one clear line, and connects with its CA given', async () => {
		const register = registers(() => 'alice');
		const server = await fake((line, client) => {
			register(line, client);
		}, true);
		const refused = await startService({nick: 'alice', irc: [parseIrcUrl(`ircs://127.0.0.1:${server.port}`)]});
		const line = await waitForText(refused, 'TLS: the certificate');
		expect(line).toMatchObject({kind: 'system', level: 'error'});
		expect(line.text).toContain('NODE_EXTRA_CA_CERTS');
		expect(refused.getSnapshot().conversations.find(conversation => conversation.kind === 'network')?.network?.state).toBe('closed');
		const trusting = await startService({nick: 'alice', irc: [parseIrcUrl(`ircs://127.0.0.1:${server.port}`)], ircCa: testCert});
		await waitForText(trusting, 'Connected to ircs://127.0.0.1');
	});
	it('refuses a line typed in a channel we left, says so there, and /disconnect stops the network for good', async () => {
		const register = registers(() => 'alice', 'sasl=PLAIN');
		const join = answersJoin(() => 'alice');
		const server = await fake((line, client) => {
			if (line.startsWith('PART #room')) {
				client.send(':alice!u@127.0.0.1 PART #room');
			} else if (line.startsWith('PRIVMSG ghost ')) {
				client.send(':fake.test 401 alice ghost :No such nick/channel');
			} else if (line === 'AUTHENTICATE PLAIN') {
				client.send(':fake.test 904 alice :SASL authentication failed');
			} else if (!join(line, client)) {
				register(line, client);
			}
		});
		const service = await startService({nick: 'alice', irc: [parseIrcUrl(`irc://127.0.0.1:${server.port}/#room`)], ircRetryBaseMs: 50});
		const room = await waitFor(() => (channelOf(service)?.members.length === 2 ? channelOf(service) : undefined));
		service.irc({type: 'part', conversation: room.id});
		await waitForText(service, 'You left #room');
		service.send('after the part', {conversation: room.id});
		expect(await waitForText(service, 'You are not in #room')).toMatchObject({conversation: room.id, level: 'error'});
		await waitFor(() => lines(service, 'out').find(line => line.text === 'after the part' && line.kind === 'out' && line.delivery === 'failed'));
		expect(server.received.some(line => line.includes('after the part'))).toBe(false);
		// No such nick: said in the query it was typed in.
		service.irc({type: 'msg', conversation: room.id, target: 'ghost', text: 'hello?'});
		const noSuch = await waitForText(service, 'No such nick');
		expect(service.getSnapshot().conversations.find(conversation => conversation.id === noSuch.conversation)).toMatchObject({kind: 'query', name: 'ghost'});
		service.irc({type: 'disconnect', conversation: room.id, reason: 'done here'});
		await waitFor(() => server.received.includes('QUIT :done here'));
		await waitForText(service, 'Disconnected from');
		// Closed, with no redial waiting.
		await waitFor(() => {
			const network = service.getSnapshot().conversations.find(conversation => conversation.kind === 'network');
			return network?.network?.state === 'closed' && network.retryInMs === undefined;
		}, {what: 'the network closed'});
		expect(server.clients).toHaveLength(1);
		// Typed into a buffer of the closed network: refused in words, never left pending.
		const query = noSuch.conversation ?? '';
		service.send('anyone?', {conversation: query});
		expect(await waitForText(service, 'Not connected to')).toMatchObject({conversation: query, level: 'error'});
		await waitFor(() => lines(service, 'out').find(line => line.text === 'anyone?' && line.kind === 'out' && line.delivery === 'failed'));
	});

	it('says so when a password is given but the server offers no SASL', async () => {
		const register = registers(() => 'alice', 'server-time');
		const server = await fake((line, client) => {
			register(line, client);
		});
		const service = await startService({nick: 'alice', irc: [parseIrcUrl(`irc://127.0.0.1:${server.port}`)], ircPassword: 'pw'});
		expect(await waitForText(service, 'offers no SASL')).toMatchObject({level: 'error'});
		await waitForText(service, 'Connected to');
		expect(server.received.some(line => line.startsWith('AUTHENTICATE'))).toBe(false);
	});
});
