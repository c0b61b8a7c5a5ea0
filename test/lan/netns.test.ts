// Proves test/lan/netns.ts: a LAN of network namespaces and bridges carries broadcast, unicast and IPv6
// multicast, keeps bridges apart, loses what loss() says, and close() / the exit hooks leave nothing behind.
// Needs root and iproute2 (and nftables for loss): without them these tests fail, naming what is missing.

import {type ChildProcess, spawn} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {build} from 'esbuild';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {waitFor} from '../helpers/wait.js';
import {assertNetns, assertNft, buildLan, haveNetns, leftoverNamespaces, listNamespaces, runPrefix, type Lan} from './netns.js';

// --- small programs run inside the namespaces (node -e: CommonJS, argv from process.argv[1]) --------------

/** Answers every datagram on PORT with "pong:<datagram>" to its sender; prints each as JSON. */
const responder = `
const [family, port] = process.argv.slice(1);
const s = require('node:dgram').createSocket(family);
s.on('message', (msg, r) => {
	console.log(JSON.stringify({msg: String(msg), from: r.address}));
	s.send('pong:' + msg, r.port, r.address);
});
s.bind(Number(port), family === 'udp6' ? '::' : '0.0.0.0', () => console.log('ready'));
setTimeout(() => process.exit(3), 8000).unref();
`;

/** Sends ROUNDS datagrams to TARGET:PORT one after the other, each after the previous one's answer; prints
 * {rtts (ms), from (the answers' sources)}. With IFACE: an IPv6 multicast out of that interface. Gives up
 * (exit 4) after TIMEOUT ms (default 5000). */
const pinger = `
const [family, target, port, rounds, iface, timeout] = process.argv.slice(1);
const s = require('node:dgram').createSocket(family);
const rtts = [], from = [];
let i = 0, sent = 0n;
const next = () => {
	if (i === Number(rounds)) { console.log(JSON.stringify({rtts, from})); process.exit(0); }
	sent = process.hrtime.bigint();
	s.send('ping:' + i, Number(port), target);
};
s.on('message', (msg, r) => {
	if (String(msg) !== 'pong:ping:' + i) return;
	rtts.push(Number(process.hrtime.bigint() - sent) / 1e6);
	from.push(r.address);
	i += 1;
	next();
});
s.bind(0, family === 'udp6' ? '::' : '0.0.0.0', () => {
	if (family === 'udp4') s.setBroadcast(true);
	if (iface) s.setMulticastInterface('::%' + iface);
	next();
});
setTimeout(() => { console.error('no answer to round ' + i); process.exit(4); }, Number(timeout || 5000)).unref();
`;

/** Sends one UDP broadcast. */
const broadcaster = `
const [target, port, text] = process.argv.slice(1);
const s = require('node:dgram').createSocket('udp4');
s.bind(0, '0.0.0.0', () => { s.setBroadcast(true); s.send(text, Number(port), target, error => { if (error) throw error; s.close(); }); });
`;

/** Prints, for every datagram, the receiving interface and its address (IP_PKTINFO = 8 on Linux). */
const pktinfoListener = `
import json, socket, struct, sys
port = int(sys.argv[1])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, 8, 1)
s.bind(('0.0.0.0', port))
s.settimeout(8)
print('ready', flush=True)
while True:
    data, anc, _, addr = s.recvmsg(2048, 256)
    for level, kind, raw in anc:
        if level == socket.IPPROTO_IP and kind == 8:
            index, local, dst = struct.unpack('I4s4s', raw[:12])
            print(json.dumps({'msg': data.decode(), 'from': addr[0], 'iface': socket.if_indextoname(index),
                              'local': socket.inet_ntoa(local), 'dst': socket.inet_ntoa(dst)}), flush=True)
`;

/** Counts distinct "d:<n>" datagrams on PORT. On "done" (on PORT + 1) it first sends itself a marker over
 * loopback to PORT, so every datagram that arrived before "done" has been read when the marker is, then
 * answers "count:<n>" and starts a new count. */
const counter = `
const dgram = require('node:dgram');
const [address, port] = process.argv.slice(1);
const data = dgram.createSocket('udp4'), control = dgram.createSocket('udp4');
let seen = new Set(), asker;
data.on('message', msg => {
	const text = String(msg);
	if (text === 'marker') { control.send('count:' + seen.size, asker.port, asker.address); seen = new Set(); return; }
	seen.add(text);
});
control.on('message', (msg, r) => { asker = r; control.send('marker', Number(port), address); });
data.bind(Number(port), '0.0.0.0', () => control.bind(Number(port) + 1, '0.0.0.0', () => console.log('ready')));
setTimeout(() => process.exit(3), 8000).unref();
`;

/** Sends COUNT datagrams "d:0".."d:<COUNT-1>" to TARGET:PORT (paced: each after the previous send completed),
 * then asks PORT + 1 for the count (re-asking every 20 ms) and prints it. */
const blaster = `
const [target, port, count] = process.argv.slice(1);
const s = require('node:dgram').createSocket('udp4');
s.on('message', msg => { console.log(String(msg)); process.exit(0); });
s.bind(0, '0.0.0.0', async () => {
	for (let i = 0; i < Number(count); i++) await new Promise(done => s.send('d:' + i, Number(port), target, done));
	const ask = () => s.send('done', Number(port) + 1, target);
	ask();
	setInterval(ask, 20);
});
setTimeout(() => { console.error('no count'); process.exit(4); }, 5000).unref();
`;

// --- helpers ---------------------------------------------------------------------------------------------

type Proc = {child: ChildProcess; lines: string[]; stderr: () => string; exited: Promise<number | null>};

function watch(child: ChildProcess): Proc {
	const lines: string[] = [];
	let partial = '';
	let stderr = '';
	child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
		const parts = (partial + chunk).split('\n');
		partial = parts.pop() ?? '';
		lines.push(...parts);
	});
	child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
		stderr += chunk;
	});
	const exited = new Promise<number | null>(resolve => {
		child.on('close', code => resolve(code));
	});
	return {child, lines, stderr: () => stderr, exited};
}

async function started(proc: Proc, what: string): Promise<void> {
	await waitFor(() => proc.lines.includes('ready'), {timeout: 5000, interval: 5, what, describe: () => `stderr: ${proc.stderr()}`});
}

function json<T>(proc: Proc): T[] {
	return proc.lines.filter(line => line.startsWith('{')).map(line => JSON.parse(line) as T);
}

function median(values: readonly number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function rcvbufErrors(snmp: string): number {
	// /proc/net/snmp: a "Udp:" header line, then a "Udp:" values line.
	const [header, values] = snmp.split('\n').filter(line => line.startsWith('Udp:')).map(line => line.split(/\s+/));
	return Number(values?.[header?.indexOf('RcvbufErrors') ?? -1] ?? Number.NaN);
}

// --- the tests ---------------------------------------------------------------------------------------------

describe('a LAN in a box', () => {
	let lan: Lan;
	let buildMs = 0;

	beforeAll(async () => {
		assertNetns();
		const start = performance.now();
		lan = await buildLan({
			bridges: ['a', 'b'],
			hosts: [
				{name: 'h1', links: [{bridge: 'a', address: '10.77.1.1/24'}]},
				{name: 'h2', links: [{bridge: 'a', address: '10.77.1.2/24'}]},
				{name: 'h3', links: [{bridge: 'a', address: '10.77.1.3/24'}, {bridge: 'b', address: '10.77.2.3/24'}]},
				{name: 'h4', links: [{bridge: 'b', address: '10.77.2.4/24'}]},
			],
		});
		buildMs = performance.now() - start;
		console.log(`buildLan: 2 bridges, 4 hosts, 5 links in ${buildMs.toFixed(0)} ms (prefix ${lan.prefix})`);
	});

	afterAll(async () => {
		await lan?.close();
		expect(leftoverNamespaces(runPrefix)).toEqual([]);
	});

	test('is laid out as asked', () => {
		expect(haveNetns()).toEqual({ok: true});
		const h3 = lan.host('h3');
		expect(h3.netns).toBe(`${lan.prefix}h3`);
		expect(h3.netns.length).toBeLessThanOrEqual(15);
		expect(h3.interfaces.map(item => [item.name, item.address, item.bridge, item.broadcast])).toEqual([
			['eth0', '10.77.1.3', 'a', '10.77.1.255'],
			['eth1', '10.77.2.3', 'b', '10.77.2.255'],
		]);
		expect(h3.interfaces.every(item => item.linkLocal.startsWith('fe80:'))).toBe(true);
		expect([...lan.hosts.keys()]).toEqual(['h1', 'h2', 'h3', 'h4']);
		expect(listNamespaces().filter(name => name.startsWith(lan.prefix)).sort()).toEqual(
			[`${lan.prefix}br`, `${lan.prefix}h1`, `${lan.prefix}h2`, `${lan.prefix}h3`, `${lan.prefix}h4`]);
		expect(() => lan.host('nope')).toThrow(/no host "nope".*h1, h2, h3, h4/);
	});

	test('each host has lo, non-tentative link-local addresses and multicast routes', async () => {
		const routes = await lan.run('h3', ['ip', 'route', 'show']);
		expect(routes.stdout).toContain('224.0.0.0/4 dev eth0');
		const routes6 = await lan.run('h3', ['ip', '-6', 'route', 'show']);
		expect(routes6.stdout).toMatch(/^ff00::\/8 dev eth0/m);
		const addresses = await lan.run('h3', ['ip', '-6', 'addr', 'show']);
		expect(addresses.stdout).not.toContain('tentative');
		// lo is up: a UDP round trip over 127.0.0.1 inside h1.
		const server = watch(lan.exec('h1', ['node', '-e', responder, 'udp4', '4000']));
		await started(server, 'a responder on h1');
		const ping = await lan.run('h1', ['node', '-e', pinger, 'udp4', '127.0.0.1', '4000', '1']);
		expect(ping.code, ping.stderr).toBe(0);
		server.child.kill();
		await server.exited;
	});

	test('(1) a UDP broadcast to 10.77.1.255 reaches the other host, which answers by unicast', async () => {
		const h1 = lan.host('h1').interfaces[0]!;
		const h2 = lan.host('h2').interfaces[0]!;
		const server = watch(lan.exec('h2', ['node', '-e', responder, 'udp4', '4100']));
		await started(server, 'the responder on h2');
		const rounds = 20;
		const client = await lan.run('h1', ['node', '-e', pinger, 'udp4', h1.broadcast!, '4100', String(rounds)]);
		expect(client.code, client.stderr).toBe(0);
		const {rtts, from} = JSON.parse(client.stdout) as {rtts: number[]; from: string[]};
		expect(rtts).toHaveLength(rounds);
		expect(new Set(from)).toEqual(new Set([h2.address]));
		// h2 saw h1's broadcasts (h3 got them too, unanswered: it runs no responder).
		await waitFor(() => json<{from: string}>(server).length === rounds, {timeout: 2000, interval: 5, what: 'h2 to log every ping'});
		expect(new Set(json<{from: string}>(server).map(item => item.from))).toEqual(new Set([h1.address]));
		console.log(`broadcast + unicast answer round trip over the bridge: median ${median(rtts).toFixed(3)} ms, `
			+ `min ${Math.min(...rtts).toFixed(3)}, max ${Math.max(...rtts).toFixed(3)} (${rounds} rounds; first ${rtts[0]!.toFixed(3)})`);
		server.child.kill();
		await server.exited;
	});

	test('(2) the host on two bridges receives broadcasts from both, each on the right interface', async () => {
		const listener = watch(lan.exec('h3', ['python3', '-c', pktinfoListener, '4200']));
		const bystander = watch(lan.exec('h1', ['node', '-e', responder, 'udp4', '4200']));
		await started(listener, 'the IP_PKTINFO listener on h3');
		await started(bystander, 'the listener on h1');
		const fromA = await lan.run('h1', ['node', '-e', broadcaster, '10.77.1.255', '4200', 'from-a']);
		const fromB = await lan.run('h4', ['node', '-e', broadcaster, '10.77.2.255', '4200', 'from-b']);
		expect([fromA.code, fromB.code], fromA.stderr + fromB.stderr).toEqual([0, 0]);
		type Seen = {msg: string; from: string; iface: string; local: string; dst: string};
		await waitFor(() => json<Seen>(listener).length >= 2, {timeout: 3000, interval: 5, what: 'h3 to get both broadcasts', describe: () => listener.lines.join('\n') + listener.stderr()});
		const seen = json<Seen>(listener).sort((x, y) => x.msg.localeCompare(y.msg));
		expect(seen).toEqual([
			{msg: 'from-a', from: '10.77.1.1', iface: 'eth0', local: '10.77.1.3', dst: '10.77.1.255'},
			{msg: 'from-b', from: '10.77.2.4', iface: 'eth1', local: '10.77.2.3', dst: '10.77.2.255'},
		]);
		// The bridges are separate segments and h3 does not route: h1 never hears bridge b.
		// (h1's own broadcast loops back to itself; nothing else may arrive.)
		expect(json<{msg: string; from: string}>(bystander).filter(item => item.from !== '10.77.1.1')).toEqual([]);
		listener.child.kill();
		bystander.child.kill();
		await Promise.all([listener.exited, bystander.exited]);
	});

	test('(3) an IPv6 multicast to ff02::1%eth0 crosses, answered to the link-local sender', async () => {
		const h1 = lan.host('h1').interfaces[0]!;
		const h2 = lan.host('h2').interfaces[0]!;
		const server = watch(lan.exec('h2', ['node', '-e', responder, 'udp6', '4300']));
		await started(server, 'the IPv6 responder on h2');
		const client = await lan.run('h1', ['node', '-e', pinger, 'udp6', 'ff02::1%eth0', '4300', '5', 'eth0']);
		expect(client.code, client.stderr).toBe(0);
		const {rtts, from} = JSON.parse(client.stdout) as {rtts: number[]; from: string[]};
		expect(new Set(from)).toEqual(new Set([`${h2.linkLocal}%eth0`]));
		await waitFor(() => json(server).length === 5, {timeout: 2000, interval: 5, what: 'h2 to log 5 pings'});
		expect(new Set(json<{from: string}>(server).map(item => item.from))).toEqual(new Set([`${h1.linkLocal}%eth0`]));
		console.log(`IPv6 ff02::1 multicast + link-local answer: median ${median(rtts).toFixed(3)} ms`);
		server.child.kill();
		await server.exited;
	});

	test('(4) 30% loss on h1\'s veth for one UDP port loses about 30% of 200 datagrams; clearLoss restores all', async () => {
		assertNft();
		const h2 = lan.host('h2').interfaces[0]!;
		const server = watch(lan.exec('h2', ['node', '-e', counter, h2.address, '4400']));
		await started(server, 'the counter on h2');
		const bufferErrorsBefore = rcvbufErrors((await lan.run('h2', ['cat', '/proc/net/snmp'])).stdout);

		await lan.loss('h1', 30, 4400);
		const lossy = await lan.run('h1', ['node', '-e', blaster, h2.address, '4400', '200']);
		expect(lossy.code, lossy.stderr).toBe(0);
		const received = Number(/^count:(\d+)/.exec(lossy.stdout)?.[1]);
		const dropped = await lan.dropped();
		console.log(`30% loss: ${received}/200 received, ${dropped} dropped by nftables (${(100 * (200 - received) / 200).toFixed(1)}% lost)`);
		expect(received + dropped).toBe(200); // every missing datagram was dropped by the rule, not elsewhere
		expect(200 - received).toBeGreaterThanOrEqual(30);
		expect(200 - received).toBeLessThanOrEqual(90);

		await lan.clearLoss();
		expect(await lan.dropped()).toBe(0);
		const clean = await lan.run('h1', ['node', '-e', blaster, h2.address, '4400', '200']);
		expect(clean.stdout.trim()).toBe('count:200');
		expect(rcvbufErrors((await lan.run('h2', ['cat', '/proc/net/snmp'])).stdout)).toBe(bufferErrorsBefore);
		server.child.kill();
		await server.exited;
	});

	test('loss can target one interface of a two-interface host, and 100% drops everything', async () => {
		assertNft();
		const server = watch(lan.exec('h4', ['node', '-e', counter, '10.77.2.4', '4500']));
		const echo = watch(lan.exec('h4', ['node', '-e', responder, 'udp4', '4600']));
		await started(server, 'the counter on h4');
		await started(echo, 'the responder on h4');
		await lan.loss('h3', 'eth0', 100); // bridge a only: h3 -> h4 over bridge b is untouched
		const viaB = await lan.run('h3', ['node', '-e', blaster, '10.77.2.4', '4500', '50']);
		expect(viaB.stdout.trim()).toBe('count:50');
		await lan.clearLoss();
		await lan.loss('h3', 'b', 100); // by bridge name: now h3 cannot reach h4 at all
		const cut = await lan.run('h3', ['node', '-e', pinger, 'udp4', '10.77.2.4', '4600', '1', '', '300']);
		expect(cut.code).toBe(4); // no answer within 300 ms
		expect(await lan.dropped()).toBeGreaterThan(0);
		expect(json(echo)).toEqual([]);
		await lan.clearLoss();
		const again = await lan.run('h3', ['node', '-e', pinger, 'udp4', '10.77.2.4', '4600', '1']);
		expect(again.code, again.stderr).toBe(0);
		await expect(lan.loss('h3', 'eth7', 10)).rejects.toThrow(/no interface "eth7"/);
		await expect(lan.loss('h3', 101)).rejects.toThrow(/0-100/);
		server.child.kill();
		echo.child.kill();
		await Promise.all([server.exited, echo.exited]);
	});
});

describe('clean-up', () => {
	beforeAll(() => {
		assertNetns();
	});

	test('(5) close() kills what runs inside and leaves no namespace with the prefix', async () => {
		const lan = await buildLan({bridges: ['x'], hosts: [
			{name: 'p', links: [{bridge: 'x', address: '10.77.9.1/24'}]},
			{name: 'q', links: [{bridge: 'x', address: '10.77.9.2/24'}]},
		]});
		expect(leftoverNamespaces(lan.prefix)).toHaveLength(3);
		const sleeper = watch(lan.exec('p', ['sleep', '60']));
		// A process started behind exec()'s back (a daemon) is found through `ip netns pids`.
		const daemon = await lan.run('q', ['sh', '-c', 'sleep 60 >/dev/null 2>&1 & echo $!']);
		const daemonPid = Number(daemon.stdout.trim());
		expect(daemonPid).toBeGreaterThan(0);
		expect(() => process.kill(daemonPid, 0)).not.toThrow();

		await Promise.all([lan.close(), lan.close()]); // concurrent and repeated closes are fine
		await lan.close();
		expect(leftoverNamespaces(lan.prefix)).toEqual([]);
		expect(listNamespaces().filter(name => name.startsWith(lan.prefix))).toEqual([]);
		await sleeper.exited;
		expect(sleeper.child.signalCode).toBe('SIGKILL');
		// Dead: gone, or a zombie waiting for this container's PID 1 (which reaps orphans only now and then).
		await waitFor(() => {
			try {
				return / Z /.test(readFileSync(`/proc/${daemonPid}/stat`, 'utf8').replace(/^.*\)/, ')'));
			} catch {
				return true;
			}
		}, {timeout: 2000, interval: 5, what: `the daemon ${daemonPid} to be dead`});
		expect(() => lan.exec('p', ['true'])).toThrow(/closed/);
	});

	test('a failed buildLan removes what it made; a bad spec fails before making anything', async () => {
		const before = leftoverNamespaces(runPrefix);
		await expect(buildLan({bridges: ['a'], hosts: [{name: 'h', links: [{bridge: 'z', address: '10.77.1.1/24'}]}]}))
			.rejects.toThrow(/unknown bridge "z"/);
		await expect(buildLan({bridges: ['a'], hosts: [
			{name: 'ok', links: [{bridge: 'a', address: '10.77.1.1/24'}]},
			{name: 'bad', links: [{bridge: 'a', address: '10.77.1.2/99'}]},
		]})).rejects.toThrow(/addr add 10\.77\.1\.2\/99.*failed/);
		expect(leftoverNamespaces(runPrefix)).toEqual(before);
	});

	describe('exit hooks, in a child process that never calls close()', () => {
		let dir: string;
		let bundle: string;

		beforeAll(async () => {
			dir = mkdtempSync(join(tmpdir(), 'tnc-netns-'));
			bundle = join(dir, 'netns.mjs');
			await build({entryPoints: [fileURLToPath(new URL('netns.ts', import.meta.url))], bundle: true, platform: 'node', format: 'esm', outfile: bundle, logLevel: 'silent'});
		});

		afterAll(() => {
			if (dir) {
				rmSync(dir, {recursive: true, force: true});
			}
		});

		const child = (ending: string): Proc => watch(spawn(process.execPath, ['--input-type=module', '-e', `
			const {buildLan} = await import(${JSON.stringify(bundle)});
			const lan = await buildLan({bridges: ['a'], hosts: [{name: 'h', links: [{bridge: 'a', address: '10.77.1.1/24'}]}]});
			lan.exec('h', ['sleep', '60']);
			console.log(lan.prefix);
			${ending}
		`], {stdio: ['ignore', 'pipe', 'pipe']}));

		for (const [how, ending, expected] of [
			['process.exit()', 'process.exit(0);', {code: 0, signal: null}],
			['an uncaught exception', 'setTimeout(() => { throw new Error("boom"); }, 0);', {code: 1, signal: null}],
			['SIGTERM', 'setInterval(() => {}, 1000);', {code: null, signal: 'SIGTERM'}],
		] as const) {
			test(`${how} removes the namespaces`, async () => {
				const proc = child(ending);
				const prefix = await waitFor(() => proc.lines.find(line => line.startsWith('tnc')), {timeout: 5000, interval: 5, what: 'the child to build its LAN', describe: proc.stderr});
				expect(leftoverNamespaces(prefix)).toHaveLength(2);
				if (how === 'SIGTERM') {
					proc.child.kill('SIGTERM');
				}

				await proc.exited;
				expect({code: proc.child.exitCode, signal: proc.child.signalCode}).toEqual(expected);
				expect(leftoverNamespaces(prefix)).toEqual([]);
			});
		}
	});
});
