import {afterEach, describe, expect, it} from 'vitest';
import type {ChatLine} from '../../source/domain/snapshot.js';
import type {Protocol} from '../../source/domain/endpoint.js';
import type {ChatService} from '../../source/net/index.js';
import {closeRawPeers, eventually, rawUdp} from '../helpers/raw-peers.js';
import {closeAll, port, startService, waitForLine} from '../helpers/service.js';

afterEach(async () => {
	await closeAll();
	closeRawPeers();
});

const inFrom = (text: string, from: string) => (line: ChatLine) => line.kind === 'in' && line.text === text && line.from === from;
const isSystem = (text: string) => (line: ChatLine) => line.kind === 'system' && line.text === text;
const local = (service: ChatService) => ({host: '127.0.0.1', port: port(service)});

/** Two tui-netchat instances that know each other: bob dialled alice, one message each way. */
async function pair(protocol: Protocol): Promise<{alice: ChatService; bob: ChatService}> {
	const alice = await startService({nick: 'alice', protocol});
	const bob = await startService({nick: 'bob', protocol, peer: local(alice)});
	bob.send('hi alice');
	await waitForLine(alice, inFrom('hi alice', 'bob'));
	alice.send('hi bob');
	await waitForLine(bob, inFrom('hi bob', 'alice'));
	return {alice, bob};
}

describe.each<Protocol>(['udp', 'tcp'])('presence between tui-netchat peers over %s', protocol => {
	it('shows "alice left (reason)" in alice\'s conversation when she quits', async () => {
		const {alice, bob} = await pair(protocol);
		await alice.quit('gone home');
		const left = await waitForLine(bob, isSystem('alice left (gone home).'));
		const conversation = received(bob)[0]?.conversation;
		expect(left.conversation).toBe(conversation);
		if (protocol === 'tcp') {
			// Her connection closing is not said again.
			await new Promise(resolve => setTimeout(resolve, 200));
			expect(bob.getSnapshot().lines.filter(line => line.kind === 'system' && line.text.includes('closed the connection'))).toEqual([]);
		}
	});

	it('shows "alice left." when she quits without a reason', async () => {
		const {alice, bob} = await pair(protocol);
		await alice.quit();
		await waitForLine(bob, isSystem('alice left.'));
	});

	it('shows "alice is away: text" and then "alice is back."', async () => {
		const {alice, bob} = await pair(protocol);
		alice.away('in a meeting; back at 3');
		await waitForLine(bob, isSystem('alice is away: in a meeting; back at 3'));
		await waitForLine(alice, isSystem('You are away: in a meeting; back at 3 (1 tui-netchat peer was told).'));
		alice.away();
		await waitForLine(bob, isSystem('alice is back.'));
		// Nothing shows as a message from her.
		expect(received(bob).map(line => line.text)).toEqual(['hi bob']);
	});
});

describe('presence and plain peers', () => {
	it('tells a plain peer nothing on /away or /quit', async () => {
		const plain = await rawUdp();
		const alice = await startService({nick: 'alice', peer: {host: '127.0.0.1', port: plain.port}});
		alice.send('hello nc');
		await eventually(() => {
			expect(plain.texts()).toContain('hello nc\n');
		});
		alice.away('lunch');
		await waitForLine(alice, isSystem('You are away: lunch (0 tui-netchat peers were told).'));
		await alice.quit('bye');
		await new Promise(resolve => setTimeout(resolve, 100));
		expect(plain.texts().filter(text => text.startsWith('@') || text.includes('lunch') || text.includes('bye'))).toEqual([]);
	});
});

function received(service: ChatService): Array<Extract<ChatLine, {kind: 'in'}>> {
	return service.getSnapshot().lines.filter((line): line is Extract<ChatLine, {kind: 'in'}> => line.kind === 'in');
}
