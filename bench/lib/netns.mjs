// A LAN in a box for the bench (root only): a bridge in a network namespace of its own and hosts joined to it
// by veth pairs, so the host's own network is never touched. Loss comes from nftables rules on the bridge.
// Every namespace is named after the bench's PID and removed at the end: by teardown(), and, whatever
// happens (an exception, Ctrl+C, the 8-minute limit, all of which end in process.exit), by an 'exit' hook.
// Namespaces left by a bench that was killed outright (SIGKILL) are removed by the next createLan().
import {execFileSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {start} from './proc.mjs';

const prefix = `tncb${process.pid}-`;
const ours = /^tncb(\d+)-/;
/** Namespaces created and not yet removed, bridge last. */
const live = new Set();

function ip(...args) {
	return execFileSync('ip', args, {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']});
}

function quietly(run) {
	try {
		return run();
	} catch {
		return undefined;
	}
}

function namespaces() {
	return (quietly(() => ip('netns', 'list')) ?? '')
		.split('\n')
		.map(line => line.split(' ')[0])
		.filter(Boolean);
}

/** Kills every process inside ns (whoever started it), then removes it. Synchronous: it runs in an 'exit' hook. */
function remove(ns) {
	for (let round = 0; round < 3; round++) {
		const pids = (quietly(() => ip('netns', 'pids', ns)) ?? '').split(/\s+/).filter(Boolean).map(Number);
		if (pids.length === 0) {
			break;
		}

		for (const pid of pids) {
			quietly(() => process.kill(pid, 'SIGKILL'));
		}
	}

	quietly(() => ip('netns', 'del', ns));
	live.delete(ns);
}

export function teardownAll() {
	// Hosts first, then the bridge (deleting a host also deletes its veth pair).
	for (const ns of [...live].sort((a, b) => Number(a.endsWith('-br')) - Number(b.endsWith('-br')))) {
		remove(ns);
	}
}

process.on('exit', teardownAll);

/** A running process (a zombie, killed and not yet reaped, is not). */
function alive(pid) {
	try {
		return !/^\d+ \(.*\) Z/s.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
	} catch {
		return false;
	}
}

/** Namespaces of an earlier bench that is no longer running. */
function removeStale() {
	for (const ns of namespaces()) {
		const match = ours.exec(ns);
		if (match && Number(match[1]) !== process.pid && !alive(Number(match[1]))) {
			remove(ns);
		}
	}
}

let lans = 0;

/**
 * hosts namespaces h1..hN, each with eth0 = 10.77.SUBNET.N/24 (broadcast set, lo up) on one bridge br0.
 * No routes beyond the /24: like the tests' LAN, the app must cope without a default route.
 * Returns {hosts: [{ns, ip, veth}], spawn(host, command, args, options), setLoss(percent), counters(), teardown()}.
 */
export function createLan(hostCount) {
	removeStale();
	const lan = ++lans;
	const bridge = `${prefix}${lan}-br`;
	const subnet = 100 + (process.pid % 50) * 2 + (lan % 2);
	const hosts = [];
	try {
		ip('netns', 'add', bridge);
		live.add(bridge);
		ip('-n', bridge, 'link', 'set', 'lo', 'up');
		ip('-n', bridge, 'link', 'add', 'br0', 'type', 'bridge');
		ip('-n', bridge, 'link', 'set', 'br0', 'up');
		for (let n = 1; n <= hostCount; n++) {
			const ns = `${prefix}${lan}-h${n}`;
			const veth = `v${n}`;
			ip('netns', 'add', ns);
			live.add(ns);
			ip('-n', bridge, 'link', 'add', veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns);
			ip('-n', bridge, 'link', 'set', veth, 'master', 'br0', 'up');
			ip('-n', ns, 'link', 'set', 'lo', 'up');
			// No duplicate address detection: a fresh link-local IPv6 address is usable at once, not after ~1-2 s.
			execFileSync('ip', ['netns', 'exec', ns, 'sysctl', '-q', '-w', 'net.ipv6.conf.eth0.accept_dad=0'], {stdio: 'ignore'});
			ip('-n', ns, 'addr', 'add', `10.77.${subnet}.${n}/24`, 'brd', '+', 'dev', 'eth0');
			ip('-n', ns, 'link', 'set', 'eth0', 'up');
			hosts.push({ns, ip: `10.77.${subnet}.${n}`, veth});
		}
	} catch (error) {
		teardown();
		throw new Error(`cannot build the LAN in a box (root and iproute2 needed): ${String(error?.stderr ?? error?.message ?? error).trim().slice(0, 160)}`);
	}

	function teardown() {
		for (const {ns} of hosts) {
			remove(ns);
		}

		remove(bridge);
	}

	const nft = (...args) => execFileSync('ip', ['netns', 'exec', bridge, 'nft', ...args], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']});

	/**
	 * percent of every UDP datagram (IPv4 and IPv6, any port: beacons, answers, mDNS) that a host sends is
	 * dropped on the bridge, one random draw per datagram and receiving port (a broadcast is flooded to each
	 * port separately, so each receiver loses its own copies). A counting rule before the drop sees them all.
	 * 0 removes the rules.
	 */
	function setLoss(percent) {
		quietly(() => nft('delete', 'table', 'bridge', 'chaos'));
		if (percent <= 0) {
			return;
		}

		nft('add', 'table', 'bridge', 'chaos');
		nft('add', 'chain', 'bridge', 'chaos', 'forward', '{ type filter hook forward priority 0; policy accept; }');
		for (const {veth} of hosts) {
			nft('add', 'rule', 'bridge', 'chaos', 'forward', 'iifname', veth, 'meta', 'l4proto', 'udp', 'counter', 'comment', '"seen"');
			nft('add', 'rule', 'bridge', 'chaos', 'forward', 'iifname', veth, 'meta', 'l4proto', 'udp', 'numgen', 'random', 'mod', '100', '<', String(percent), 'counter', 'drop', 'comment', '"dropped"');
		}
	}

	/** {seen, dropped}: UDP datagram copies forwarded by the bridge, and those the loss rules dropped. */
	function counters() {
		const text = quietly(() => nft('list', 'table', 'bridge', 'chaos')) ?? '';
		const sum = kind => [...text.matchAll(new RegExp(`counter packets (\\d+) bytes \\d+ (?:drop )?comment "${kind}"`, 'g'))].reduce((total, match) => total + Number(match[1]), 0);
		return {seen: sum('seen'), dropped: sum('dropped')};
	}

	/** proc.start() of a command inside host n (1-based). */
	function spawn(n, command, args, options) {
		return start('ip', ['netns', 'exec', hosts[n - 1].ns, command, ...args], options);
	}

	return {bridge, hosts, spawn, setLoss, counters, teardown};
}
