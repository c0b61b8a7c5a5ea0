import {afterEach, describe, expect, it, vi} from 'vitest';
import type {ChatService} from '../../source/net/index.js';
import {freePort} from '../helpers/ports.js';
import {closeAll, isIn, port, startService, waitForLine} from '../helpers/service.js';

afterEach(async () => {
	await closeAll();
});

function noRawTags(service: ChatService): void {
	for (const line of service.getSnapshot().lines) {
		expect(line.text.startsWith('@')).toBe(false);
	}
}

describe('peers that come and go over UDP', () => {
	it('introduces itself again to a peer that was not running when it first wrote', async () => {
		const bobPort = await freePort();
		const alice = await startService({nick: 'alice', peer: {host: '127.0.0.1', port: bobPort}});
		alice.send('while you were away');
		await waitForLine(alice, line => line.kind === 'system' && line.text.includes('ECONNREFUSED'));
		const bob = await startService({nick: 'bob', port: bobPort});
		alice.send('now you are here');
		await waitForLine(bob, isIn('now you are here'));
		bob.send('hello alice');
		await waitForLine(alice, isIn('hello alice'));
		alice.send('third');
		await waitForLine(bob, isIn('third'));
		await waitForLine(alice, line => line.kind === 'out' && line.text === 'third' && line.delivery === 'delivered');
		noRawTags(bob);
		expect(bob.getSnapshot().lines.find(line => line.kind === 'in' && line.text === 'third')).toMatchObject({from: 'alice'});
	});

	it('reads the tags of a tui-netchat that knew it before it restarted, and introduces itself again', async () => {
		const alice = await startService({nick: 'alice'});
		const bob = await startService({nick: 'bob', peer: {host: '127.0.0.1', port: port(alice)}});
		bob.send('hi');
		await waitForLine(alice, isIn('hi'));
		alice.send('hello bob');
		await waitForLine(bob, isIn('hello bob'));
		await vi.waitFor(() => {
			expect(alice.getSnapshot().peers.some(peer => peer.tnc)).toBe(true);
		});
		const bobPort = port(bob);
		await bob.close();
		const bob2 = await startService({nick: 'bob', port: bobPort, peer: {host: '127.0.0.1', port: port(alice)}});
		alice.send('are you back?');
		await waitForLine(bob2, isIn('are you back?'));
		await waitForLine(alice, line => line.kind === 'out' && line.text === 'are you back?' && line.delivery === 'delivered');
		noRawTags(bob2);
	});
});
