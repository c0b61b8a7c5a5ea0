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
import {describe, expect, it} from 'vitest';

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
