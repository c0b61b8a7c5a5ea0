import {execFileSync} from 'node:child_process';
import {closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync} from 'node:fs';
import {createSocket} from 'node:dgram';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import {ChatLog} from '../../source/net/history/chat-log.js';
import type {ChatLine} from '../../source/domain/snapshot.js';
import {closeAll, port, startService, waitForLine} from '../helpers/service.js';

/** Fills the rest of a file system: every byte the disk would still take goes to one file. */
function fill(path: string): void {
	const fd = openSync(path, 'w');
	const block = Buffer.alloc(4096, 0x2e);
	try {
		for (;;) {
			writeSync(fd, block);
		}
	} catch {
		// ENOSPC: full.
	} finally {
		closeSync(fd);
	}
}

/** Every line whole: the file ends with a newline and each line has the log's shape. */
function expectWholeLines(text: string): void {
	expect(text.endsWith('\n')).toBe(true);
	for (const line of text.slice(0, -1).split('\n')) {
		expect(line).toMatch(/^(earlier session|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (udp|tcp|-!-) .*(end|\.))$/);
	}
}

const root = process.getuid?.() === 0;

describe.skipIf(!root)('--log on a full disk (a 64 KiB tmpfs)', () => {
	let directory: string;
	let mountPoint: string;
	beforeEach(() => {
		directory = mkdtempSync(join(tmpdir(), 'tnc-full-disk-'));
		mountPoint = join(directory, 'disk');
		mkdirSync(mountPoint);
		execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mountPoint]);
	});
	afterEach(async () => {
		await closeAll();
		execFileSync('umount', [mountPoint]);
		rmSync(directory, {recursive: true, force: true});
	});

	it('cuts a line the disk took only part of, so each line is whole or absent, and says so once', () => {
		const file = join(mountPoint, 'chat.log');
		writeFileSync(file, 'earlier session\n');
		// The log's first page has room for about 4 KiB more; then the disk is full.
		fill(join(mountPoint, 'filler'));
		const errors: unknown[] = [];
		const log = new ChatLog(file, error => errors.push(error));
		const line = (n: number): ChatLine => ({id: n, time: Date.now(), kind: 'in', transport: 'udp', from: 'bob', address: '127.0.0.1:9', text: `${n} ${'x'.repeat(300)} end`});
		for (let n = 0; n < 40; n++) {
			log.write(line(n));
		}

		log.flush();
		log.write(line(99));
		log.flush();
		log.close();
		const text = readFileSync(file, 'utf8');
		expectWholeLines(text);
		expect(text.split('\n').length).toBeGreaterThan(5);
		expect(text).not.toContain('99 x');
		expect(errors).toHaveLength(1);
		expect(errors[0]).toMatchObject({code: 'ENOSPC'});
	});

	it('stops the log of a running chat with one line saying why, and every line in the file whole', async () => {
		const file = join(mountPoint, 'chat.log');
		const alice = await startService({nick: 'alice', logPath: file});
		fill(join(mountPoint, 'filler'));
		const socket = createSocket('udp4');
		try {
			for (let n = 0; n < 60; n++) {
				socket.send(`${n} ${'y'.repeat(200)} end`, port(alice), '127.0.0.1');
				// eslint-disable-next-line no-await-in-loop
				await new Promise(resolve => {
					setTimeout(resolve, 2);
				});
			}

			const stopped = await waitForLine(alice, line => line.kind === 'system' && line.text.includes('--log'));
			expect(stopped).toMatchObject({level: 'error'});
			expect(stopped.kind === 'system' && stopped.text).toMatch(/writing failed, so the log stops here: no space left on the device \(ENOSPC\)/);
			await vi.waitFor(() => {
				expect(alice.getSnapshot().lines.filter(line => line.kind === 'in')).toHaveLength(60);
			});
			expect(alice.getSnapshot().lines.filter(line => line.kind === 'system' && line.text.includes('--log'))).toHaveLength(1);
		} finally {
			socket.close();
		}

		await closeAll();
		const text = readFileSync(file, 'utf8');
		expectWholeLines(text);
		expect(text).toContain(' end\n');
	});
});
