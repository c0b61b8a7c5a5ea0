// LAN discovery as a person meets it: tui-netchat started with no --peer in three namespaces of a LAN in a
// box, in tmux; they list each other, python-zeroconf (a foreign mDNS browser) lists them, a plain `nc -u -l
// 7852` on a fourth host hears nothing, and picking a peer from /peers starts a conversation.
// Needs root, iproute2, nftables, tmux, netcat-openbsd and python3-zeroconf: without them these tests fail.

import {fileURLToPath} from 'node:url';
import {afterAll, afterEach, beforeAll, describe, expect, test} from 'vitest';
import {cliPath, requireBuiltCli, statusBar} from '../e2e/support.js';
import {Tmux} from '../helpers/tmux.js';
import {findPython} from './mdns-harness.js';
import {assertNetns, assertNft, buildLan, type Lan} from './netns.js';

const browser = fileURLToPath(new URL('zeroconf-browse.py', import.meta.url));
const tmux = new Tmux('lan-chat');
const lans: Lan[] = [];

beforeAll(() => {
	requireBuiltCli();
	assertNetns();
	assertNft();
});

afterEach(async () => {
	tmux.kill();
	await Promise.all(lans.splice(0).map(async lan => lan.close()));
});

afterAll(() => {
	tmux.kill();
});

async function lanOf(count: number, extraHosts = 0): Promise<Lan> {
	const lan = await buildLan({
		bridges: ['a'],
		hosts: Array.from({length: count + extraHosts}, (_, index) => ({name: `h${index + 1}`, links: [{bridge: 'a', address: `10.77.0.${index + 1}/24`}]})),
	});
	lans.push(lan);
	return lan;
}

/**
 * tui-netchat in the host's namespace, in a tmux session named after the nick, as a user starts it: discovery
 * by default (the tests' TUI_NETCHAT_DISCOVERY=off, which keeps every other test off the machine's LAN, removed).
 */
function startChat(lan: Lan, host: string, nick: string, ...args: string[]): void {
	tmux.start(nick, ['ip', 'netns', 'exec', lan.host(host).netns, 'env', '-u', 'TUI_NETCHAT_DISCOVERY', process.execPath, cliPath, '-n', nick, ...args], {width: 120, height: 30});
}

const foundLine = (nick: string) => new RegExp(`-!- ${nick} is on the LAN at (10\\.77\\.0\\.\\d+:7852) \\(eth0\\): /query (\\d+) to chat\\.`);
/** Under loss the first beacon heard may be the IPv6 copy: found at the link-local address then. */
const foundAnywhere = (nick: string) => new RegExp(`-!- ${nick} is on the LAN at (10\\.77\\.0\\.\\d+|\\[fe80::[\\da-f:]+%eth0\\]):7852 \\(eth0\\)`);

async function waitFound(viewer: string, nicks: readonly string[], timeout = 10_000, line = foundLine): Promise<string> {
	return tmux.waitForPane(viewer, pane => nicks.every(nick => line(nick).test(pane)), `${nicks.join(', ')} found on the LAN`, {timeout});
}

describe('LAN discovery in a LAN in a box', () => {
	test('three instances list each other; zeroconf lists them; nc on 7852 hears nothing; picking one chats', async () => {
		const lan = await lanOf(3, 1);
		const plain = lan.exec('h4', ['nc', '-u', '-l', '-k', '7852']);
		let plainHeard = '';
		plain.stdout?.on('data', (chunk: Buffer) => {
			plainHeard += chunk.toString('latin1');
		});
		const nicks = ['alice', 'bob', 'carol'];
		for (const [index, nick] of nicks.entries()) {
			startChat(lan, `h${index + 1}`, nick);
		}

		for (const nick of nicks) {
			await waitFound(nick, nicks.filter(other => other !== nick));
			await tmux.waitForPane(nick, pane => statusBar(pane).includes('LAN 2'), 'LAN 2 in the status bar');
		}

		// /peers: nick, address, interface and our address there, last seen.
		tmux.submit('alice', '/peers');
		const peers = await tmux.waitForPane('alice', pane => /On the LAN/.test(pane) && /\d+\. carol 10\.77\.0\.3:7852 on eth0 \(10\.77\.0\.1\), last seen \d+s ago/.test(pane), '/peers listing carol');
		expect(peers).toMatch(/\d+\. bob 10\.77\.0\.2:7852 on eth0 \(10\.77\.0\.1\), last seen \d+s ago/);

		// A foreign mDNS browser on the fourth host lists all three, each at its address and chat port.
		const browsed = await lan.run('h4', [findPython(), browser, '10.77.0.4', '15', '3'], {timeout: 30_000});
		const added = browsed.stdout.split('\n').filter(Boolean).map(line => JSON.parse(line) as {event: string; name?: string; port?: number; addresses?: string[]}).filter(event => event.event === 'added');
		expect(added.map(service => service.name?.replace(/ on .*/, '')).sort()).toEqual(['alice', 'bob', 'carol']);
		expect(added.map(service => service.port)).toEqual([7852, 7852, 7852]);
		expect(added.flatMap(service => service.addresses ?? []).sort()).toEqual(['10.77.0.1', '10.77.0.2', '10.77.0.3']);

		// Picking bob by the number alice was shown starts a conversation; bob gets exactly what was typed.
		const number = foundLine('bob').exec(tmux.capture('alice'))?.[2];
		expect(number).toBeDefined();
		tmux.submit('alice', `/query ${number}`);
		await tmux.waitForPane('alice', pane => statusBar(pane).includes('bob (10.77.0.2:7852)'), 'the query to bob');
		tmux.submit('alice', 'hello bob, found on the LAN');
		await tmux.waitForPane('bob', pane => /<alice> hello bob, found on the LAN/.test(pane), 'alice\'s line at bob');
		// The first line is plain text (bob is not known to be a tui-netchat yet); after the greetings, lines are acknowledged.
		tmux.submit('alice', 'and a second one');
		await tmux.waitForPane('alice', pane => /<alice> and a second one ✓/.test(pane), 'the second line delivered');

		// carol quits: the others say so (alice goes back to buffer 1, where LAN news is).
		tmux.press('alice', 'M-1');
		tmux.press('carol', 'C-c');
		for (const nick of ['alice', 'bob']) {
			await tmux.waitForPane(nick, pane => /carol \(10\.77\.0\.3:7852\) left the LAN\./.test(pane) && statusBar(pane).includes('LAN 1'), 'carol gone');
		}

		// The plain peer on the tutorial's port heard no discovery traffic at all.
		expect(plainHeard).toBe('');
	}, 60_000);

	test('with 30% of datagrams lost on every link, two instances still find each other', async () => {
		const lan = await lanOf(2);
		for (const host of ['h1', 'h2']) {
			await lan.loss(host, 30);
		}

		startChat(lan, 'h1', 'alice');
		startChat(lan, 'h2', 'bob');
		await waitFound('alice', ['bob'], 20_000, foundAnywhere);
		await waitFound('bob', ['alice'], 20_000, foundAnywhere);
		expect(await lan.dropped()).toBeGreaterThan(0);
	}, 60_000);

	test('--no-discovery is not found and finds nobody; --discover lists who is there and exits', async () => {
		const lan = await lanOf(3);
		startChat(lan, 'h1', 'alice');
		tmux.start('quiet', ['ip', 'netns', 'exec', lan.host('h2').netns, process.execPath, cliPath, '--no-discovery', '-n', 'quiet'], {width: 120, height: 30});
		await tmux.waitForPane('quiet', pane => /Listening on UDP and TCP port 7852/.test(pane), 'the quiet instance up');
		const listed = await lan.run('h3', [process.execPath, cliPath, '--discover'], {timeout: 15_000});
		expect(listed.code).toBe(0);
		expect(listed.stdout).toBe('alice\t10.77.0.1:7852\teth0\t10.77.0.3\n');
		tmux.submit('quiet', '/who');
		await tmux.waitForPane('quiet', pane => /LAN discovery is off/.test(pane), '/who saying discovery is off');
		expect(statusBar(tmux.capture('quiet'))).not.toMatch(/LAN \d/);
		// --discover never announced itself: alice heard of nobody.
		tmux.submit('alice', '/peers');
		await tmux.waitForPane('alice', pane => /Nobody found on the LAN yet/.test(pane), 'alice finding nobody');
	}, 60_000);

	test('a host on two LANs sees each peer on its own interface', async () => {
		const lan = await buildLan({
			bridges: ['a', 'b'],
			hosts: [
				{name: 'h1', links: [{bridge: 'a', address: '10.77.1.1/24'}]},
				{name: 'h2', links: [{bridge: 'a', address: '10.77.1.2/24'}, {bridge: 'b', address: '10.77.2.2/24'}]},
				{name: 'h3', links: [{bridge: 'b', address: '10.77.2.3/24'}]},
			],
		});
		lans.push(lan);
		startChat(lan, 'h1', 'alice');
		startChat(lan, 'h2', 'bob');
		startChat(lan, 'h3', 'carol');
		await tmux.waitForPane('bob', pane => /alice is on the LAN at 10\.77\.1\.1:7852 \(eth0\)/.test(pane) && /carol is on the LAN at 10\.77\.2\.3:7852 \(eth1\)/.test(pane), 'alice on eth0 and carol on eth1');
		// Each side LAN sees bob at the address it has there, and not the other side's peer.
		await tmux.waitForPane('alice', pane => /bob is on the LAN at 10\.77\.1\.2:7852 \(eth0\)/.test(pane), 'bob from alice');
		await tmux.waitForPane('carol', pane => /bob is on the LAN at 10\.77\.2\.2:7852 \(eth0\)/.test(pane), 'bob from carol');
		tmux.submit('bob', '/peers');
		await tmux.waitForPane('bob', pane => /carol 10\.77\.2\.3:7852 on eth1 \(10\.77\.2\.2\)/.test(pane), '/peers with eth1');
		expect(tmux.capture('alice')).not.toMatch(/carol is on the LAN/);
	}, 60_000);
});
