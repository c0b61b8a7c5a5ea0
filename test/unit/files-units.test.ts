import {createHash, randomBytes} from 'node:crypto';
import {mkdirSync, readdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {Readable} from 'node:stream';
import {describe, expect, it} from 'vitest';
import {ChunkOpener, ChunkSealer} from '../../source/net/files/data-seal.js';
import {downloadsDirectory} from '../../source/net/files/downloads.js';
import {PoolHasher} from '../../source/net/files/hash-worker.js';
import {formatSize} from '../../source/domain/files.js';
import {sanitizeFileName, uniqueName} from '../../source/net/files/names.js';
import {formatHello, offerTags, parseHello, readControl, readOffer} from '../../source/net/files/offer-codec.js';
import {formatDuration, ProgressMeter} from '../../source/net/files/progress.js';
import {parseRecord, ResumeStore, type IncomingRecord, type OutgoingRecord} from '../../source/net/files/resume-store.js';
import type {FilesContext} from '../../source/net/files/context.js';
import type {Receiving} from '../../source/net/files/receiving.js';
import {outgoingRecordLifetimeMs, restoreTransfers} from '../../source/net/files/restore-transfers.js';
import {TransferBook} from '../../source/net/files/transfer-book.js';
import {deriveTransferKey} from '../../source/net/wire/seal.js';
import {formatTagged, parseTagged} from '../../source/net/wire/tags.js';
import {parseFileCommand} from '../../source/ui/commands/parse-files.js';
import {transferSegment} from '../../source/ui/status/transfer-segment.js';
import {transferLine} from '../../source/net/files/transfer.js';
import {tempDir} from '../helpers/file-peers.js';

describe('sanitizeFileName', () => {
	it.each([
		['report.pdf', 'report.pdf'],
		['../../etc/passwd', 'passwd'],
		['/etc/shadow', 'shadow'],
		['C:\\Windows\\system32\\evil.dll', 'evil.dll'],
		['..', 'file'],
		['.', 'file'],
		['', 'file'],
		['.bashrc', 'bashrc'],
		['--rm -rf', 'rm -rf'],
		['a\u0000b\u001Bc\u007Fd.txt', 'abcd.txt'],
		['invoice\u202Efdp.exe', 'invoicefdp.exe'],
		['dir/', 'dir'],
		['name. ', 'name'],
		['what?.txt', 'what_.txt'],
	])('%j -> %j', (offered, safe) => {
		expect(sanitizeFileName(offered)).toBe(safe);
	});

	it('bounds a long name in bytes and keeps its extension', () => {
		const safe = sanitizeFileName(`${'é'.repeat(400)}.tar.gz`);
		expect(Buffer.byteLength(safe)).toBeLessThanOrEqual(180);
		expect(safe.endsWith('.gz')).toBe(true);
	});
});

describe('uniqueName', () => {
	it('never picks a name that exists, itself or as a partial', () => {
		const dir = tempDir();
		expect(uniqueName(dir, 'a.txt')).toBe('a.txt');
		writeFileSync(join(dir, 'a.txt'), '');
		writeFileSync(join(dir, 'a (1).txt.part'), '');
		expect(uniqueName(dir, 'a.txt', ['.part'])).toBe('a (2).txt');
		writeFileSync(join(dir, 'noext'), '');
		expect(uniqueName(dir, 'noext')).toBe('noext (1)');
	});
});

describe('formatSize and formatDuration', () => {
	it('reads as file managers show it', () => {
		expect([formatSize(999), formatSize(12_345_678), formatSize(256 * 1024 * 1024)]).toEqual(['999 B', '12.3 MB', '268 MB']);
		expect([formatDuration(5), formatDuration(125), formatDuration(3720)]).toEqual(['5 s', '2 min 5 s', '1 h 2 min']);
	});
});

describe('downloadsDirectory', () => {
	it('takes --downloads, then XDG_DOWNLOAD_DIR, then ~/Downloads', () => {
		expect(downloadsDirectory('/x')).toBe('/x');
		// Whole, so a partial file's record names it the same from any directory.
		expect(downloadsDirectory('got/here')).toBe(join(process.cwd(), 'got/here'));
		expect(downloadsDirectory(undefined, {HOME: '/home/a', XDG_DOWNLOAD_DIR: '$HOME/Dl'})).toBe('/home/a/Dl/tui-netchat');
		expect(downloadsDirectory(undefined, {HOME: '/home/a', XDG_CONFIG_HOME: '/nonexistent'})).toBe('/home/a/Downloads/tui-netchat');
	});
});

describe('offer codec', () => {
	const offer = {id: '0123456789ab', name: 'my report; final.pdf', size: 12_345_678, sha256: 'ab'.repeat(32), port: 40_123, token: 'cd'.repeat(16)};

	it('round-trips an offer through a tagged chat line', () => {
		const line = formatTagged(offerTags(offer));
		expect(line).toMatch(/ offers my report; final\.pdf \(12\.3 MB\)$/);
		expect(readOffer(parseTagged(line).tags)).toEqual(offer);
	});

	it('refuses malformed offers', () => {
		const tags = offerTags(offer).tags;
		for (const change of [{'file-offer': '../x'}, {size: '-1'}, {size: '1e9'}, {sha256: 'zz'}, {port: '0'}, {port: '70000'}, {ticket: 'short'}] as Array<Record<string, string>>) {
			expect(readOffer({...tags, ...change})).toBeUndefined();
		}
	});

	it('reads the control lines and the data port hello', () => {
		expect(readControl({'file-reject': '0123456789ab'})).toEqual({kind: 'reject', id: '0123456789ab'});
		expect(readControl({'file-cancel': 'nope'})).toBeUndefined();
		const hello = {id: '0123456789ab', offset: 65_536, token: 'cd'.repeat(16), nonce: 'ef'.repeat(16)};
		expect(parseHello(formatHello(hello).trimEnd())).toEqual(hello);
		expect(parseHello('GET / HTTP/1.0')).toBeUndefined();
	});
});

describe('resume records', () => {
	const record: IncomingRecord = {kind: 'in', id: '0123456789ab', name: 'a.bin', size: 10, sha256: 'ab'.repeat(32), part: '/d/a.bin.part', host: '127.0.0.1', port: 4000, token: 'cd'.repeat(16), peer: 'alice'};

	it('saves, loads and removes a record', () => {
		const store = new ResumeStore(tempDir());
		store.save(record);
		expect(store.load()).toEqual({records: [record], problems: []});
		store.remove(record);
		expect(store.load().records).toEqual([]);
	});

	it('moves a damaged record aside and says so', () => {
		const state = tempDir();
		mkdirSync(join(state, 'transfers'));
		writeFileSync(join(state, 'transfers', 'in-0123456789ab.json'), '{"kind":"in","id":"01234');
		const loaded = new ResumeStore(state).load();
		expect(loaded.records).toEqual([]);
		expect(loaded.problems[0]).toMatch(/damaged: moved aside to in-0123456789ab\.json\.corrupt/);
		expect(readdirSync(join(state, 'transfers'))).toEqual(['in-0123456789ab.json.corrupt']);
	});

	it('refuses a record with a bad field', () => {
		expect(parseRecord(JSON.stringify({...record, port: 0}))).toBeUndefined();
		expect(parseRecord(JSON.stringify({...record, id: '../../x'}))).toBeUndefined();
		expect(parseRecord('null')).toBeUndefined();
	});
});

describe('what is left from last time', () => {
	const outgoing: OutgoingRecord = {kind: 'out', id: 'abcdef012345', path: '/f/b.bin', name: 'b.bin', size: 10, sha256: 'ab'.repeat(32), token: 'cd'.repeat(16), endpoint: '127.0.0.1:7852', peer: 'bob', offeredAt: 0};

	function restore(records: OutgoingRecord[], now: number) {
		const store = new ResumeStore(tempDir());
		for (const record of records) {
			store.save(record);
		}

		const said: string[] = [];
		const greeted: unknown[] = [];
		const context = {say: (text: string) => said.push(text), now: () => now, store, downloads: tempDir()} as unknown as FilesContext;
		const book = new TransferBook(context.say);
		restoreTransfers(store.load(), {book, context, receiving: {} as Receiving, greet: dest => greeted.push(dest)});
		return {said, greeted, book, store};
	}

	it('greets the receiver of an offer of ours, once for its address, to go on with it', () => {
		const {greeted, book} = restore([{...outgoing, offeredAt: 1000}, {...outgoing, id: 'abcdef012346', offeredAt: 1000}], 2000);
		expect(greeted).toEqual([{kind: 'udp', endpoint: {host: '127.0.0.1', port: 7852}}]);
		expect(book.all.map(transfer => transfer.state)).toEqual(['interrupted', 'interrupted']);
	});

	it('drops an offer of ours nobody took in a week, in one line', () => {
		const {said, greeted, book, store} = restore([outgoing], outgoingRecordLifetimeMs + 1);
		expect(book.all).toEqual([]);
		expect(greeted).toEqual([]);
		expect(store.load().records).toEqual([]);
		expect(said).toEqual([expect.stringMatching(/^b\.bin, offered to bob, was not fetched since .+: it is not offered again\.$/)]);
	});

	it('forgets an offer left waiting past its time, and says so to whom it concerns', () => {
		const expired: string[] = [];
		const book = new TransferBook(() => undefined, transfer => expired.push(transfer.id));
		const offer = book.add({id: '0123456789ab', direction: 'receive', state: 'offered', name: 'a.bin', conversation: 'c1', peer: 'alice', size: 10, sha256: ''});
		offer.expires = Date.now() - 1;
		expect(book.pick(undefined, 'receive', ['offered'], '/accept')).toBeUndefined();
		expect(offer.state).toBe('cancelled');
		expect(expired).toEqual(['0123456789ab']);
	});
});

describe('progress', () => {
	it('gives the rate over the window and the time left', () => {
		const meter = new ProgressMeter(1000);
		meter.reset(0, 0);
		meter.add(100, 1000);
		meter.add(100, 2000);
		expect(meter.rate(2000)).toBe(100);
		expect(meter.eta(2000)).toBe(8);
		expect(meter.percent()).toBe(20);
		// Nothing for longer than the window: the rate falls.
		meter.add(0, 10_000);
		expect(meter.rate(10_000)).toBeLessThan(30);
	});

	it('shows the running transfer in the status bar segment', () => {
		const summary = {number: 1, name: 'a.bin', direction: 'receive', state: 'running', peer: 'alice', size: 1_000_000, done: 450_000, rate: 100_000, etaSeconds: 6} as const;
		expect(transferSegment([summary, {...summary, number: 2}])).toBe('recv a.bin 45% 450 KB/1.0 MB 100 KB/s 6s left +1');
		expect(transferSegment([{...summary, state: 'done'}])).toBeUndefined();
		// A plain sender's stream: no size, so no percent and no time left.
		expect(transferSegment([{...summary, size: undefined, etaSeconds: undefined}])).toBe('recv a.bin 450 KB 100 KB/s');
		expect(transferLine({...summary, size: undefined, etaSeconds: undefined})).toBe('1 a.bin from alice: running, 450 KB so far, 100 KB/s');
	});
});

describe('sealed chunks', () => {
	it('open whatever way TCP cuts them, and not with another key', async () => {
		const key = deriveTransferKey('secret', Buffer.alloc(32, 1));
		const data = randomBytes(200_000);
		const sealed: Buffer[] = [];
		for await (const chunk of Readable.from([data]).pipe(new ChunkSealer(key))) {
			sealed.push(chunk as Buffer);
		}

		const wire = Buffer.concat(sealed);
		const pieces = [wire.subarray(0, 3), wire.subarray(3, 70_000), wire.subarray(70_000)];
		const opened: Buffer[] = [];
		for await (const chunk of Readable.from(pieces).pipe(new ChunkOpener(key))) {
			opened.push(chunk as Buffer);
		}

		expect(Buffer.concat(opened)).toEqual(data);
		const wrong = new ChunkOpener(deriveTransferKey('secret', Buffer.alloc(32, 2)));
		await expect((async () => {
			for await (const _ of Readable.from([wire]).pipe(wrong)) {
				// Nothing opens.
			}
		})()).rejects.toThrow(/did not open/);
	});
});

describe('the SHA-256 in a worker thread', () => {
	it('hashes the partial file on disk, then chunks of the shared pool and other buffers, in order', async () => {
		const part = join(tempDir(), 'x.part');
		const head = randomBytes(3 * 1024 * 1024 + 17);
		writeFileSync(part, head);
		const pool = new SharedArrayBuffer(2048);
		const inPool = Buffer.from(pool, 1024, 1024);
		inPool.set(randomBytes(1024));
		const outside = randomBytes(100);
		const hasher = new PoolHasher(pool);
		await hasher.start(part, head.length);
		let released = 0;
		hasher.update(inPool.subarray(0, 1000), () => released++);
		hasher.update(outside, () => released++);
		const digest = await hasher.digest();
		expect(released).toBe(2);
		expect(digest).toBe(createHash('sha256').update(head).update(inPool.subarray(0, 1000)).update(outside).digest('hex'));
	});

	it('fails when the partial file is shorter than it should be', async () => {
		const part = join(tempDir(), 'y.part');
		writeFileSync(part, randomBytes(10));
		const hasher = new PoolHasher(new SharedArrayBuffer(16));
		await expect(hasher.start(part, 20)).rejects.toThrow(/shorter/);
	});
});

describe('/send and friends', () => {
	it('parse into file commands', () => {
		const none = () => false;
		expect(parseFileCommand('send', 'report.pdf', none)).toEqual({type: 'files', command: {type: 'send', path: 'report.pdf'}});
		expect(parseFileCommand('send', 'my report.pdf 2', none)).toEqual({type: 'files', command: {type: 'send', path: 'my report.pdf', peer: '2'}});
		expect(parseFileCommand('send', 'my report.pdf', path => path === 'my report.pdf')).toEqual({type: 'files', command: {type: 'send', path: 'my report.pdf'}});
		expect(parseFileCommand('accept', '', none)).toEqual({type: 'files', command: {type: 'accept'}});
		expect(parseFileCommand('reject', '3', none)).toEqual({type: 'files', command: {type: 'reject', number: 3}});
		expect(() => parseFileCommand('cancel', '', none)).toThrow(/usage: \/cancel N/);
		expect(parseFileCommand('receive', 'x.txt', none)).toEqual({type: 'files', command: {type: 'receive', name: 'x.txt'}});
		expect(parseFileCommand('sendx', '', none)).toBeUndefined();
	});
});

describe('the bandwidth limit', () => {
	it('lets through slices of at most a tenth of a second, paced, and carries the pace across connections', async () => {
		const {Pacer, Throttle} = await import('../../source/net/files/throttle.js');
		const rate = 400_000;
		const times: number[] = [];
		const sizes: number[] = [];
		const start = Date.now();
		const pacer = new Pacer(rate);
		for await (const chunk of Readable.from([Buffer.alloc(100_000), Buffer.alloc(60_000)]).pipe(new Throttle(pacer))) {
			times.push(Date.now() - start);
			sizes.push((chunk as Buffer).length);
		}

		expect(Math.max(...sizes)).toBeLessThanOrEqual(rate / 10);
		expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(160_000);
		// 160 KB at 400 KB/s: the last slice is due at 0.3 s, no gap of more than a slice's worth.
		expect(times.at(-1)!).toBeGreaterThanOrEqual(280);
		expect(Math.max(...times.slice(1).map((time, index) => time - times[index]!))).toBeLessThan(250);
		// A new connection of the same transfer gets no fresh burst.
		expect(pacer.take(rate / 10)).toBeGreaterThan(0);
	});
});
