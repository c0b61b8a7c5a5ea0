import {execFileSync} from 'node:child_process';
import {closeSync, constants, mkdtempSync, openSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {ChatLog} from '../../source/net/history/chat-log.js';
import {FloodGate} from '../../source/net/session/flood-gate.js';
import {PeerBook} from '../../source/net/session/peers.js';
import {Reassembler} from '../../source/net/session/reassembler.js';

describe('Reassembler', () => {
	it('puts pieces back together in any order', () => {
		const reassembler = new Reassembler();
		expect(reassembler.add('m', 2, 3, 'c')).toBeUndefined();
		expect(reassembler.add('m', 0, 3, 'a')).toBeUndefined();
		expect(reassembler.add('m', 1, 3, 'b')).toBe('abc');
		expect(reassembler.size).toBe(0);
	});

	it('refuses more pieces or bytes than its limits, and holds few messages at once', () => {
		const reassembler = new Reassembler({messages: 2, pieces: 4, bytes: 10, ageMs: 1000});
		expect(reassembler.add('a', 0, 5, 'x')).toBeUndefined();
		expect(reassembler.size).toBe(0);
		expect(reassembler.add('b', 0, 2, 'x'.repeat(11))).toBeUndefined();
		expect(reassembler.size).toBe(0);
		for (const key of ['c', 'd', 'e']) {
			reassembler.add(key, 0, 2, 'x');
		}

		expect(reassembler.size).toBe(2);
	});

	it('gives up on a message whose pieces stop coming', () => {
		let now = 0;
		const reassembler = new Reassembler({messages: 10, pieces: 4, bytes: 100, ageMs: 1000}, () => now);
		reassembler.add('old', 0, 2, 'x');
		now = 5000;
		reassembler.add('new', 0, 2, 'y');
		expect(reassembler.size).toBe(1);
		expect(reassembler.add('old', 1, 2, 'z')).toBeUndefined();
	});
});

describe('FloodGate', () => {
	it('counts one flood per key however many senders share it, and reports what it dropped once', () => {
		const gate = new FloodGate(3, 0.001);
		const admitted = Array.from({length: 10}, () => gate.admit('udp-host:10.0.0.9', '10.0.0.9:4000')).filter(Boolean).length;
		expect(admitted).toBe(3);
		expect(gate.takeDrops()).toEqual([{name: '10.0.0.9:4000', dropped: 7}]);
		expect(gate.takeDrops()).toEqual([]);
	});

	it('tracks a bounded number of senders', () => {
		const gate = new FloodGate(1, 1, 10);
		for (let index = 0; index < 1000; index++) {
			gate.admit(`k${index}`, 'x');
		}

		// The first is forgotten, so it starts with a full bucket again.
		expect(gate.admit('k0', 'x')).toBe(true);
	});
});

describe('PeerBook', () => {
	it('forgets the plain UDP senders heard from least recently beyond 512', () => {
		const book = new PeerBook();
		const first = book.udp('10.0.0.1', 1);
		for (let port = 2; port <= 600; port++) {
			book.udp('10.0.0.1', port);
		}

		expect(book.list().filter(peer => peer.transport === 'udp')).toHaveLength(512);
		expect(book.get(first.key)).toBeUndefined();
		expect(book.get('udp:10.0.0.1:600')).toBeDefined();
	});
});

describe('ChatLog', () => {
	it('refuses a device that takes no writes when it opens, instead of failing later (a full disk later: log-full-disk.test.ts)', () => {
		expect(() => new ChatLog('/dev/full', () => undefined)).toThrow(expect.objectContaining({code: 'ENOSPC'}));
	});
});

describe('ChatLog on a pipe', () => {
	it('stops with EAGAIN instead of blocking when the reader of a pipe does not read', () => {
		const directory = mkdtempSync(join(tmpdir(), 'tui-netchat-fifo-'));
		const fifo = join(directory, 'log');
		execFileSync('mkfifo', [fifo]);
		// A reader that never reads.
		const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
		try {
			const errors: unknown[] = [];
			const log = new ChatLog(fifo, error => errors.push(error));
			for (let index = 0; index < 2000; index++) {
				log.write({id: index, time: 0, kind: 'system', level: 'info', text: 'x'.repeat(100)});
				log.flush();
			}

			expect(errors).toHaveLength(1);
			expect((errors[0] as {code?: string}).code).toBe('EAGAIN');
		} finally {
			closeSync(reader);
			rmSync(directory, {recursive: true, force: true});
		}
	});
});
