/*
 * What an `ncat -l --chat` / `ncat -l --broker` relay really sends: recorded on loopback with Ncat 7.93
 * (Debian's) and Python sockets and nc (netcat-openbsd) as clients (scripts: /tmp/ncat-study/study*.py).
 *
 * --chat
 * - Connect: one write to everyone, the newcomer too, and the newcomer gets nothing before it:
 *     "<announce> 127.0.0.1 is connected as <user6>.\n"
 *     "<announce> already connected: 127.0.0.1 as <user4>, 127.0.0.1 as <user5>.\n"   (or "... connected: nobody.\n")
 *   The list is everyone else, in fd order, ", "-separated. N is the client's fd: the first client of
 *   `ncat -l --chat 127.0.0.1 P` is user4 (3 is the listening socket); fds are reused after a disconnect.
 * - %s: Ncat 7.93 (and every release up to 7.98) writes the host alone, no port: "127.0.0.1", for IPv6
 *   "::1" (no brackets). nmap's HEAD (7.991+, commit ca691d278) writes socktop(): "127.0.0.1:54321",
 *   "[::1]:54321". With the host alone, several clients on one host cannot be told apart by address; the
 *   newcomer's own announcement is simply the first thing it receives.
 * - Disconnect: "<announce> <user6> is disconnected.\n" to those left (several at once: in fd order).
 * - Data goes to everyone but the sender. "<userN> " comes before each chunk ncat read (its buffer is
 *   8 KiB; a 3000-byte line written at once came with one prefix), not before each line:
 *     "two\nthree\n" in one write         -> "<user4> two\nthree\n"
 *     "hel", then "lo\n"                  -> "<user5> hel<user5> lo\n"
 *     user5 "hel", user6 "bob line\n", user5 "lo\n" -> "<user5> hel<user6> bob line\n<user5> lo\n"
 *     user5 "hel", then someone connects  -> "<user5> hel<announce> 127.0.0.1 is connected as <user6>.\n..."
 *     user5 "\\344 literal", then closes  -> "<user5> \\344 literal<announce> <user5> is disconnected.\n"
 *     "\n"                                -> "<user5> \n"
 * - Every byte outside 0x20..0x7e except \t \r \n becomes \ooo (three octal digits): "你好 world\n" ->
 *   "<user6> \344\275\240\345\245\275 world\n"; ESC -> \033; "\x01\x7f\r\n" -> "\001\177\r\n" (\r passes);
 *   "你" written as 2 bytes + 1 byte -> "<user5> \344\275<user5> \240\n". So what a --chat relay sends is
 *   pure ASCII. A backslash is printable and passes as it is: a typed "\101" arrives as "\101", the same
 *   as an escaped "A". A typed "<user5> fake" arrives as "<user4> <user5> fake", and a sender that writes
 *   "\n<user5> x" makes a line nobody can tell from user5's own: ncat's names are not authenticated.
 * --broker
 * - Bytes are relayed unchanged: no prefix, no escapes, no announcements, nothing on connect or
 *   disconnect, nothing back to the sender ("hel" + "lo\n" -> "hello\n", UTF-8 as it was sent).
 * nc (netcat-openbsd) as a client sees exactly these bytes, and writes each line it reads from its input
 * as one chunk.
 */
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {isNcatChatLine, RelayReader, type RelayEvent} from '../../source/net/session/relay-reader.js';

/** ncat's chat_filter(): "<user%d> " before the chunk, bytes that are not isprint (but \r \n \t) as \ooo. */
function chatFilter(fd: number, chunk: Uint8Array): string {
	let out = `<user${fd}> `;
	for (const byte of chunk) {
		const plain = (byte >= 0x20 && byte <= 0x7e) || byte === 0x0d || byte === 0x0a || byte === 0x09;
		out += plain ? String.fromCharCode(byte) : `\\${byte.toString(8).padStart(3, '0')}`;
	}

	return out;
}

/** ncat 7.93's connect announcement of `fd`, with `others` (fds in order) already there; all on 127.0.0.1. */
function announceJoin(fd: number, others: readonly number[], host = '127.0.0.1'): string {
	const list = others.length === 0 ? 'nobody' : others.map(other => `${host} as <user${other}>`).join(', ');
	return `<announce> ${host} is connected as <user${fd}>.\n<announce> already connected: ${list}.\n`;
}

const announceLeave = (fd: number) => `<announce> <user${fd}> is disconnected.\n`;
const bytes = (text: string) => Buffer.from(text, 'utf8');

/** Recorded: what client A (user4) of three received (study.py; B = user5, C = user6). */
const recordedChatA = String.raw`<announce> 127.0.0.1 is connected as <user4>.
<announce> already connected: nobody.
<announce> 127.0.0.1 is connected as <user5>.
<announce> already connected: 127.0.0.1 as <user4>.
<announce> 127.0.0.1 is connected as <user6>.
<announce> already connected: 127.0.0.1 as <user4>, 127.0.0.1 as <user5>.
<user5> hel<user5> lo
<user6> \344\275\240\345\245\275 world
<user5> \344\275<user5> \240
<announce> <user6> is disconnected.
`;

/** Recorded: what client B (user5) of the same three received. */
const recordedChatB = `${String.raw`<announce> 127.0.0.1 is connected as <user5>.
<announce> already connected: 127.0.0.1 as <user4>.
<announce> 127.0.0.1 is connected as <user6>.
<announce> already connected: 127.0.0.1 as <user4>, 127.0.0.1 as <user5>.
<user4> hello one
<user4> two
three
<user6> \344\275\240\345\245\275 world
<user4> tab	here\001\177`}\r\n${String.raw`<user4> <user5> fake
<user4> \101 literal backslash
<announce> <user6> is disconnected.
`}`;

/** Recorded: a reader (user4) while user5 and user6 cross chunks and user7 joins between them (study3.py). */
const recordedCrossing = `<announce> 127.0.0.1 is connected as <user6>.
<announce> already connected: 127.0.0.1 as <user4>, 127.0.0.1 as <user5>.
<user5> hel<user6> bob line
<announce> 127.0.0.1 is connected as <user7>.
<announce> already connected: 127.0.0.1 as <user4>, 127.0.0.1 as <user5>, 127.0.0.1 as <user6>.
<user5> lo
`;

/** Recorded: announcements in the middle of user5's unfinished lines (study4.py). */
const recordedMidLine = String.raw`<user5> hel<announce> 127.0.0.1 is connected as <user6>.
<announce> already connected: 127.0.0.1 as <user4>, 127.0.0.1 as <user5>.
<user5> lo
<announce> <user6> is disconnected.
<user5> \344 literal<announce> <user5> is disconnected.
`;

describe('the chat_filter model in this file against the recorded relay', () => {
	it('reproduces what client A received, byte for byte', () => {
		const simulated = [
			announceJoin(4, []),
			announceJoin(5, [4]),
			announceJoin(6, [4, 5]),
			chatFilter(5, bytes('hel')),
			chatFilter(5, bytes('lo\n')),
			chatFilter(6, bytes('你好 world\n')),
			chatFilter(5, bytes('你').subarray(0, 2)),
			chatFilter(5, Buffer.concat([bytes('你').subarray(2), bytes('\n')])),
			announceLeave(6),
		].join('');
		expect(simulated).toBe(recordedChatA);
	});

	it('reproduces what client B received, byte for byte', () => {
		const simulated = [
			announceJoin(5, [4]),
			announceJoin(6, [4, 5]),
			chatFilter(4, bytes('hello one\n')),
			chatFilter(4, bytes('two\nthree\n')),
			chatFilter(6, bytes('你好 world\n')),
			chatFilter(4, bytes('tab\there\u0001\u007F\r\n')),
			chatFilter(4, bytes('<user5> fake\n')),
			chatFilter(4, bytes('\\101 literal backslash\n')),
			announceLeave(6),
		].join('');
		expect(simulated).toBe(recordedChatB);
	});

	it('reproduces crossing chunks and announcements in the middle of a line', () => {
		expect(
			[announceJoin(6, [4, 5]), chatFilter(5, bytes('hel')), chatFilter(6, bytes('bob line\n')), announceJoin(7, [4, 5, 6]), chatFilter(5, bytes('lo\n'))].join(''),
		).toBe(recordedCrossing);
		expect(
			[chatFilter(5, bytes('hel')), announceJoin(6, [4, 5]), chatFilter(5, bytes('lo\n')), announceLeave(6), chatFilter(5, bytes('\\344 literal')), announceLeave(5)].join(''),
		).toBe(recordedMidLine);
	});
});

/** Feeds relay output (whole, ending in "\n") line by line, as the line decoder would. */
function readAll(reader: RelayReader, output: string): RelayEvent[] {
	const lines = output.split('\n');
	expect(lines.pop()).toBe('');
	return lines.map(line => reader.read(line));
}

const textOf = (event: RelayEvent) => (event.kind === 'message' ? event.text : undefined);
const said = (events: readonly RelayEvent[]) =>
	events.flatMap(event => (event.kind === 'message' ? [[event.speaker, event.text] as const] : []));

describe('RelayReader on what the relay sent', () => {
	it('reads client A: three arrivals, chunked lines put back together, UTF-8, a departure', () => {
		const reader = new RelayReader('127.0.0.1:51398');
		const events = readAll(reader, recordedChatA);
		expect(events).toEqual([
			{kind: 'joined', speaker: 'user4', address: '127.0.0.1', self: true},
			{kind: 'present', members: []},
			{kind: 'joined', speaker: 'user5', address: '127.0.0.1', self: false},
			{kind: 'present', members: [{speaker: 'user4', address: '127.0.0.1'}]},
			{kind: 'joined', speaker: 'user6', address: '127.0.0.1', self: false},
			{kind: 'present', members: [{speaker: 'user4', address: '127.0.0.1'}, {speaker: 'user5', address: '127.0.0.1'}]},
			{kind: 'message', speaker: 'user5', text: 'hello'},
			{kind: 'message', speaker: 'user6', text: '你好 world'},
			{kind: 'message', speaker: 'user5', text: '你'},
			{kind: 'left', speaker: 'user6'},
		]);
		expect(reader.self).toBe('user4');
	});

	it('reads client B: a chunk of two lines, controls and \\r\\n, a typed prefix kept as text', () => {
		const reader = new RelayReader('127.0.0.1:51406');
		expect(said(readAll(reader, recordedChatB))).toEqual([
			['user4', 'hello one'],
			['user4', 'two'],
			['user4', 'three'],
			['user6', '你好 world'],
			['user4', 'tab\there\u0001\u007F'],
			['user4', '<user5> fake'],
			// Indistinguishable from an escape: a typed backslash and three octal digits are read as one.
			['user4', 'A literal backslash'],
		]);
		expect(reader.self).toBe('user5');
	});

	it('credits crossing chunks of two senders to each, and keeps a line across an announcement', () => {
		const reader = new RelayReader();
		expect(readAll(reader, recordedCrossing)).toEqual([
			{kind: 'joined', speaker: 'user6', address: '127.0.0.1', self: true},
			{kind: 'present', members: [{speaker: 'user4', address: '127.0.0.1'}, {speaker: 'user5', address: '127.0.0.1'}]},
			{kind: 'message', speaker: 'user6', text: 'bob line'},
			{kind: 'joined', speaker: 'user7', address: '127.0.0.1', self: false},
			expect.objectContaining({kind: 'present'}),
			{kind: 'message', speaker: 'user5', text: 'hello'},
		]);
		expect(reader.self).toBe('user6');
	});

	it('reads an announcement in the middle of a line, and gives what a leaver left unfinished', () => {
		const events = readAll(new RelayReader('127.0.0.1:1'), recordedMidLine);
		expect(events.map(event => event.kind)).toEqual(['joined', 'present', 'message', 'left', 'left']);
		expect(events[2]).toEqual({kind: 'message', speaker: 'user5', text: 'hello'});
		expect(events[3]).toEqual({kind: 'left', speaker: 'user6'});
		expect(events[4]).toEqual({kind: 'left', speaker: 'user5', unfinished: '\uFFFD literal'});
	});
});

describe('RelayReader, case by case', () => {
	it('a line without a prefix goes on with the last speaker; before any, nobody is known', () => {
		const reader = new RelayReader();
		expect(reader.read('hello?')).toEqual({kind: 'message', speaker: undefined, text: 'hello?'});
		expect(reader.read('<user9> one')).toEqual({kind: 'message', speaker: 'user9', text: 'one'});
		expect(reader.read('two')).toEqual({kind: 'message', speaker: 'user9', text: 'two'});
		expect(reader.read('')).toEqual({kind: 'message', speaker: 'user9', text: ''});
		expect(reader.read('<user9> ')).toEqual({kind: 'message', speaker: 'user9', text: ''});
	});

	it('removes a chunk boundary of the same speaker, also in the middle of an escape run and of a continuation', () => {
		const reader = new RelayReader();
		expect(reader.read('<user5> hel<user5> lo<user5> !')).toEqual({kind: 'message', speaker: 'user5', text: 'hello!'});
		expect(reader.read(String.raw`<user5> \344<user5> \275<user5> \240\345\245\275`)).toEqual({kind: 'message', speaker: 'user5', text: '你好'});
		expect(reader.read('<user5> a\r')).toEqual({kind: 'message', speaker: 'user5', text: 'a'});
		expect(reader.read('b<user5> c\r')).toEqual({kind: 'message', speaker: 'user5', text: 'bc'});
	});

	it('a prefix right after a prefix is text (a chunk is never empty)', () => {
		const reader = new RelayReader();
		expect(reader.read('<user4> <user4> x')).toEqual({kind: 'message', speaker: 'user4', text: '<user4> x'});
		expect(reader.read('<user4> <announce> y')).toEqual({kind: 'message', speaker: 'user4', text: '<announce> y'});
		expect(reader.read('<user4> <user5> a<user6> b')).toEqual({kind: 'message', speaker: 'user6', text: 'b'});
		expect(reader.read('<user4> c')).toEqual({kind: 'message', speaker: 'user4', text: '<user5> ac'});
	});

	it('undoes escapes into UTF-8; bad bytes become U+FFFD; odd runs never throw', () => {
		const reader = new RelayReader();
		expect(reader.read(String.raw`<user4> \360\237\230\200 \033[31m`)).toEqual({kind: 'message', speaker: 'user4', text: '😀 \u001B[31m'});
		expect(textOf(reader.read(String.raw`<user4> \351\377 ok`))).toBe('\uFFFD\uFFFD ok');
		expect(textOf(reader.read(String.raw`<user4> \477 \8 \34`))).toBe(String.raw`\477 \8 \34`);
		expect(textOf(reader.read(String.raw`<user4> \\101\\`))).toBe(String.raw`\A\\`);
		expect(textOf(reader.read('<user4> 你好 raw'))).toBe('你好 raw');
	});

	it('reads ncat 7.991 addresses with a port and IPv6 ones, and finds itself by address', () => {
		const reader = new RelayReader('[::1]:40002');
		expect(reader.read('<announce> [::1]:40001 is connected as <user4>.')).toEqual({kind: 'joined', speaker: 'user4', address: '[::1]:40001', self: true});
		const late = new RelayReader('127.0.0.1:40002');
		late.read('<user4> something first');
		expect(late.read('<announce> 127.0.0.1:40001 is connected as <user4>.')).toMatchObject({self: false});
		expect(late.read('<announce> 127.0.0.1:40002 is connected as <user5>.')).toMatchObject({self: true});
		expect(late.read('<announce> 127.0.0.1:40002 is connected as <user6>.')).toMatchObject({self: false});
		expect(late.self).toBe('user5');
		expect(late.read('<announce> already connected: [::1]:40001 as <user4>, 127.0.0.1:40002 as <user5>.')).toEqual({
			kind: 'present',
			members: [
				{speaker: 'user4', address: '[::1]:40001'},
				{speaker: 'user5', address: '127.0.0.1:40002'},
			],
		});
	});

	it('compares the host alone when ncat wrote no port; an IPv4-mapped local address matches', () => {
		for (const local of ['::ffff:127.0.0.1', '[::ffff:127.0.0.1]:5000', '127.0.0.1']) {
			const reader = new RelayReader(local);
			reader.read('<user4> hi');
			expect(reader.read('<announce> 127.0.0.1 is connected as <user7>.'), local).toMatchObject({self: true});
		}

		const bare = new RelayReader('127.0.0.1');
		bare.read('<user4> hi');
		expect(bare.read('<announce> 127.0.0.1:6000 is connected as <user7>.')).toMatchObject({self: true});
		const v6 = new RelayReader('[::1]:5000');
		v6.read('<user4> hi');
		expect(v6.read('<announce> 127.0.0.1 is connected as <user7>.')).toMatchObject({self: false});
		expect(v6.read('<announce> ::1 is connected as <user8>.')).toMatchObject({self: true});
	});

	it('reads other announcements as notices, and drops a leaver as the current speaker', () => {
		const reader = new RelayReader();
		expect(reader.read('<announce> something new')).toEqual({kind: 'notice', text: 'something new'});
		expect(reader.read('<announce> already connected: whatever')).toEqual({kind: 'notice', text: 'already connected: whatever'});
		reader.read('<user4> hi');
		expect(reader.read('<announce> <user4> is disconnected.')).toEqual({kind: 'left', speaker: 'user4'});
		expect(reader.read('orphan')).toEqual({kind: 'message', speaker: undefined, text: 'orphan'});
	});

	it('keeps at most 64 KiB of an unfinished line', () => {
		const reader = new RelayReader();
		reader.read(`<user5> ${'x'.repeat(70_000)}<user6> a`);
		expect(textOf(reader.read('<user5> y'))).toHaveLength(65_536);
	});

	it('tells ncat chat lines from others', () => {
		expect(isNcatChatLine('<announce> 127.0.0.1 is connected as <user4>.')).toBe(true);
		expect(isNcatChatLine('<user12> hi')).toBe(true);
		for (const line of ['<alice> hi', '<user> hi', '<user4>hi', ' <user4> hi', 'hi <user4> x', '*** alice is here via tui-netchat (tnc/1 port 7852)', '']) {
			expect(isNcatChatLine(line), line).toBe(false);
		}
	});

	it('never throws, whatever the line', () => {
		fc.assert(
			fc.property(fc.array(fc.string({unit: fc.constantFrom('<', '>', ' ', 'user', '4', 'announce', '\\', '3', '7', 'a', '你', '\r', '\uD800')})), lines => {
				const reader = new RelayReader('127.0.0.1:1');
				for (const line of lines) {
					const event = reader.read(line);
					expect(event.kind).toBeTypeOf('string');
				}
			}),
		);
	});
});

/** Text a person could send: CJK, emoji, controls, tabs, bits of prefixes; not the two things ncat makes ambiguous. */
const sentText = fc
	.array(
		fc.oneof(
			fc.constantFrom('你好', '世界', '，', '😀', '👍🏽', 'é', ' ', '\t', '\u0001', '\u007F', '\u001B[31m', '<user4>', '<user', '> ', '\\', '\\3', '<announce>', '\u0085'),
			fc.integer({min: 0x4E_00, max: 0x9F_FF}).map(code => String.fromCodePoint(code)),
			fc.string({unit: 'grapheme-ascii', maxLength: 3}),
			fc.string({unit: 'grapheme', maxLength: 2}),
		),
		{maxLength: 8},
	)
	.map(pieces => pieces.join(''))
	.filter(text => !/[\r\n]/.test(text) && !/<(?:user\d+|announce)> /.test(text) && !/\\[0-3][0-7]{2}/.test(text) && Buffer.from(text).toString() === text);

describe('RelayReader on any chunking of a conversation', () => {
	it('credits every line to its sender with its exact text, however the relay cut and crossed the chunks', () => {
		const senders = [5, 6, 7] as const;
		fc.assert(
			fc.property(
				fc.tuple(fc.array(sentText, {maxLength: 6}), fc.array(sentText, {maxLength: 6}), fc.array(sentText, {maxLength: 6})),
				fc.array(fc.integer({min: 1, max: 9}), {minLength: 1, maxLength: 20}),
				fc.array(fc.nat(2), {minLength: 1, maxLength: 20}),
				fc.array(fc.boolean(), {minLength: 1, maxLength: 10}),
				fc.boolean(),
				(conversation, sizes, turns, arrivals, withPort) => {
					// Each sender's bytes, cut into chunks of the given sizes (in turn).
					const queues = senders.map((_, index) => {
						const stream = Buffer.from((conversation[index] ?? []).map(line => `${line}\n`).join(''));
						const chunks: Buffer[] = [];
						for (let at = 0, turn = 0; at < stream.length; turn++) {
							const size = sizes[turn % sizes.length] ?? 1;
							chunks.push(stream.subarray(at, at + size));
							at += size;
						}

						return chunks;
					});
					const host = withPort ? '127.0.0.1:40004' : '127.0.0.1';
					let output = announceJoin(4, [], host) + announceJoin(5, [4]) + announceJoin(6, [4, 5]) + announceJoin(7, [4, 5, 6]);
					let next = 8;
					// The relay forwards chunks as it reads them: senders in any order, newcomers in between.
					for (let step = 0; queues.some(queue => queue.length > 0); step++) {
						const wanted = turns[step % turns.length] ?? 0;
						const index = [0, 1, 2].map(offset => (wanted + offset) % 3).find(candidate => (queues[candidate]?.length ?? 0) > 0) ?? 0;
						const chunk = queues[index]?.shift();
						if (chunk) {
							output += chatFilter(senders[index] ?? 0, chunk);
						}

						if (arrivals[step % arrivals.length] && next < 12) {
							output += announceJoin(next, [4, 5, 6, 7]);
							next++;
						}
					}

					expect(output).toMatch(/^[\t\n\r\u0020-\u007E]*$/);
					const reader = new RelayReader('127.0.0.1:40004');
					const messages = said(readAll(reader, output));
					expect(reader.self).toBe('user4');
					for (const [index, fd] of senders.entries()) {
						expect(messages.filter(([speaker]) => speaker === `user${fd}`).map(([, text]) => text)).toEqual(conversation[index]);
					}

					expect(messages).toHaveLength(conversation.flat().length);
				},
			),
			{numRuns: 300},
		);
	});
});
