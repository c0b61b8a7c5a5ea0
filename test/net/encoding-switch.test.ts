import iconv from 'iconv-lite';
import {afterEach, describe, expect, it} from 'vitest';
import type {ChatLine} from '../../source/domain/snapshot.js';
import type {ChatService} from '../../source/net/index.js';
import {closeRawPeers, eventually, greetingLine, rawTcpClient, rawUdp} from '../helpers/raw-peers.js';
import {closeAll, isIn, port, received, startService, waitForLine} from '../helpers/service.js';

// GBK from a peer while we read UTF-8 (issue 12, point 9): one hint per conversation, and /encoding for one
// conversation (or the default) while running.

afterEach(async () => {
	await closeAll();
	closeRawPeers();
});

const gbk = (text: string) => iconv.encode(text, 'gbk');
const isHint = (line: ChatLine) => line.kind === 'system' && line.text.includes('is not UTF-8; it reads as GBK: /encoding gbk (or --encoding gbk)');
const hints = (service: ChatService) => service.getSnapshot().lines.filter(isHint);

describe('GBK text while reading UTF-8', () => {
	it('says once per conversation that a UDP peer writes GBK, and /encoding gbk reads and writes its text as GBK', async () => {
		const alice = await startService({nick: 'alice'});
		const peer = await rawUdp();
		await peer.send(gbk('你好，世界\n'), port(alice));
		const hint = await waitForLine(alice, isHint);
		expect(hint.text).toBe(`127.0.0.1:${peer.port}'s text is not UTF-8; it reads as GBK: /encoding gbk (or --encoding gbk).`);
		await peer.send(gbk('吃了吗\n'), port(alice));
		await eventually(() => {
			expect(received(alice.getSnapshot())).toHaveLength(2);
		});
		expect(received(alice.getSnapshot())[0]?.text).toContain('\uFFFD');
		expect(hints(alice)).toHaveLength(1);

		const conversation = hint.conversation!;
		alice.setEncoding('gbk', conversation);
		await eventually(() => {
			expect(alice.getSnapshot().conversations.find(summary => summary.id === conversation)?.encoding).toBe('gbk');
		});
		expect(alice.getSnapshot().encoding).toBe('utf8');
		await peer.send(gbk('吃了\n'), port(alice));
		await waitForLine(alice, isIn('吃了'));
		alice.send('好的，再见');
		await eventually(() => {
			expect(peer.datagrams.map(data => iconv.decode(data, 'gbk'))).toContain('好的，再见\n');
		});
		expect(hints(alice)).toHaveLength(1);
	});

	it('reads a TCP client\'s GBK lines as GBK once its conversation is switched, and answers in GBK', async () => {
		const alice = await startService({nick: 'alice', protocol: 'tcp'});
		const client = await rawTcpClient(port(alice));
		client.socket.write(gbk('你好\n'));
		const hint = await waitForLine(alice, isHint);
		alice.setEncoding('gbk', hint.conversation);
		client.socket.write(gbk('中文，没问题\n'));
		await waitForLine(alice, isIn('中文，没问题'));
		alice.send('收到', {conversation: hint.conversation});
		await eventually(() => {
			const lines = iconv.decode(client.bytes(), 'gbk').split('\n');
			expect(lines).toContain('收到');
		});
	});

	it('switches the default for every conversation without its own, shown in the snapshot', async () => {
		const alice = await startService({nick: 'alice'});
		const peer = await rawUdp();
		alice.setEncoding('gbk');
		await eventually(() => {
			expect(alice.getSnapshot().encoding).toBe('gbk');
		});
		await peer.send(gbk('默认\n'), port(alice));
		const line = await waitForLine(alice, isIn('默认'));
		expect(alice.getSnapshot().conversations.find(summary => summary.id === line.conversation)?.encoding).toBe('gbk');
		expect(hints(alice)).toHaveLength(0);
		alice.setEncoding('utf8', line.conversation);
		await peer.send('back to UTF-8 ✓\n', port(alice));
		await waitForLine(alice, isIn('back to UTF-8 ✓'));
	});

	it('gives no hint for Latin-1 or for UTF-8', async () => {
		const alice = await startService({nick: 'alice'});
		const peer = await rawUdp();
		await peer.send(Buffer.from('café crème\n', 'latin1'), port(alice));
		await peer.send('你好 in UTF-8\n', port(alice));
		await waitForLine(alice, isIn('你好 in UTF-8'));
		expect(hints(alice)).toHaveLength(0);
	});

	it('keeps sealed conversations in UTF-8', async () => {
		const alice = await startService({nick: 'alice', secret: 'correct horse battery staple'});
		alice.setEncoding('gbk');
		await waitForLine(alice, line => line.kind === 'system' && line.level === 'error' && line.text.includes('always UTF-8'));
		expect(alice.getSnapshot().encoding).toBe('utf8');
	});

	it('greets a GBK peer in GBK too', async () => {
		const alice = await startService({nick: '小明'});
		const peer = await rawUdp();
		await peer.send(gbk('你好\n'), port(alice));
		const hint = await waitForLine(alice, isHint);
		alice.setEncoding('gbk', hint.conversation);
		alice.send('在');
		await eventually(() => {
			const texts = peer.datagrams.map(data => iconv.decode(data, 'gbk').trimEnd());
			expect(texts).toContain('在');
			expect(texts.some(text => greetingLine.test(text) && text.includes('小明'))).toBe(true);
		});
	});
});
