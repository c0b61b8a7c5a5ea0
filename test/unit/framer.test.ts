import {beforeAll, describe, expect, it} from 'vitest';
import {cutMarker, LineDecoder} from '../../source/net/transport/line-decoder.js';
import {ConversationBook} from '../../source/net/session/conversations.js';
import {Encodings} from '../../source/net/session/encodings.js';
import {PeerBook} from '../../source/net/session/peers.js';
import type {TcpConnection} from '../../source/net/transport/tcp-transport.js';
import {Framer} from '../../source/net/wire/framer.js';
import {loadCodec} from '../../source/net/wire/text-codec.js';

// The wire codec end to end, without sockets: Framer.encode on one side and, on the other, what the service
// reads with: a LineDecoder decoding through Encodings.decodeTcp for TCP, Encodings.datagramLines for UDP,
// then Framer.open.

type Codec = 'utf8' | 'gb18030' | 'sealed';

const lines = ['hello, world', '你好，世界 and 中文', '👍🏽 thumbs, 👨‍👩‍👧 family, 🎉', 'mixed ascii 中文 🎉 end'];
const secret = 'correct horse battery staple';

/** Sender and receiver per codec: sealed ones are two processes (a Sealer refuses its own lines as replayed). */
const pairs = {} as Record<Codec, {readonly sender: Framer; readonly receiver: Framer}>;
let gbFramer: Framer;

beforeAll(async () => {
	const gb18030 = await loadCodec('gb18030');
	gbFramer = new Framer(undefined);
	gbFramer.useCodec(gb18030);
	const gbReceiver = new Framer(undefined);
	gbReceiver.useCodec(gb18030);
	pairs.utf8 = {sender: new Framer(undefined), receiver: new Framer(undefined)};
	pairs.gb18030 = {sender: gbFramer, receiver: gbReceiver};
	pairs.sealed = {sender: new Framer(secret), receiver: new Framer(secret)};
});

/** What the service reads a receiver's wire with (chat-service.ts builds the same parts). */
function encodingsOf(framer: Framer): {readonly encodings: Encodings; readonly peers: PeerBook} {
	const peers = new PeerBook();
	const history = () => {
		throw new Error('no history in these tests');
	};

	return {encodings: new Encodings({framer, conversations: new ConversationBook(), peers, history}), peers};
}

/** A datagram from a UDP peer, as the service splits it into raw lines. */
function datagramLines(receiver: Framer, datagram: Buffer): string[] {
	const {encodings, peers} = encodingsOf(receiver);
	return encodings.datagramLines(datagram, peers.udp('127.0.0.1', 40000));
}

/** The bytes fed to a decoder as the TCP transport builds it, cut at the given offsets; the raw lines that come out. */
function decodeCut(receiver: Framer, bytes: Buffer, cuts: readonly number[]): string[] {
	const {encodings, peers} = encodingsOf(receiver);
	const connection: TcpConnection = {id: 1, direction: 'in', label: '127.0.0.1:40312', remoteAddress: '127.0.0.1', remotePort: 40312};
	peers.tcp(connection.id, connection.remoteAddress, connection.remotePort, connection.direction);
	const decoder = new LineDecoder(receiver.maxLineBytes, line => encodings.decodeTcp(line, connection));
	const out: string[] = [];
	let start = 0;
	for (const cut of [...cuts, bytes.length]) {
		out.push(...decoder.push(bytes.subarray(start, cut)));
		start = cut;
	}

	out.push(...decoder.end());
	return out;
}

/** Encodes every line afresh (a sealed line opens only once), cuts, decodes and opens them. */
function roundTrip(codec: Codec, cuts: (length: number) => number[]): string[] {
	const {sender, receiver} = pairs[codec];
	const bytes = Buffer.concat(lines.map(line => sender.encode(line)));
	return decodeCut(receiver, bytes, cuts(bytes.length)).map(raw => {
		const opened = receiver.open(raw);
		return opened.ok ? opened.line : `<refused: ${opened.reason}>`;
	});
}

function encodedLength(codec: Codec): number {
	return Buffer.concat(lines.map(line => pairs[codec].sender.encode(line))).length;
}

describe('Framer and LineDecoder together', () => {
	it('encodes GB18030 as GB18030 bytes, not UTF-8', () => {
		expect([...gbFramer.encode('你好')]).toEqual([0xC4, 0xE3, 0xBA, 0xC3, 0x0A]);
	});

	it('seals each line into one printable ASCII line', () => {
		const wire = pairs.sealed.sender.encode('你好 👍🏽').toString('latin1');
		expect(wire).toMatch(/^%tnc1:[\w-]+\n$/);
	});

	it.each<Codec>(['utf8', 'gb18030', 'sealed'])('gives back the %s lines whatever byte offset the stream is split at', codec => {
		const length = encodedLength(codec);
		for (let offset = 0; offset <= length; offset++) {
			expect(roundTrip(codec, () => [offset]), `split at ${offset}`).toEqual(lines);
		}
	});

	it.each<Codec>(['utf8', 'gb18030', 'sealed'])('gives back the %s lines when the stream comes in 3-byte slices', codec => {
		const slices = (length: number) => Array.from({length: Math.ceil(length / 3) - 1}, (_, index) => (index + 1) * 3);
		expect(roundTrip(codec, slices)).toEqual(lines);
	});

	it('lets a sealed line of the longest TCP message through the decoder the framer configures, uncut', () => {
		const text = 'x'.repeat(64 * 1024);
		const raw = decodeCut(pairs.sealed.receiver, pairs.sealed.sender.encode(text), []);
		expect(raw).toHaveLength(1);
		expect(raw[0]).not.toContain(cutMarker);
		expect(pairs.sealed.receiver.open(raw[0] ?? '')).toMatchObject({ok: true, line: text});
	});
});

describe('Encodings.datagramLines with the framer', () => {
	it('splits a datagram holding several lines and drops the trailing newline', () => {
		expect(datagramLines(pairs.utf8.receiver, Buffer.from('one\n你好\n👍🏽\n'))).toEqual(['one', '你好', '👍🏽']);
	});

	it('splits lines ended by \\r\\n, the trailing one included', () => {
		expect(datagramLines(pairs.utf8.receiver, Buffer.from('one\r\ntwo\r\n'))).toEqual(['one', 'two']);
	});

	it('reads a datagram without a newline as one line', () => {
		expect(datagramLines(pairs.utf8.receiver, Buffer.from('just this'))).toEqual(['just this']);
	});

	it('decodes a datagram in the chat encoding', () => {
		const datagram = Buffer.concat(['你好', '世界'].map(line => gbFramer.encode(line)));
		expect(datagramLines(pairs.gb18030.receiver, datagram)).toEqual(['你好', '世界']);
	});

	it('gives the sealed lines of a datagram, which open to the originals', () => {
		const {sender, receiver} = pairs.sealed;
		const datagram = Buffer.concat(lines.map(line => sender.encode(line)));
		expect(datagramLines(receiver, datagram).map(raw => receiver.open(raw))).toEqual(lines.map(line => expect.objectContaining({ok: true, line})));
	});
});

describe('Framer.open', () => {
	it('passes every line through unchanged without a secret', () => {
		expect(pairs.utf8.receiver.open('%tnc1:whatever')).toEqual({ok: true, line: '%tnc1:whatever', sender: ''});
	});

	it('refuses a line sealed with another secret as wrong-secret-or-tampered', () => {
		const stranger = new Framer('another secret');
		const [raw = ''] = datagramLines(stranger, stranger.encode('hi'));
		expect(pairs.sealed.receiver.open(raw)).toEqual({ok: false, reason: 'wrong-secret-or-tampered'});
	});

	it('refuses a plain line as not-sealed', () => {
		expect(pairs.sealed.receiver.open('hello')).toEqual({ok: false, reason: 'not-sealed'});
	});

	it('refuses the same sealed line the second time as replayed', () => {
		const {sender, receiver} = pairs.sealed;
		const [raw = ''] = datagramLines(receiver, sender.encode('once'));
		expect(receiver.open(raw)).toMatchObject({ok: true, line: 'once'});
		expect(receiver.open(raw)).toEqual({ok: false, reason: 'replayed'});
	});
});

describe('Framer.byteLength and datagramRoom', () => {
	it('counts UTF-8 bytes without a secret', () => {
		expect(pairs.utf8.sender.byteLength('a你👍')).toBe(1 + 3 + 4);
	});

	it('counts bytes in the chat encoding without a secret', () => {
		expect(gbFramer.byteLength('a你好')).toBe(1 + 2 + 2);
	});

	it('counts UTF-8 bytes with a secret, whatever the chat encoding', async () => {
		const sealed = new Framer(secret);
		sealed.useCodec(await loadCodec('gb18030'));
		expect(sealed.byteLength('a你好')).toBe(1 + 3 + 3);
	});

	it('leaves room for the newline only without a secret: the longest text fills the datagram exactly', () => {
		const framer = pairs.utf8.sender;
		const room = framer.datagramRoom(1024);
		expect(room).toBe(1023);
		expect(framer.encode('x'.repeat(room))).toHaveLength(1024);
	});

	it('leaves room for the seal and the newline with a secret: one byte more would not fit', () => {
		const framer = pairs.sealed.sender;
		const room = framer.datagramRoom(1024);
		expect(room).toBeLessThan(1023);
		expect(framer.encode('x'.repeat(room)).length).toBeLessThanOrEqual(1024);
		expect(framer.encode('x'.repeat(room + 1)).length).toBeGreaterThan(1024);
	});

	it('has no room at all in a datagram too small for the seal', () => {
		expect(pairs.sealed.sender.datagramRoom(40)).toBe(0);
	});
});
