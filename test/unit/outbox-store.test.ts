import * as fs from 'node:fs';
import {execFileSync} from 'node:child_process';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import {formatOutbox, type StoredMessage, type StoredOutbox} from '../../source/net/delivery/outbox-format.js';
import {loadOutbox, OutboxFile, saveOutbox} from '../../source/net/delivery/outbox-store.js';

/** Failures to inject, one per call, by function name: {openSync: ['EMFILE']}. */
const inject = vi.hoisted(() => ({failures: new Map<string, string[]>(), shortWrite: false}));
vi.mock('node:fs', async importOriginal => {
	const real = await importOriginal<typeof import('node:fs')>();
	const failing =
		<T extends (...args: never[]) => unknown>(name: string, original: T) =>
		(...args: Parameters<T>): ReturnType<T> => {
			const code = inject.failures.get(name)?.shift();
			if (code !== undefined) {
				throw Object.assign(new Error(`${code}: injected`), {code});
			}

			return original(...args) as ReturnType<T>;
		};

	const writeSync = (fd: number, buffer: Uint8Array, offset: number, length: number) => {
		if (inject.shortWrite) {
			// Half of what was asked, then a full disk.
			inject.shortWrite = false;
			inject.failures.set('writeSync', ['ENOSPC']);
			return real.writeSync(fd, buffer, offset, Math.ceil(length / 2));
		}

		return failing('writeSync', real.writeSync as (fd: number, buffer: Uint8Array, offset: number, length: number) => number)(fd, buffer, offset, length);
	};

	return {...real, openSync: failing('openSync', real.openSync), renameSync: failing('renameSync', real.renameSync), writeSync};
});

const message = (n: number, text = `message ${n}`): StoredMessage => ({msgid: `s-${n}`, text, action: false, createdAt: 1_700_000_000_000 + n, protocol: 'tcp', endpoint: '127.0.0.1:9'});
const four = [1, 2, 3, 4].map(n => message(n, n === 2 ? 'with {braces}, "quotes" and 你好\\' : `message ${n}`));

let directory: string;
let path: string;
let reports: Array<{text: string; level: string}>;
let contents: StoredOutbox;

function open(): OutboxFile {
	return new OutboxFile(
		path,
		() => contents,
		(text, level) => {
			reports.push({text, level});
		},
	);
}

const asides = () => fs.readdirSync(directory).filter(name => name.includes('.corrupt-'));

beforeEach(() => {
	directory = fs.mkdtempSync(join(tmpdir(), 'tnc-outbox-'));
	path = join(directory, 'outbox-alice-127.0.0.1_9.json');
	reports = [];
	contents = {messages: [], knownPeers: []};
	inject.failures.clear();
	inject.shortWrite = false;
});

afterEach(() => {
	vi.useRealTimers();
	fs.rmSync(directory, {recursive: true, force: true});
});

describe('loading the outbox', () => {
	it('reads what was saved, and a missing file as empty, without a word', () => {
		expect(loadOutbox(path)).toEqual({messages: [], knownPeers: []});
		saveOutbox(path, {messages: four, knownPeers: ['127.0.0.1:9']});
		expect(loadOutbox(path)).toEqual({messages: four, knownPeers: ['127.0.0.1:9'], rewrite: false});
		expect(asides()).toEqual([]);
	});

	it('reads the older one-object format, to be written again in the new one', () => {
		fs.writeFileSync(path, JSON.stringify({messages: four, knownPeers: ['x:1']}));
		expect(loadOutbox(path)).toEqual({messages: four, knownPeers: ['x:1'], rewrite: true});
	});

	it.each([
		['cut short in the last message', (text: string) => text.slice(0, -20), 3, 4],
		['cut short in the older format', () => JSON.stringify({messages: four, knownPeers: []}).slice(0, -30), 3, 4],
		['with one entry of the wrong shape', (text: string) => text.replace('"text":"message 3"', '"text":3'), 3, 4],
		['with garbage in the middle', (text: string) => text.replace('{"msgid":"s-3"', '\u0000\u0000garbage{"msgid":"s-3"'), 4, 4],
	])('keeps what is readable of a file %s, moves the file aside and says so', (_, damage, kept, total) => {
		saveOutbox(path, {messages: four, knownPeers: ['127.0.0.1:9']});
		const damaged = damage(fs.readFileSync(path, 'utf8'));
		fs.writeFileSync(path, damaged);
		const loaded = loadOutbox(path);
		expect(loaded.messages).toHaveLength(kept);
		expect(loaded.messages).toEqual(four.filter(entry => loaded.messages.some(other => other.msgid === entry.msgid)));
		expect(loaded.rewrite).toBe(true);
		expect(loaded.problem).toMatch(new RegExp(`was damaged .*moved aside to outbox-alice-127\\.0\\.0\\.1_9\\.json\\.corrupt-\\d{4}-.*; ${kept} of ${total} messages kept`));
		expect(fs.existsSync(path)).toBe(false);
		expect(asides()).toHaveLength(1);
		expect(fs.readFileSync(join(directory, asides()[0] ?? ''), 'utf8')).toBe(damaged);
	});

	it.each([
		['empty', '', /damaged \(empty\).*no messages could be read/],
		['garbage', '\u0089PNG\r\n\u001A\nnot json at all', /damaged \(not an outbox file\).*no messages could be read/],
		['of the wrong shape', '[1, 2, 3]', /damaged \(not an outbox file\)/],
		['an object without messages', '{"messages": 5}', /damaged \(not an outbox file\)/],
	])('moves aside a file that is %s', (_, text, problem) => {
		fs.writeFileSync(path, text);
		const loaded = loadOutbox(path);
		expect(loaded).toMatchObject({messages: [], knownPeers: [], rewrite: true});
		expect(loaded.problem).toMatch(problem);
		expect(asides()).toHaveLength(1);
	});

	it('says at start that a directory is in its place, and saves once it is moved', () => {
		vi.useFakeTimers();
		fs.mkdirSync(path);
		const file = open();
		expect(file.restore().messages).toEqual([]);
		expect(reports).toEqual([{text: expect.stringMatching(/outbox .* is a directory/) as string, level: 'error'}]);
		contents = {messages: [message(1)], knownPeers: []};
		file.added(message(1));
		vi.advanceTimersByTime(2000);
		expect(reports).toHaveLength(1);
		fs.rmdirSync(path);
		vi.advanceTimersByTime(60_000);
		expect(reports.at(-1)).toEqual({text: expect.stringMatching(/is saved again/) as string, level: 'info'});
		expect(loadOutbox(path).messages).toEqual([message(1)]);
		file.close();
	});
});

describe('OutboxFile', () => {
	it('has a new message on disk before added() returns, with no timer run', () => {
		const file = open();
		file.restore();
		// No file before: an empty one now, which also shows the directory takes writes.
		expect(loadOutbox(path)).toEqual({messages: [], knownPeers: [], rewrite: false});
		for (const n of [1, 2, 3]) {
			contents = {messages: [...contents.messages, message(n)], knownPeers: []};
			file.added(message(n));
			expect(loadOutbox(path).messages).toEqual(contents.messages);
		}

		expect(reports).toEqual([]);
		file.close();
	});

	it('appends a message as one line, and rewrites the whole file for the rest', () => {
		saveOutbox(path, {messages: [message(1)], knownPeers: []});
		const file = open();
		contents = {messages: file.restore().messages, knownPeers: []};
		contents = {messages: [...contents.messages, message(2)], knownPeers: []};
		file.added(message(2));
		expect(fs.readFileSync(path, 'utf8')).toBe(formatOutbox(contents));
		contents = {messages: [message(2)], knownPeers: ['127.0.0.1:9']};
		file.saveNow();
		expect(fs.readFileSync(path, 'utf8')).toBe(formatOutbox(contents));
		file.close();
	});

	it('writes what it kept of a damaged file at once, in one line at start', () => {
		saveOutbox(path, {messages: four, knownPeers: []});
		fs.writeFileSync(path, fs.readFileSync(path, 'utf8').slice(0, -20));
		const file = open();
		expect(file.restore().messages).toHaveLength(3);
		expect(reports).toHaveLength(1);
		expect(reports[0]?.text).toMatch(/3 of 4 messages kept/);
		expect(loadOutbox(path)).toEqual({messages: four.slice(0, 3), knownPeers: [], rewrite: false});
		file.close();
	});

	it('after an EMFILE (at start) says so once, retries with backoff, and says when it saves again', () => {
		vi.useFakeTimers();
		inject.failures.set('openSync', ['EMFILE', 'EMFILE']);
		const file = open();
		file.restore();
		contents = {messages: [message(1)], knownPeers: []};
		file.added(message(1));
		contents = {messages: [message(1), message(2)], knownPeers: []};
		file.added(message(2));
		expect(reports).toEqual([{text: expect.stringMatching(/Cannot save the outbox .*EMFILE/) as string, level: 'error'}]);
		vi.advanceTimersByTime(500);
		expect(reports).toHaveLength(1);
		vi.advanceTimersByTime(1000);
		expect(reports).toHaveLength(2);
		expect(reports[1]?.text).toMatch(/saved again/);
		expect(loadOutbox(path).messages).toEqual(contents.messages);
		// And it goes on saving: the next message is on disk at once.
		contents = {messages: [...contents.messages, message(3)], knownPeers: []};
		file.added(message(3));
		expect(loadOutbox(path).messages).toEqual(contents.messages);
		file.close();
	});

	it('takes back a line a full disk cut short, so the file still reads whole', () => {
		const file = open();
		file.restore();
		contents = {messages: [message(1)], knownPeers: []};
		file.added(message(1));
		inject.shortWrite = true;
		contents = {messages: [message(1), message(2, 'x'.repeat(5000))], knownPeers: []};
		file.added(message(2, 'x'.repeat(5000)));
		expect(reports[0]?.text).toMatch(/no space left/);
		expect(loadOutbox(path)).toEqual({messages: [message(1)], knownPeers: [], rewrite: false});
		file.close();
		expect(loadOutbox(path).messages).toEqual(contents.messages);
	});

	it('rewrites a burst of messages (a paste) within a moment, synced', async () => {
		const file = open();
		file.restore();
		for (let n = 1; n <= 100; n++) {
			contents = {messages: [...contents.messages, message(n)], knownPeers: []};
			file.added(message(n));
		}

		expect(loadOutbox(path).messages).toHaveLength(100);
		await vi.waitFor(() => {
			expect(fs.readFileSync(path, 'utf8')).toBe(formatOutbox(contents));
		});
		file.close();
	});
});

const root = process.getuid?.() === 0;
describe.skipIf(!root)('on a read-only file system (root: a small tmpfs)', () => {
	let mountPoint: string;
	beforeEach(() => {
		mountPoint = join(directory, 'state');
		fs.mkdirSync(mountPoint);
		execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mountPoint]);
		path = join(mountPoint, 'outbox.json');
	});
	afterEach(() => {
		execFileSync('umount', [mountPoint]);
	});

	it('says at start that messages cannot be kept, before anything is typed', () => {
		saveOutbox(path, {messages: [message(1)], knownPeers: []});
		execFileSync('mount', ['-o', 'remount,ro', mountPoint]);
		const file = open();
		expect(file.restore().messages).toEqual([message(1)]);
		expect(reports).toEqual([{text: expect.stringMatching(/Cannot save the outbox .*EROFS/) as string, level: 'error'}]);
		file.close();
		expect(reports).toHaveLength(1);
	});
});
