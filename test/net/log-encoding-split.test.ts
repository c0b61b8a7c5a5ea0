import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import type {ChatLine} from '../../source/domain/snapshot.js';
import type {Encoding} from '../../source/net/wire/text-codec.js';
import {graphemes} from '../../source/text/text-width.js';
import {closeRawPeers, eventually, rawTcpClient, rawUdp, type RawUdp} from '../helpers/raw-peers.js';
import {closeAll, isIn, port, received, startService, waitForLine} from '../helpers/service.js';

afterEach(async () => {
	await closeAll();
	closeRawPeers();
});

function logLines(file: string): string[] {
	return readFileSync(file, 'utf8').split('\n').slice(0, -1);
}

describe('--log', () => {
	let directory: string;
	let file: string;

	beforeEach(() => {
		directory = mkdtempSync(path.join(tmpdir(), 'tnc-log-'));
		file = path.join(directory, 'chat.log');
	});

	afterEach(() => {
		rmSync(directory, {recursive: true, force: true});
	});

	it('writes a received line with time, transport, sender and text on one line', async () => {
		const raw = await rawUdp();
		const service = await startService({logPath: file});
		await raw.send('你好 from netcat\n', port(service));
		await waitForLine(service, isIn('你好 from netcat'));
		const sender = `127.0.0.1:${raw.port}`;
		expect(logLines(file)).toContainEqual(expect.stringMatching(new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z udp from ${sender} <${sender}> 你好 from netcat$`)));
	});

	it('writes a sent line with time, transport, sender and text on one line', async () => {
		const raw = await rawUdp();
		const service = await startService({logPath: file, nick: 'logger', peer: {host: '127.0.0.1', port: raw.port}});
		service.send('out we go');
		await eventually(() => {
			expect(raw.texts()[0]).toBe('out we go\n');
		});
		expect(logLines(file)).toContainEqual(expect.stringMatching(new RegExp(`^\\S+Z udp to 127\\.0\\.0\\.1:${raw.port} <logger> out we go$`)));
	});

	it('writes every message, in and out, in order', async () => {
		const raw = await rawUdp();
		const service = await startService({logPath: file});
		await raw.send('one\n', port(service));
		await waitForLine(service, isIn('one'));
		service.send('two');
		await eventually(() => {
			expect(raw.texts()[0]).toBe('two\n');
		});
		await raw.send('three\n', port(service));
		await waitForLine(service, isIn('three'));
		const messages = logLines(file).filter(line => !line.includes(' -!- '));
		expect(messages.map(line => line.split(' ').at(-1))).toEqual(['one', 'two', 'three']);
	});

	it('has a received line in the log by the time the snapshot shows it', async () => {
		const raw = await rawUdp();
		const service = await startService({logPath: file});
		const seen: boolean[] = [];
		service.subscribe(() => {
			const line = received(service.getSnapshot()).find(candidate => candidate.text === 'in the snapshot');
			if (line && seen.length === 0) {
				seen.push(readFileSync(file, 'utf8').includes('in the snapshot'));
			}
		});
		await raw.send('in the snapshot\n', port(service));
		await waitForLine(service, isIn('in the snapshot'));
		expect(seen).toEqual([true]);
	});

	describe('a 20,000-character line over TCP', () => {
		// Text that differs along its length, so a cut anywhere shows.
		const long = Array.from({length: 2000}, (_, index) => String(index % 10).repeat(9) + '|').join('');

		async function sendLong(): Promise<Extract<ChatLine, {kind: 'in'}>> {
			expect(long).toHaveLength(20_000);
			const service = await startService({logPath: file});
			const client = await rawTcpClient(port(service));
			client.socket.write(`${long}\n`);
			client.socket.write('after the long one\n');
			await waitForLine(service, isIn('after the long one'));
			const [line] = received(service.getSnapshot());
			return line!;
		}

		it('is shown cut in the pane, saying the rest is in the log', async () => {
			const line = await sendLong();
			expect(line.text.length).toBeLessThan(long.length);
			expect(long.startsWith(line.text.slice(0, 8192))).toBe(true);
			expect(line.text).toContain('in the log');
		});

		it('is whole in the log, on one line', async () => {
			await sendLong();
			const logged = logLines(file).filter(text => text.includes('|'));
			expect(logged).toHaveLength(1);
			expect(logged[0]!.endsWith(` ${long}`)).toBe(true);
		});
	});
});

describe.each<Encoding>(['gbk', 'gb18030'])('encoding %s', encoding => {
	const hello = '你好，世界';

	it('shows text a raw UDP socket sent in that encoding', async () => {
		const raw = await rawUdp();
		const service = await startService({encoding});
		await raw.send(iconv.encode(`${hello}\n`, encoding), port(service));
		await waitForLine(service, isIn(hello));
	});

	it('sends its replies in that encoding', async () => {
		const raw = await rawUdp();
		const service = await startService({encoding, peer: {host: '127.0.0.1', port: raw.port}});
		service.send('收到，谢谢');
		await eventually(() => {
			expect(raw.datagrams[0]).toEqual(iconv.encode('收到，谢谢\n', encoding));
		});
	});

	it('shows an invalid byte pair as U+FFFD', async () => {
		const raw = await rawUdp();
		const service = await startService({encoding});
		await raw.send(Buffer.from([0x61, 0xFE, 0xFF, 0x62, 0x0A]), port(service));
		await raw.send('barrier\n', port(service));
		await waitForLine(service, isIn('barrier'));
		expect(received(service.getSnapshot())[0]?.text).toBe('a\uFFFDb');
	});

	it('shows a stray 0xFF byte as U+FFFD rather than dropping it', async () => {
		const raw = await rawUdp();
		const service = await startService({encoding});
		await raw.send(Buffer.from([0x61, 0xFF, 0x62, 0x0A]), port(service));
		await raw.send('barrier\n', port(service));
		await waitForLine(service, isIn('barrier'));
		expect(received(service.getSnapshot())[0]?.text).toBe('a\uFFFDb');
	});

	it('goes on working after invalid bytes', async () => {
		const raw = await rawUdp();
		const service = await startService({encoding});
		await raw.send(Buffer.from([0x81, 0x7F, 0xFF, 0xFE, 0x0A]), port(service));
		await raw.send(iconv.encode(`${hello}\n`, encoding), port(service));
		await waitForLine(service, isIn(hello));
		expect(received(service.getSnapshot())).toHaveLength(2);
	});

	it('reads and writes that encoding over TCP too', async () => {
		const service = await startService({encoding, protocol: 'tcp'});
		const client = await rawTcpClient(port(service));
		client.socket.write(iconv.encode(`${hello}\n`, encoding));
		await waitForLine(service, isIn(hello));
		service.send('收到');
		const expected = iconv.encode('收到\n', encoding);
		await eventually(() => {
			expect(client.bytes().subarray(0, expected.length)).toEqual(expected);
		});
	});

	it('reports the encoding in the snapshot', async () => {
		const service = await startService({encoding});
		expect(service.getSnapshot().encoding).toBe(encoding);
	});
});

describe('encoding gb18030 beyond GBK', () => {
	it('carries an emoji both ways', async () => {
		const raw = await rawUdp();
		const service = await startService({encoding: 'gb18030'});
		await raw.send(iconv.encode('笑 😀\n', 'gb18030'), port(service));
		await waitForLine(service, isIn('笑 😀'));
		service.send('👍');
		await eventually(() => {
			expect(raw.datagrams[0]).toEqual(iconv.encode('👍\n', 'gb18030'));
		});
	});
});

describe('datagram splitting', () => {
	const chinese = '你好世界和平'.repeat(67).slice(0, 400);
	const fatal = new TextDecoder('utf-8', {fatal: true});

	/** The datagrams carrying messages: all but greetings. */
	function messageDatagrams(raw: RawUdp): Buffer[] {
		return raw.datagrams.filter(data => !data.toString('utf8').startsWith('*** '));
	}

	function joined(datagrams: readonly Buffer[]): string {
		return datagrams.map(data => fatal.decode(data).replace(/\n$/, '')).join('');
	}

	async function sendTo(raw: RawUdp, text: string, maxDatagram?: number): Promise<void> {
		const service = await startService({peer: {host: '127.0.0.1', port: raw.port}, ...(maxDatagram === undefined ? {} : {maxDatagram})});
		service.send(text);
		service.send('done');
		await eventually(() => {
			expect(raw.texts()).toContain('done\n');
		});
	}

	it('sends 400 Chinese characters (1200 bytes) as 2 datagrams of at most 1024 bytes', async () => {
		expect(Buffer.byteLength(chinese)).toBe(1200);
		const raw = await rawUdp();
		await sendTo(raw, chinese);
		const datagrams = messageDatagrams(raw).slice(0, -1);
		expect(datagrams).toHaveLength(2);
		for (const data of datagrams) {
			expect(data.length).toBeLessThanOrEqual(1024);
		}
	});

	it('makes each datagram valid UTF-8 on its own, ending in a newline', async () => {
		const raw = await rawUdp();
		await sendTo(raw, chinese);
		for (const data of messageDatagrams(raw)) {
			expect(() => fatal.decode(data)).not.toThrow();
			expect(data.at(-1)).toBe(0x0A);
		}
	});

	it('loses nothing: the datagrams joined are the message', async () => {
		const raw = await rawUdp();
		await sendTo(raw, chinese);
		expect(joined(messageDatagrams(raw).slice(0, -1))).toBe(chinese);
	});

	it('keeps every datagram within --max-datagram 200', async () => {
		const raw = await rawUdp();
		await sendTo(raw, chinese, 200);
		expect(raw.datagrams.length).toBeGreaterThan(6);
		for (const data of raw.datagrams) {
			expect(data.length).toBeLessThanOrEqual(200);
		}

		expect(joined(messageDatagrams(raw).slice(0, -1))).toBe(chinese);
	});

	it('keeps emoji ZWJ sequences whole across datagrams', async () => {
		const family = '👨‍👩‍👧‍👦';
		const raw = await rawUdp();
		await sendTo(raw, `${family}x`.repeat(40), 200);
		const datagrams = messageDatagrams(raw).slice(0, -1);
		expect(datagrams.length).toBeGreaterThan(1);
		for (const data of datagrams) {
			const text = fatal.decode(data).replace(/\n$/, '');
			expect(graphemes(text).every(grapheme => grapheme === family || grapheme === 'x'), text).toBe(true);
		}
	});

	it('counts the tags in the size for a tui-netchat peer', async () => {
		const raw = await rawUdp();
		const service = await startService({maxDatagram: 200});
		await raw.send('*** fake is here via tui-netchat (tnc/1 port 9)\n', port(service));
		await waitForLine(service, line => line.kind === 'system' && line.text.includes('is fake'));
		service.send(chinese);
		service.send('done');
		await eventually(() => {
			expect(raw.texts().some(text => text.endsWith(' done\n'))).toBe(true);
		});
		const tagged = raw.datagrams.filter(data => data.toString().startsWith('@'));
		expect(tagged.length).toBeGreaterThan(6);
		for (const data of tagged) {
			expect(data.length).toBeLessThanOrEqual(200);
		}
	});

	it('lets a tui-netchat peer show a long message whole across its pieces', async () => {
		const bob = await startService({nick: 'bob'});
		const alice = await startService({nick: 'alice', maxDatagram: 200, peer: {host: '127.0.0.1', port: port(bob)}});
		alice.send('hi');
		await waitForLine(bob, line => line.kind === 'in' && line.text === 'hi' && line.from === 'alice');
		// Wait until alice has bob's greeting, so the long message goes out tagged.
		await eventually(() => {
			expect(alice.getSnapshot().peers).toEqual([expect.objectContaining({tnc: true})]);
		});
		alice.send(chinese);
		alice.send('done');
		await waitForLine(bob, isIn('done'));
		const texts = received(bob.getSnapshot()).map(line => line.text);
		expect(texts.slice(1, -1).join('')).toBe(chinese);
	});
});
