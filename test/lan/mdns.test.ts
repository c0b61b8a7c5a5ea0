// mDNS/DNS-SD on a LAN in a box: MdnsAdvertiser (source/net/discovery/mdns.ts) runs inside network namespaces
// (test/lan/mdns-entry.ts, one process each) and python-zeroconf, a foreign implementation, browses from
// another host (test/lan/zeroconf-browse.py). Needs root, iproute2 and python3-zeroconf (apt).

import {randomBytes} from 'node:crypto';
import {fileURLToPath} from 'node:url';
import {afterAll, beforeAll, expect, test} from 'vitest';
import {waitFor} from '../helpers/wait.js';
import {bundleForNamespace, removeBundles} from './bundle.js';
import {findPython, flushed, type Legacy, problems, repliedFrom, type Seen, type Watched, watch} from './mdns-harness.js';
import {assertNetns, buildLan, type Lan} from './netns.js';

type Advertiser = Watched & {readonly id: string; readonly address: string; readonly startedAt: () => number};
const entry = fileURLToPath(new URL('mdns-entry.ts', import.meta.url));
const rogueEntry = fileURLToPath(new URL('mdns-rogue.ts', import.meta.url));
const browseScript = fileURLToPath(new URL('zeroconf-browse.py', import.meta.url));
const subnet = '10.77.53';
const subnetB = '10.77.54';
const wait = {timeout: 15_000};

let lan: Lan;
let bundle: string;
let rogueBundle: string;
let browser: Watched;
/** A second browser, on the other bridge. */
let browserB: Watched;
const advertisers = new Map<string, Advertiser>();

function seen(watched = browser): Seen[] {
	return watched.lines.map(line => JSON.parse(line) as Seen);
}

const describeBrowser = () => `browser saw:\n${seen().filter(event => event.event !== 'record').map(event => JSON.stringify(event)).join('\n')}`;

/** The browser's latest view of the instance with this id, once it has resolved it. */
function listed(id: string, watched = browser): Seen | undefined {
	return seen(watched).findLast(event => (event.event === 'added' || event.event === 'updated') && event.properties?.id === id);
}

function removed(name: string): boolean {
	return seen().some(event => event.event === 'removed' && event.name === name);
}

function advertise(host: string, nick: string, port: number, options: {sealed?: boolean; address?: string} = {}): Advertiser {
	const id = randomBytes(8).toString('hex');
	const interfaces = options.address === undefined ? lan.host(host).interfaces : [{name: 'eth0', address: options.address}];
	const address = interfaces[0]!.address;
	const pairs = interfaces.flatMap(iface => [iface.name, iface.address]);
	const child = lan.exec(host, [process.execPath, bundle, id, nick, String(port), options.sealed ? '1' : '0', ...pairs]);
	const watched = watch(child);
	const startedAt = () => Number(watched.lines.find(line => line.startsWith('started '))?.slice('started '.length));
	const advertiser = Object.assign(watched, {id, address, startedAt});
	advertisers.set(nick, advertiser);
	return advertiser;
}

/** test/lan/mdns-rogue.ts on a host (its address first), to the end: what it printed. */
async function rogue<T>(host: string, command: string, ...args: string[]): Promise<T> {
	const me = lan.host(host).interfaces[0]!.address;
	const {code, stdout, stderr} = await lan.run(host, [process.execPath, rogueBundle, command, me, ...args], {timeout: 25_000});
	expect(code, stderr).toBe(0);
	return JSON.parse(stdout) as T;
}

beforeAll(async () => {
	assertNetns();
	const python = findPython();
	lan = await buildLan({
		bridges: ['a', 'b'],
		hosts: [
			...[1, 2, 3, 4, 5].map(n => ({name: `h${n}`, links: [{bridge: 'a', address: `${subnet}.${n}/24`}]})),
			{name: 'h6', links: [{bridge: 'a', address: `${subnet}.6/24`}, {bridge: 'b', address: `${subnetB}.6/24`}]},
			{name: 'h7', links: [{bridge: 'b', address: `${subnetB}.7/24`}]},
		],
	});
	bundle = await bundleForNamespace(entry);
	rogueBundle = await bundleForNamespace(rogueEntry);
	browser = watch(lan.exec('h4', [python, browseScript, `${subnet}.4`, '600']));
	browserB = watch(lan.exec('h7', [python, browseScript, `${subnetB}.7`, '600']));
	await waitFor(() => browser.lines.length > 0 && browserB.lines.length > 0, {what: 'the zeroconf browsers to start', timeout: 15_000});
}, 40_000);

afterAll(async () => {
	await lan?.close();
	removeBundles();
});

test('python-zeroconf on a fourth host lists three advertisers with their port, address and TXT', async () => {
	const started = [advertise('h1', 'alice', 7101), advertise('h2', 'bob', 7102), advertise('h3', 'carol', 7103)];
	const found = await waitFor(() => (started.every(a => listed(a.id)?.port !== undefined) ? started.map(a => listed(a.id)!) : undefined), {
		...wait,
		what: 'all three services resolved',
		describe: describeBrowser,
	});
	for (const [index, nick] of ['alice', 'bob', 'carol'].entries()) {
		const [advertiser, service] = [started[index]!, found[index]!];
		expect(service.name).toMatch(new RegExp(`^${nick} on .*\\._tui-netchat\\._udp\\.local\\.$`));
		expect(service.server).toBe(`tnc-${advertiser.id}.local.`);
		expect(service.addresses).toEqual([advertiser.address]);
		expect(service.port).toBe(7101 + index);
		expect(service.properties).toEqual({v: '1', id: advertiser.id, nick, tcp: String(7101 + index)});
	}

	const times = started.map((advertiser, index) => found[index]!.t! - advertiser.startedAt());
	console.log(`mDNS: start() to listed by python-zeroconf: ${times.join(', ')} ms`);
}, 30_000);

test('a flood of questions gets a few small answers, never more than it sent', async () => {
	await waitFor(() => advertisers.size >= 3 && [...advertisers.values()].every(a => listed(a.id)), {...wait, what: 'the three services'});
	type Result = {sent: number; bytes: number; from: Record<string, number>};
	// From h5: 40 queries of 230 compressed questions (1,415 bytes), multicast from 5353, or from an ephemeral port.
	const run = async (legacy: boolean) => rogue<Result>('h5', 'flood', '40', legacy ? '1' : '0');

	const multicast = await run(false);
	expect(multicast.sent).toBe(40 * 1415);
	expect(multicast.bytes * 20).toBeLessThan(multicast.sent);
	// Legacy unicast (what `dig -p 5353 @224.0.0.251` sends) is answered, and bounded too.
	const legacy = await run(true);
	expect(Object.keys(legacy.from).sort()).toEqual([1, 2, 3].map(n => `${subnet}.${n}`));
	expect(legacy.bytes * 5).toBeLessThan(legacy.sent);
	console.log(`mDNS flood: multicast ${multicast.sent} B in, ${multicast.bytes} B out; legacy ${legacy.sent} B in, ${legacy.bytes} B out`);
}, 60_000);

const hosts123 = [1, 2, 3].map(n => `${subnet}.${n}`);

test('legacy unicast: never to a system or chat port, never more bytes than the query that asked', async () => {
	const three = ['alice', 'bob', 'carol'].map(nick => advertisers.get(nick)!);
	// Each query asks for the PTR and the three hosts' A records. Padded (EDNS padding, as `dig +padding=512`
	// sends): room for every answer. Then from ports never answered (alice's chat port is 7101), then 20 unpadded.
	const specs = ['0:512:2', ...['7853', '7852', '8752', '1000', '7101'].map(port => `${port}:512:1`), '0:0:20'];
	const runs = await rogue<Legacy[]>('h5', 'legacy', three.map(a => `tnc-${a.id}.local`).join(','), ...specs);
	const [padded, blocked, chatPort, plain] = [runs[0]!, runs.slice(1, 5), runs[5]!, runs[6]!];
	expect(repliedFrom(padded)).toEqual(hosts123);
	expect(padded.replies.map(reply => reply.answers)).toEqual(padded.replies.map(() => 2));
	expect(blocked.map(run => run.replies)).toEqual([[], [], [], []]);
	expect(repliedFrom(chatPort)).toEqual(hosts123.slice(1));
	for (const run of runs) {
		for (const reply of run.replies) {
			expect(reply.bytes, `a reply to port ${run.port}`).toBeLessThanOrEqual(run.sent[reply.id]!);
		}
	}

	// Unpadded, only what fits (the A record, not the PTR) is sent, and 5 a second at most.
	const [bytesIn, bytesOut] = [Object.values(plain.sent).reduce((a, b) => a + b, 0), plain.replies.reduce((sum, reply) => sum + reply.bytes, 0)];
	expect(repliedFrom(plain)).toEqual(hosts123);
	expect(plain.replies.every(reply => reply.answers === 1)).toBe(true);
	expect(plain.replies.length).toBeLessThanOrEqual(3 * 10);
	expect(bytesOut).toBeLessThanOrEqual(bytesIn);
	console.log(`mDNS legacy unicast: ${bytesIn} B in, ${bytesOut} B out (${plain.replies.length} replies to 20 queries x 3 hosts)`);
}, 30_000);

test('malformed datagrams never make a line, and the responders go on answering', async () => {
	const three = ['alice', 'bob', 'carol'].map(nick => advertisers.get(nick)!);
	expect(three.map(problems)).toEqual([[], [], []]);
	const {sent} = await rogue<{sent: number}>('h5', 'garbage');
	// A socket reads in order: once a query sent after the garbage is answered by all three, they have read it all.
	const [after] = await rogue<Legacy[]>('h5', 'legacy', '', '0:512:1');
	expect(repliedFrom(after!)).toEqual(hosts123);
	await Promise.all(three.map(flushed));
	expect(three.map(problems)).toEqual([[], [], []]);
	expect(sent).toBeGreaterThan(200);
}, 30_000);

test('a sealed advertiser shows its id and port, and its nick appears nowhere the browser can see', async () => {
	const sealed = advertise('h1', 'zanzibar', 7104, {sealed: true});
	const service = await waitFor(() => listed(sealed.id), {...wait, what: 'the sealed service', describe: describeBrowser});
	expect(service.name).toBe(`tui-netchat ${sealed.id.slice(0, 6)}._tui-netchat._udp.local.`);
	expect(service.properties).toEqual({v: '1', id: sealed.id, tcp: '7104'});
	expect(service.port).toBe(7104);
	const records = seen().filter(event => event.event === 'record' && event.name?.includes(sealed.id.slice(0, 6)));
	expect(records.length).toBeGreaterThan(0);
	expect(browser.lines.filter(line => line.toLowerCase().includes('zanzibar'))).toEqual([]);
}, 30_000);

test('the same nick on two hosts, started together, is advertised under two names', async () => {
	const twins = [advertise('h2', 'twin', 7105), advertise('h3', 'twin', 7106)];
	advertisers.set('twin2', twins[1]!);
	const services = await waitFor(() => (twins.every(t => listed(t.id)?.port) ? twins.map(t => listed(t.id)!) : undefined), {
		...wait,
		what: 'both twins',
		describe: describeBrowser,
	});
	const names = services.map(service => service.name);
	expect(new Set(names).size).toBe(2);
	expect(names).toEqual(expect.arrayContaining([
		expect.stringMatching(/^twin on [^()]*\._tui-netchat\._udp\.local\.$/),
		expect.stringMatching(/^twin on [^()]* \(2\)\._tui-netchat\._udp\.local\.$/),
	]));
	const problems = twins.flatMap(t => t.lines.filter(line => line.startsWith('problem ')));
	expect(problems).toEqual([expect.stringMatching(/^problem mDNS: the name "twin on .*" is taken on eth0; advertising as "twin on .* \(2\)"$/)]);
}, 30_000);

test('rename re-publishes under the new nick and withdraws the old name', async () => {
	const alice = advertisers.get('alice')!;
	const before = listed(alice.id)!;
	alice.child.stdin!.write('rename alicia\n');
	const after = await waitFor(() => (listed(alice.id)?.properties?.nick === 'alicia' ? listed(alice.id) : undefined), {
		...wait,
		what: 'alice renamed to alicia',
		describe: describeBrowser,
	});
	expect(after.name).toMatch(/^alicia on .*\._tui-netchat\._udp\.local\.$/);
	expect(after.port).toBe(7101);
	await waitFor(() => removed(before.name!), {...wait, what: `removal of ${before.name}`, describe: describeBrowser});
}, 30_000);

test('close sends goodbyes: the browser sees the service removed, and the process ends cleanly', async () => {
	const bob = advertisers.get('bob')!;
	const {name} = listed(bob.id)!;
	bob.child.kill('SIGTERM');
	await waitFor(() => bob.exit !== undefined, {...wait, what: 'bob to exit'});
	expect(bob.exit).toBe(0);
	console.log(`mDNS: close() took ${bob.lines.find(line => line.startsWith('closed '))?.slice('closed '.length)} ms`);
	await waitFor(() => removed(name!), {...wait, what: `removal of ${name}`, describe: describeBrowser});
	expect(bob.lines.filter(line => line.startsWith('problem '))).toEqual([]);
}, 30_000);

test('socket errors are one problem line, never a crash', async () => {
	const closesCleanly = async (advertiser: Advertiser) => {
		await waitFor(() => advertiser.lines.includes('ready'), {...wait, what: 'ready'});
		await waitFor(() => advertiser.lines.some(line => line.startsWith('problem ')), {...wait, what: 'a problem line'});
		advertiser.child.stdin!.end();
		await waitFor(() => advertiser.exit !== undefined, {...wait, what: 'exit'});
		expect(advertiser.exit).toBe(0);
		return advertiser.lines.filter(line => line.startsWith('problem '));
	};

	// Port 5353 held without SO_REUSEADDR: the responder's bind fails with EADDRINUSE.
	const hold = "require('node:dgram').createSocket('udp4').bind(5353, () => console.log('bound'))";
	const holder = watch(lan.exec('h5', [process.execPath, '-e', hold]));
	await waitFor(() => holder.lines.includes('bound'), {what: 'the port holder'});
	expect(await closesCleanly(advertise('h5', 'blocked', 7107))).toEqual([
		expect.stringMatching(/^problem mDNS off on eth0 \(10\.77\.53\.5\): bind EADDRINUSE/),
	]);
	holder.child.kill();
	await waitFor(() => holder.exit !== undefined, {what: 'the port holder to exit'});

	// An address this host does not have: joining the group (and sending) fail.
	expect(await closesCleanly(advertise('h5', 'stray', 7108, {address: `${subnet}.99`}))).toEqual([
		expect.stringMatching(/^problem mDNS trouble on eth0 \(10\.77\.53\.99\): /),
	]);
}, 30_000);

test('a host on two LANs is advertised on both, each with the address of that LAN only', async () => {
	const dual = advertise('h6', 'dual', 7109);
	const [onA, onB] = await waitFor(() => (listed(dual.id)?.port && listed(dual.id, browserB)?.port ? [listed(dual.id)!, listed(dual.id, browserB)!] : undefined), {
		...wait,
		what: 'the two-interface host on both LANs',
		describe: () => `${describeBrowser()}\nother LAN: ${browserB.lines.filter(line => !line.includes('"record"')).join('\n')}`,
	});
	expect(onA.addresses).toEqual([`${subnet}.6`]);
	expect(onB.addresses).toEqual([`${subnetB}.6`]);
	for (const service of [onA, onB]) {
		expect(service.properties).toEqual({v: '1', id: dual.id, nick: 'dual', tcp: '7109'});
	}

	// The other LAN's browser never hears the first LAN's services.
	expect(seen(browserB).filter(event => event.event === 'added').map(event => event.properties?.id)).toEqual([dual.id]);
}, 30_000);

test('forged conflicts: renaming never stops, slows after 15 in 10 s, and makes two lines, not thirty', async () => {
	const victim = advertise('h2', 'victim', 7110);
	const first = await waitFor(() => (listed(victim.id)?.port ? listed(victim.id) : undefined), {...wait, what: 'the victim', describe: describeBrowser});
	const label = first.name!.replace(/\._tui-netchat\._udp\.local\.$/, '');
	// Its own SRV record, from another host (a cache repeating it, or its own packet looped back): no conflict.
	await rogue('h5', 'claim', label, `tnc-${victim.id}.local`, '7110', '5', '1');
	// 30 responses, 100 ms apart, claiming its name and the next 29 for a host that sorts after it: 30 conflicts.
	const {at} = await rogue<{at: number}>('h5', 'claim', label, 'zzzz.local', '7110', '30', '30');
	const renamed = await waitFor(() => seen().find(event => event.event === 'added' && event.properties?.id === victim.id && event.name !== first.name), {
		timeout: 15_000,
		what: 'the victim under a new name',
		describe: () => `${describeBrowser()}\nvictim: ${victim.lines.join('\n')}`,
	});
	expect(renamed.name).toBe(`${label} (31)._tui-netchat._udp.local.`);
	// RFC 6762 8.1: after 15 conflicts within 10 s, at least 5 s before each further probe.
	expect(renamed.t! - at).toBeGreaterThanOrEqual(5000);
	await waitFor(() => problems(victim).length >= 2, {timeout: 15_000, what: 'the summary line', describe: () => victim.lines.join('\n')});
	await flushed(victim);
	expect(problems(victim)).toEqual([
		`problem mDNS: the name "${label}" is taken on eth0; advertising as "${label} (2)"`,
		`problem mDNS: renamed 29 more times on eth0 in 10 s (someone else uses these names); advertising as "${label} (31)"`,
	]);
	victim.child.stdin!.end();
	await waitFor(() => victim.exit !== undefined, {what: 'the victim to exit'});
}, 45_000);
