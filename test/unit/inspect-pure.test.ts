import {describe, expect, it, vi} from 'vitest';
import {PacketCapture} from '../../source/net/inspect/capture.js';
import {inspectHook} from '../../source/net/inspect/hook.js';
import {keptBytes} from '../../source/net/inspect/record.js';
import {describeFraming} from '../../source/net/inspect/framing.js';
import {bytesPerRow, dumpRow, hexDump} from '../../source/net/inspect/hex-dump.js';
import {Ring} from '../../source/net/inspect/ring.js';
import {formatGreeting} from '../../source/net/wire/greeting.js';
import {escapeBreaks, multilineTag} from '../../source/net/wire/multiline.js';
import {createSealer} from '../../source/net/wire/seal.js';
import {formatTagged} from '../../source/net/wire/tags.js';
import {parseInspectArgs} from '../../source/ui/commands/parse-inspect.js';
import {parseInput} from '../../source/ui/commands/parse.js';

const bytes = (text: string) => Buffer.from(text, 'utf8');
/** Anything that could drive a terminal: C0, DEL, C1 (raw and UTF-8), ESC sequences, invalid UTF-8. */
const hostile = Buffer.concat([
	Buffer.from('\u001B]0;pwned\u0007\u001B[2J\u001B[31m', 'latin1'),
	Buffer.from([0x00, 0x07, 0x08, 0x0D, 0x7F, 0x9B, 0x9D, 0x84, 0xC2, 0x9B, 0xC2, 0x9D, 0xFF, 0xFE, 0xC0, 0xAF, 0xED, 0xA0, 0x80]),
	bytes('\u202Eevil\u2066'),
]);
const onlySafe = /^[\x20-\x7E]*$/;

describe('hex dump', () => {
	it('shows offset, hex and ASCII of a line', () => {
		expect(hexDump(bytes('hi\n'), 16)).toEqual([`0000  68 69 0a ${' '.repeat(39)} hi.`]);
	});

	it('cuts rows at 16 bytes when the pane is wide, 8 when narrow', () => {
		expect(bytesPerRow(72)).toBe(16);
		expect(bytesPerRow(60)).toBe(8);
		const rows = hexDump(bytes('abcdefghijklmnopq'), 8);
		expect(rows).toHaveLength(3);
		expect(rows[2]).toBe(`0010  71 ${' '.repeat(21)} q`);
		expect(dumpRow(bytes('abcdefghijklmnopq'), 1, 16)).toMatch(/^0010 {2}71 /);
	});

	it('never lets a hostile byte out: escapes, C0, C1, DEL and invalid UTF-8 all show as "."', () => {
		for (const perRow of [8, 16]) {
			for (const row of hexDump(hostile, perRow)) {
				expect(row).toMatch(onlySafe);
			}
		}

		expect(hexDump(hostile, 16).join('')).not.toContain('\u001B');
		expect(hexDump(Buffer.from([0x1B, 0x5B, 0x32, 0x4A]), 16)[0]).toContain('.[2J');
	});
});

describe('framing decoder', () => {
	it('names a greeting with its nick and port', () => {
		expect(describeFraming(bytes(`${formatGreeting('alice', 7852)}\n`), 'udp')).toBe('greeting alice tnc/1 port 7852');
	});

	it('names the tags of a tagged line: id, part n/m, multi-line, action', () => {
		const line = formatTagged({tags: {id: 'ab12cd34-7', part: '2/3', [multilineTag]: true, me: true}, text: escapeBreaks('one\ntwo')});
		expect(describeFraming(bytes(`${line}\n`), 'udp')).toBe('tags: id ab12cd34-7, part 2/3, multi-line, action; 8 B text');
	});

	it('names an acknowledgement and counts its ids', () => {
		expect(describeFraming(bytes(`${formatTagged({tags: {ack: 'ab12cd34-1'}, text: ''})}\n`), 'udp')).toBe('tags: ack ab12cd34-1');
		expect(describeFraming(bytes(`${formatTagged({tags: {ack: 'ab12cd34-1,ab12cd34-2'}, text: ''})}\n`), 'udp')).toBe('tags: ack 2 ids');
	});

	it('names a sealed line without opening it', () => {
		const sealed = createSealer('pw').seal('secret words');
		expect(describeFraming(bytes(`${sealed}\n`), 'tcp')).toBe(`sealed %tnc1: ${sealed.length} B`);
	});

	it('reads ncat chat framing on TCP, and each line of a chunk', () => {
		expect(describeFraming(bytes('<user1> hi\n<announce> user2 is connected\n'), 'tcp')).toBe('ncat <user1>; ncat announce');
		expect(describeFraming(bytes('<user1> hi\n'), 'udp')).toBe('text');
	});

	it('marks a TCP chunk that ends inside a line, and a record cut short', () => {
		expect(describeFraming(bytes('hello\nwor'), 'tcp')).toBe('text; text (no newline)');
		expect(describeFraming(bytes('x'.repeat(512)), 'udp', 2000)).toBe('text (cut)');
	});

	it('counts lines past the first three', () => {
		expect(describeFraming(bytes('a\nb\nc\nd\ne\n'), 'tcp')).toBe('text; text; text; +2 more lines');
	});

	it('says nothing raw of hostile bytes', () => {
		const said = describeFraming(Buffer.concat([bytes('*** \u001B[31mx'), hostile, bytes('\n@id=\u001B]0;t\u0007 z\n')]), 'tcp');
		expect(said).not.toMatch(/[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/);
	});
});

describe('ring buffer', () => {
	it('keeps the last N, oldest first, however many are pushed', () => {
		const ring = new Ring<number>(3);
		for (let index = 0; index < 1000; index++) {
			ring.push(index);
		}

		expect(ring.size).toBe(3);
		expect(ring.toArray()).toEqual([997, 998, 999]);
		ring.clear();
		expect(ring.toArray()).toEqual([]);
	});
});

describe('/inspect arguments', () => {
	it.each([
		['', {type: 'inspect-toggle'}],
		['udp', {type: 'inspect-show', filter: {kind: 'udp'}}],
		['TCP', {type: 'inspect-show', filter: {kind: 'tcp'}}],
		['all', {type: 'inspect-show', filter: {kind: 'all'}}],
		['peer 3', {type: 'inspect-show', filter: {kind: 'peer', number: 3}}],
		[' off ', {type: 'inspect-off'}],
	])('reads "%s"', (args, command) => {
		expect(parseInspectArgs(args)).toEqual(command);
	});

	it.each(['peer', 'peer 0', 'peer x', 'udp tcp', 'sctp', 'peer 3 4'])('refuses "%s" with a usage line', args => {
		expect(parseInspectArgs(args).type).toBe('inspect-error');
	});

	it('is what the command parser makes of an /inspect line, and of nothing else', () => {
		expect(parseInput('/inspect peer 2')).toEqual({type: 'inspect', command: {type: 'inspect-show', filter: {kind: 'peer', number: 2}}});
		expect(parseInput('/INSPECT')).toEqual({type: 'inspect', command: {type: 'inspect-toggle'}});
		expect(parseInput('/inspector').type).toBe('error');
		expect(parseInput('//inspect')).toEqual({type: 'say', text: '/inspect'});
		expect(parseInput('  /inspect me')).toEqual({type: 'say', text: '  /inspect me'});
	});
});

describe('packet capture', () => {
	it('keeps the last records, each cut to the first bytes with its full length, and lets all go when stopped', async () => {
		const capture = new PacketCapture({records: 10, batchMs: 5});
		capture.start();
		expect(inspectHook.tap).toBe(capture);
		for (let index = 0; index < 100; index++) {
			inspectHook.tap?.data('udp', 'in', '127.0.0.1:1', '127.0.0.1:2', Buffer.alloc(4000, index));
		}

		await vi.waitFor(() => {
			expect(capture.getSnapshot().seen).toBe(100);
		});
		const {records} = capture.getSnapshot();
		expect(records).toHaveLength(10);
		expect(records.map(record => record.seq)).toEqual([90, 91, 92, 93, 94, 95, 96, 97, 98, 99]);
		expect(records.every(record => record.kind === 'data' && record.length === 4000 && record.bytes.length === keptBytes)).toBe(true);
		// Copies, not views: a view of a socket's 64 KiB chunk would keep all of it.
		expect(records.every(record => record.kind === 'data' && record.bytes.buffer.byteLength === keptBytes)).toBe(true);
		capture.stop();
		expect(inspectHook.tap).toBeUndefined();
		expect(capture.getSnapshot()).toEqual({records: [], seen: 0, capturing: false});
	});

	it('keeps a connection event\'s detail (an error a server chose the words of) without control characters', async () => {
		const capture = new PacketCapture({records: 10, batchMs: 5});
		capture.start();
		inspectHook.tap?.event('irc', 'out', '1.2.3.4:5', 'h:6', 'close', 'bad \u001B]0;pwned\u0007 \u001B[31mred \u202Eevil');
		await vi.waitFor(() => {
			expect(capture.getSnapshot().seen).toBe(1);
		});
		const [record] = capture.getSnapshot().records;
		expect(record?.kind === 'event' ? record.detail : undefined).toMatch(/^bad .*red .*evil$/);
		expect(record?.kind === 'event' ? record.detail : '').not.toMatch(/[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/);
		capture.stop();
	});
});
