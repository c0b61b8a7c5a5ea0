import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {closeAll, isIn, startService, waitForLine} from '../helpers/service.js';
import {freePort} from '../helpers/ports.js';

const directories: string[] = [];
afterEach(async () => {
	await closeAll();
	for (const directory of directories.splice(0)) {
		rmSync(directory, {recursive: true, force: true});
	}
});

function stateDir(): string {
	const directory = mkdtempSync(join(tmpdir(), 'tui-netchat-state-'));
	directories.push(directory);
	return directory;
}

describe('the outbox', () => {
	it('keeps messages typed while the TCP peer is down as pending, and delivers them once, in order, when it comes', async () => {
		const port = await freePort();
		const alice = await startService({nick: 'alice', protocol: 'tcp', peer: {host: '127.0.0.1', port}, retryBaseMs: 50});
		alice.send('one');
		alice.send('two');
		await vi.waitFor(() => {
			expect(alice.getSnapshot().lines.filter(line => line.kind === 'out' && line.delivery === 'pending')).toHaveLength(2);
			expect(alice.getSnapshot().tcp.link).toBe('retrying');
		});
		const bob = await startService({nick: 'bob', protocol: 'tcp', port});
		await waitForLine(bob, isIn('two'), 10_000);
		expect(bob.getSnapshot().lines.filter(line => line.kind === 'in').map(line => line.text)).toEqual(['one', 'two']);
		await vi.waitFor(() => {
			expect(alice.getSnapshot().lines.filter(line => line.kind === 'out' && line.delivery === 'pending')).toHaveLength(0);
		});
	});

	it('survives a restart: messages pending when the program ended go out when it runs again and the peer is back', async () => {
		const directory = stateDir();
		const port = await freePort();
		const first = await startService({nick: 'alice', protocol: 'tcp', peer: {host: '127.0.0.1', port}, stateDir: directory, retryBaseMs: 50});
		first.send('kept across restarts');
		await vi.waitFor(() => {
			expect(first.undelivered()).toBe(1);
		});
		await first.close();

		const bob = await startService({nick: 'bob', protocol: 'tcp', port});
		const second = await startService({nick: 'alice', protocol: 'tcp', peer: {host: '127.0.0.1', port}, stateDir: directory, retryBaseMs: 50});
		await waitForLine(second, line => line.kind === 'system' && line.text.includes('1 undelivered message from last time'));
		await waitForLine(bob, isIn('kept across restarts'), 10_000);
		await vi.waitFor(() => {
			expect(second.undelivered()).toBe(0);
		});
		await second.close();
		const third = await startService({nick: 'alice', protocol: 'tcp', peer: {host: '127.0.0.1', port}, stateDir: directory});
		expect(third.getSnapshot().lines.some(line => line.kind === 'system' && line.text.includes('from last time'))).toBe(false);
	});

	it('redelivers unacknowledged messages to a known tui-netchat peer after a restart, and the peer shows each once', async () => {
		const directory = stateDir();
		const port = await freePort();
		const bob = await startService({nick: 'bob', protocol: 'tcp', port});
		const alice = await startService({nick: 'alice', protocol: 'tcp', peer: {host: '127.0.0.1', port}, stateDir: directory, retryBaseMs: 50});
		alice.send('hello');
		await waitForLine(bob, isIn('hello'));
		await vi.waitFor(() => {
			expect(alice.getSnapshot().peers.some(peer => peer.tnc)).toBe(true);
		});
		await bob.close();
		alice.send('while you were away');
		await vi.waitFor(() => {
			expect(alice.undelivered()).toBe(1);
		});
		await alice.close();

		const bob2 = await startService({nick: 'bob', protocol: 'tcp', port});
		const alice2 = await startService({nick: 'alice', protocol: 'tcp', peer: {host: '127.0.0.1', port}, stateDir: directory, retryBaseMs: 50});
		await waitForLine(bob2, isIn('while you were away'), 10_000);
		await waitForLine(alice2, line => line.kind === 'out' && line.text === 'while you were away' && line.delivery === 'delivered', 10_000);
		expect(bob2.getSnapshot().lines.filter(line => line.kind === 'in' && line.text === 'while you were away')).toHaveLength(1);
		expect(bob2.getSnapshot().lines.find(line => line.kind === 'in')).toMatchObject({from: 'alice'});
	});
});
