import {mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {ChatLog, formatLogLine} from '../../source/net/history/chat-log.js';
import type {ChatLine} from '../../source/domain/snapshot.js';

const time = Date.UTC(2024, 0, 2, 3, 4, 5, 678);
const stamp = '2024-01-02T03:04:05.678Z';

const incoming: ChatLine = {id: 1, time, kind: 'in', transport: 'udp', from: 'alice', address: '127.0.0.1:7852', text: '你好 there'};
const outgoing: ChatLine = {id: 2, time, kind: 'out', transport: 'tcp', from: 'me', to: 'bob (127.0.0.1:9)', text: 'hi', delivery: 'pending'};
const action: ChatLine = {...incoming, id: 3, text: 'waves', action: true};
const notice: ChatLine = {id: 4, time, kind: 'system', level: 'error', text: 'TCP: connection refused'};

describe('formatLogLine', () => {
	it('writes a received line with its time, transport, address, sender and text', () => {
		expect(formatLogLine(incoming)).toBe(`${stamp} udp from 127.0.0.1:7852 <alice> 你好 there\n`);
	});

	it('writes a sent line with where it went', () => {
		expect(formatLogLine(outgoing)).toBe(`${stamp} tcp to bob (127.0.0.1:9) <me> hi\n`);
	});

	it('writes an action as "* nick text"', () => {
		expect(formatLogLine(action)).toBe(`${stamp} udp from 127.0.0.1:7852 * alice waves\n`);
	});

	it('writes a system line after "-!-"', () => {
		expect(formatLogLine(notice)).toBe(`${stamp} -!- TCP: connection refused\n`);
	});

	it('writes each line as exactly one line', () => {
		for (const line of [incoming, outgoing, action, notice]) {
			expect(formatLogLine(line).split('\n')).toHaveLength(2);
		}
	});
});

describe('ChatLog', () => {
	let directory: string;
	let file: string;

	beforeEach(() => {
		directory = mkdtempSync(path.join(tmpdir(), 'tnc-log-'));
		file = path.join(directory, 'chat.log');
	});

	afterEach(() => {
		rmSync(directory, {recursive: true, force: true});
	});

	it('has every line written in the file once flush returns, in order', () => {
		const log = new ChatLog(file);
		log.write(incoming);
		log.write(outgoing);
		log.flush();
		expect(readFileSync(file, 'utf8')).toBe(formatLogLine(incoming) + formatLogLine(outgoing));
		log.close();
	});

	it('writes what it gathered by the end of the turn of the event loop, without a flush', async () => {
		const log = new ChatLog(file);
		log.write(incoming);
		await new Promise(resolve => {
			setImmediate(resolve);
		});
		expect(readFileSync(file, 'utf8')).toBe(formatLogLine(incoming));
		log.close();
	});

	it('appends to a log that already exists', () => {
		writeFileSync(file, 'earlier session\n');
		const log = new ChatLog(file);
		log.write(incoming);
		log.close();
		expect(readFileSync(file, 'utf8')).toBe(`earlier session\n${formatLogLine(incoming)}`);
	});

	it('creates the file readable by its owner only', () => {
		new ChatLog(file).close();
		expect(statSync(file).mode & 0o077).toBe(0);
	});

	it('closes twice without harm and ignores writes after closing', () => {
		const log = new ChatLog(file);
		log.close();
		log.close();
		log.write(incoming);
		expect(readFileSync(file, 'utf8')).toBe('');
	});

	it('refuses at once a device that takes nothing (/dev/full): the start fails with its reason, not the log later', () => {
		// A disk that fills while the chat runs is test/net/log-full-disk.test.ts.
		expect(() => new ChatLog('/dev/full', () => undefined)).toThrow(expect.objectContaining({code: 'ENOSPC'}));
		expect(() => new ChatLog('/proc/version', () => undefined)).toThrow(expect.objectContaining({code: 'EIO'}));
	});

	it('throws when the file cannot be opened', () => {
		expect(() => new ChatLog(path.join(directory, 'missing', 'chat.log'))).toThrow(/ENOENT/);
	});
});
