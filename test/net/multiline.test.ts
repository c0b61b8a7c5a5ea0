import {spawn} from 'node:child_process';
import {mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import type {ChatLine} from '../../source/domain/snapshot.js';
import {closedTcpPort, closeRawPeers, eventually, greetingLine, rawTcpClient, rawTcpServer, rawUdp} from '../helpers/raw-peers.js';
import {closeAll, isIn, port, received, startService, waitForLine} from '../helpers/service.js';

// Multi-line messages (issue 12, point 8): one message between tui-netchat peers, acknowledged once; the
// lines themselves to plain peers; a peer's multi-line message sanitized line by line and bounded.

afterEach(async () => {
	await closeAll();
	closeRawPeers();
});

const poem = 'first line\nsecond, 你好\n\n  indented fourth';
const isOwn = (text: string) => (line: ChatLine) => line.kind === 'out' && line.text === text;

describe('a multi-line message between two tui-netchat peers', () => {
	for (const protocol of ['udp', 'tcp'] as const) {
		it(`goes as one message over ${protocol}, shown as one line of several rows, acknowledged once`, async () => {
			const alice = await startService({nick: 'alice', protocol});
			const bob = await startService({nick: 'bob', protocol, peer: {host: '127.0.0.1', port: port(alice)}});
			bob.send('hello');
			await waitForLine(alice, isIn('hello'));
			// Only to a peer known as tui-netchat (it greeted back) do several lines go as one message.
			await eventually(() => {
				expect(bob.getSnapshot().conversations.some(conversation => conversation.tnc)).toBe(true);
			});
			bob.send(poem);
			await waitForLine(alice, isIn(poem));
			await eventually(() => {
				expect(bob.getSnapshot().lines.find(isOwn(poem))).toMatchObject({delivery: 'delivered'});
			});
			expect(received(alice.getSnapshot()).map(line => line.text)).toEqual(['hello', poem]);
		});
	}

	it('goes in pieces (part n/m) when longer than --max-datagram, and is put back together with its breaks', async () => {
		const alice = await startService({nick: 'alice', maxDatagram: 200});
		const bob = await startService({nick: 'bob', maxDatagram: 200, peer: {host: '127.0.0.1', port: port(alice)}});
		bob.send('hi');
		await waitForLine(alice, isIn('hi'));
		const long = Array.from({length: 12}, (_, index) => `line ${index} \\ ${'字'.repeat(20)} ${'x'.repeat(index * 7)}`).join('\n');
		bob.send(long);
		await waitForLine(alice, isIn(long));
		await eventually(() => {
			expect(bob.getSnapshot().lines.find(isOwn(long))).toMatchObject({delivery: 'delivered'});
		});
	});

	it('keeps CR LF and a lone CR as line breaks, and drops blank lines at the ends', async () => {
		const alice = await startService({nick: 'alice'});
		const bob = await startService({nick: 'bob', peer: {host: '127.0.0.1', port: port(alice)}});
		bob.send('hi');
		await waitForLine(alice, isIn('hi'));
		bob.send('\n\none\r\ntwo\rthree\n\n');
		await waitForLine(alice, isIn('one\ntwo\nthree'));
	});
});

describe('a multi-line message to plain peers', () => {
	it('is its lines to a plain UDP peer (nc -u sees each), /me on every line', async () => {
		const plain = await rawUdp();
		const alice = await startService({nick: 'alice', peer: {host: '127.0.0.1', port: plain.port}});
		alice.send('one\ntwo\nthree');
		alice.send('waves\nand bows', {action: true});
		await eventually(() => {
			const lines = plain.texts().join('').split('\n').filter(line => line !== '' && !greetingLine.test(line));
			expect(lines).toEqual(['one', 'two', 'three', '* alice waves', '* alice and bows']);
		});
		await eventually(() => {
			expect(alice.getSnapshot().lines.find(isOwn('one\ntwo\nthree'))).toMatchObject({delivery: 'sent', expectsAck: false});
		});
	});

	it('packs lines into datagrams of --max-datagram, cutting between lines', async () => {
		const plain = await rawUdp();
		const alice = await startService({nick: 'alice', maxDatagram: 64, peer: {host: '127.0.0.1', port: plain.port}});
		const lines = Array.from({length: 10}, (_, index) => `line number ${index} of ten`);
		alice.send(lines.join('\n'));
		await eventually(() => {
			const got = plain.texts().filter(text => !greetingLine.test(text.trimEnd()));
			expect(got.join('').split('\n').filter(line => line !== '')).toEqual(lines);
			for (const text of got) {
				expect(Buffer.byteLength(text)).toBeLessThanOrEqual(64);
				expect(text.endsWith('\n')).toBe(true);
			}
		});
	});

	it('is its lines to a plain TCP server (nc -l)', async () => {
		const server = await rawTcpServer();
		const alice = await startService({nick: 'alice', protocol: 'tcp', peer: {host: '127.0.0.1', port: server.port}});
		alice.send('one\ntwo\nthree');
		await eventually(() => {
			expect(server.accepted[0]?.lines().filter(line => !greetingLine.test(line))).toEqual(['one', 'two', 'three']);
		});
	});
});

describe('a peer\'s multi-line message', () => {
	async function tncPeer() {
		const alice = await startService({nick: 'alice'});
		const eve = await rawUdp();
		await eve.send(`*** eve is here via tui-netchat (tnc/1 port ${eve.port})\n`, port(alice));
		await waitForLine(alice, line => line.kind === 'system' && line.text.includes('is eve'));
		return {alice, eve};
	}

	it('never carries a control character but its line breaks', async () => {
		const {alice, eve} = await tncPeer();
		await eve.send('@id=abcdefgh-1;ml one\\n\u001B]0;title\u0007two\\r\u0085\\nthree\r\u2028end\\\\n\n', port(alice));
		const line = await waitForLine(alice, candidate => candidate.kind === 'in');
		// A bare CR is a break too; U+2028 shows as a placeholder; an escaped backslash stays one.
		expect(line.text.split('\n')).toEqual(['one', '␛]0;title␇two\\r\uFFFD', 'three', '␤end\\n']);
		// eslint-disable-next-line no-control-regex
		expect(line.text).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u2028\u2029]/);
	});

	it('is held to 200 lines on screen, and says how many more', async () => {
		const {alice, eve} = await tncPeer();
		const many = Array.from({length: 500}, (_, index) => `l${index}`).join('\\n');
		await eve.send(`@id=abcdefgh-2;ml ${many}\n`, port(alice));
		const line = await waitForLine(alice, candidate => candidate.kind === 'in');
		const rows = line.text.split('\n');
		expect(rows).toHaveLength(201);
		expect(rows.at(-1)).toBe('[… 300 more lines]');
	});

	it('is one line in the log', async () => {
		const logPath = join(mkdtempSync(join(tmpdir(), 'tnc-ml-')), 'chat.log');
		const alice = await startService({nick: 'alice', logPath});
		const eve = await rawUdp();
		await eve.send(`*** eve is here via tui-netchat (tnc/1 port ${eve.port})\n@id=abcdefgh-3;ml a\\nb\n`, port(alice));
		await waitForLine(alice, isIn('a\nb'));
		alice.flushLog();
		expect(readFileSync(logPath, 'utf8')).toMatch(/<eve> a ↵ b\n/);
	});
});

describe('a multi-line message in a room', () => {
	it('is plain lines in an ncat --broker room: the raw participant gets exactly the lines', async () => {
		const relayPort = await closedTcpPort();
		const relay = spawn('ncat', ['-l', '--broker', '127.0.0.1', String(relayPort)], {stdio: 'ignore'});
		try {
			const nc = await eventually(async () => rawTcpClient(relayPort));
			const room = {host: '127.0.0.1', port: relayPort};
			const alice = await startService({nick: 'alice', protocol: 'tcp', peer: room});
			const bob = await startService({nick: 'bob', protocol: 'tcp', peer: room});
			bob.send('hi');
			await waitForLine(alice, line => line.kind === 'in' && line.text === 'hi');
			await eventually(() => {
				expect(alice.getSnapshot().conversations.some(conversation => conversation.kind === 'room')).toBe(true);
			});
			alice.send('one\ntwo\nthree');
			await waitForLine(bob, line => line.kind === 'in' && line.text === 'three');
			await eventually(() => {
				expect(nc.lines().filter(line => !greetingLine.test(line))).toEqual(['hi', 'one', 'two', 'three']);
			});
		} finally {
			relay.kill();
		}
	});
});
