// "A LAN in a box" for the LAN-discovery tests: Linux network namespaces joined by bridges.
//
// Layout: one namespace `<prefix>br` holds every bridge (br0, br1, ... with multicast snooping off, so it
// behaves like a dumb switch: broadcast and multicast are flooded); every host gets its own namespace
// `<prefix>h1`, `<prefix>h2`, ... with `lo` up and one veth per link: `eth0`, `eth1`, ... inside the host, its
// peer `v<host>_<link>` in the bridge namespace, enslaved to that link's bridge. IPv4 addresses are added with
// `brd +`; duplicate address detection is off inside the hosts (accept_dad=0 before the link goes up) and
// buildLan waits until every IPv6 link-local address is there and not "tentative". There is no default route,
// so each host gets 224.0.0.0/4 and ff00::/8 routes on its first interface: multicast sends work without
// setMulticastInterface (that still picks another interface).
//
// Names: `tnc<pid % 10000>_<counter>_` (e.g. `tnc4242_3_h1`, at most 15 characters for small counters), so
// parallel test files, and several LANs in one file, never clash; `runPrefix` (`tnc<pid % 10000>_`) covers every
// LAN of this process. Nothing is done in the host's own network namespace: every `ip`, `sysctl` and `nft`
// command runs with `-n NS` or under `ip netns exec NS`.
//
// Loss: nftables (Debian package `nftables`; `tc netem` is not in this kernel) in the bridge namespace,
// `table bridge tnc_chaos`, chain `forward` (filter hook forward): `iifname v1_0 [udp dport P] numgen random
// mod 100 < PERCENT counter drop`, i.e. frames coming *from* that host's veth, on their way across the bridge.
// A flooded (broadcast/multicast) frame is judged once per output port.
//
// Clean-up: close() kills (SIGKILL) every process in each namespace and every process spawned through
// exec(), waits until the namespaces are empty, then deletes them, whatever went wrong before; it is idempotent.
// A failed buildLan removes what it had made. A process 'exit' hook (and SIGINT/SIGTERM/SIGHUP hooks that then
// re-raise the signal) removes whatever is still open, synchronously. A SIGKILLed test process leaves its
// namespaces behind: `ip netns list | grep ^tnc` shows them; leftoverNamespaces(prefix) lists them for a test.
//
// Usage with vitest:
//
//   import {afterAll, beforeAll, test} from 'vitest';
//   import {assertNetns, buildLan, type Lan} from './netns.js';
//
//   let lan: Lan;
//   beforeAll(async () => {
//     assertNetns(); // throws "network namespaces unavailable: ..." - a failure, never a silent skip
//     lan = await buildLan({bridges: ['a'], hosts: [
//       {name: 'h1', links: [{bridge: 'a', address: '10.77.1.1/24'}]},
//       {name: 'h2', links: [{bridge: 'a', address: '10.77.1.2/24'}]},
//     ]});
//   });
//   afterAll(async () => lan?.close());
//   test('...', async () => {
//     const {code, stdout} = await lan.run('h1', ['ping', '-c1', '-W1', '10.77.1.2']);
//   });

import {spawn, spawnSync, type ChildProcess, type SpawnOptions} from 'node:child_process';

export type LinkSpec = {
	/** A name from LanSpec.bridges. */
	readonly bridge: string;
	/** CIDR, e.g. '10.77.1.1/24' (IPv4, added with `brd +`) or an IPv6 one such as 'fd77::1/64'. */
	readonly address: string;
};

export type HostSpec = {
	readonly name: string;
	/** In order: the first becomes eth0 (and carries the multicast routes), the second eth1, ... */
	readonly links: readonly LinkSpec[];
};

export type LanSpec = {
	readonly bridges: readonly string[];
	readonly hosts: readonly HostSpec[];
};

export type LanInterface = {
	/** Inside the host's namespace: eth0, eth1, ... */
	readonly name: string;
	/** Without the prefix length: '10.77.1.1'. */
	readonly address: string;
	/** As given: '10.77.1.1/24'. */
	readonly cidr: string;
	/** The directed broadcast address of an IPv4 link ('10.77.1.255'), undefined for IPv6. */
	readonly broadcast: string | undefined;
	/** The link-local IPv6 address, without scope: 'fe80::...'. */
	readonly linkLocal: string;
	readonly mac: string;
	/** The bridge's name from the spec ('a'). */
	readonly bridge: string;
	/** The bridge device in the bridge namespace ('br0'). */
	readonly bridgeDevice: string;
	/** The veth peer in the bridge namespace ('v1_0'): the name loss rules match. */
	readonly veth: string;
};

export type LanHost = {
	readonly name: string;
	readonly netns: string;
	readonly interfaces: readonly LanInterface[];
};

export type RunResult = {
	/** Exit code, or null when killed by a signal (see `signal`). */
	readonly code: number | null;
	readonly signal: NodeJS.Signals | null;
	readonly stdout: string;
	readonly stderr: string;
};

export type RunOptions = {
	/** Written to stdin, which is then closed. */
	readonly input?: string;
	/** Kill (SIGKILL) after this many ms and reject (default 10 s). */
	readonly timeout?: number;
};

export type Lan = {
	/** Every namespace name of this LAN starts with it: `tnc4242_3_`. */
	readonly prefix: string;
	/** The namespace holding the bridges. */
	readonly bridgeNetns: string;
	readonly hosts: ReadonlyMap<string, LanHost>;
	/** The host, or throws naming the known ones. */
	host(name: string): LanHost;
	/** `ip netns exec NS argv...`, spawned (stdio defaults to pipes). Killed by close(). */
	exec(host: string, argv: readonly string[], options?: SpawnOptions): ChildProcess;
	/** Runs argv in the host's namespace to the end; never rejects for a non-zero exit, only on timeout/spawn error. */
	run(host: string, argv: readonly string[], options?: RunOptions): Promise<RunResult>;
	/**
	 * Drops `percent` % (0-100, integer) of the frames the host sends into its bridge(s), optionally only one
	 * interface ('eth1', or its address, or its bridge's name) and/or only UDP to one destination port. Rules add
	 * up (each is evaluated independently); clearLoss() removes them all.
	 */
	loss(host: string, percent: number, udpPort?: number): Promise<void>;
	loss(host: string, iface: string, percent: number, udpPort?: number): Promise<void>;
	clearLoss(): Promise<void>;
	/** Frames dropped so far by the loss rules in place (nft counters; 0 with none). */
	dropped(): Promise<number>;
	/** Kills everything inside, deletes every namespace of this LAN. Idempotent; never rejects. */
	close(): Promise<void>;
};

export type Availability = {readonly ok: true} | {readonly ok: false; readonly reason: string};

/** `tnc<pid % 10000>_`: the start of every namespace name made by this process. */
export const runPrefix = `tnc${process.pid % 10_000}_`;

let counter = 0;
const open = new Set<LanInternals>();

type LanInternals = {
	readonly namespaces: string[];
	readonly children: Set<ChildProcess>;
	closed: boolean;
	closing?: Promise<void>;
};

type Exec = {code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string};

function execFile(file: string, args: readonly string[], options: RunOptions & {children?: Set<ChildProcess>} = {}): Promise<Exec> {
	const timeout = options.timeout ?? 10_000;
	return new Promise((resolve, reject) => {
		const child = spawn(file, args, {stdio: ['pipe', 'pipe', 'pipe']});
		options.children?.add(child);
		let stdout = '';
		let stderr = '';
		child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
			stdout += chunk;
		});
		child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
			stderr += chunk;
		});
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`${[file, ...args].join(' ')}: timed out after ${timeout} ms; stdout ${JSON.stringify(stdout)} stderr ${JSON.stringify(stderr)}`));
		}, timeout);
		child.on('error', error => {
			clearTimeout(timer);
			options.children?.delete(child);
			reject(error);
		});
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			options.children?.delete(child);
			resolve({code, signal, stdout, stderr});
		});
		child.stdin!.on('error', () => {});
		child.stdin!.end(options.input ?? '');
	});
}

/** Runs a command that must succeed; the error names the command and its stderr. */
async function must(file: string, args: readonly string[], options: RunOptions = {}): Promise<string> {
	const result = await execFile(file, args, options);
	if (result.code !== 0) {
		throw new Error(`${[file, ...args].join(' ')} failed (${result.code ?? result.signal}): ${result.stderr.trim() || result.stdout.trim()}`);
	}

	return result.stdout;
}

function ipSync(args: readonly string[]): {code: number | null; stdout: string; stderr: string} {
	const result = spawnSync('ip', args, {encoding: 'utf8', timeout: 10_000});
	return {code: result.error ? -1 : result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? String(result.error ?? '')};
}

/** Names from `ip netns list` (its lines look like "NAME (id: 3)" or just "NAME"). */
export function listNamespaces(): string[] {
	const {code, stdout, stderr} = ipSync(['netns', 'list']);
	if (code !== 0) {
		throw new Error(`ip netns list failed: ${stderr.trim()}`);
	}

	return stdout.split('\n').map(line => line.trim().split(/\s+/)[0] ?? '').filter(name => name !== '');
}

/** Namespaces whose name starts with `prefix` (default: this process's runPrefix). */
export function leftoverNamespaces(prefix: string = runPrefix): string[] {
	return listNamespaces().filter(name => name.startsWith(prefix));
}

/** Root, `ip` from iproute2, and a namespace can really be made and removed here. */
export function haveNetns(): Availability {
	if (process.platform !== 'linux') {
		return {ok: false, reason: `network namespaces need Linux (this is ${process.platform})`};
	}

	if (process.getuid?.() !== 0) {
		return {ok: false, reason: `network namespaces need root (uid is ${process.getuid?.()}); run the LAN tests as root`};
	}

	const version = spawnSync('ip', ['-V'], {encoding: 'utf8', timeout: 5000});
	if (version.error || version.status !== 0) {
		return {ok: false, reason: 'the `ip` command is missing: install the Debian package iproute2'};
	}

	const probe = `${runPrefix}probe`;
	const add = ipSync(['netns', 'add', probe]);
	if (add.code !== 0 && !/exists/i.test(add.stderr)) {
		return {ok: false, reason: `\`ip netns add\` does not work here (no CAP_SYS_ADMIN? no /run/netns?): ${add.stderr.trim()}`};
	}

	const del = ipSync(['netns', 'del', probe]);
	if (del.code !== 0) {
		return {ok: false, reason: `\`ip netns del ${probe}\` failed: ${del.stderr.trim()}`};
	}

	return {ok: true};
}

/** `nft` present (Debian package nftables): needed by loss(). */
export function haveNft(): Availability {
	const version = spawnSync('nft', ['--version'], {encoding: 'utf8', timeout: 5000});
	if (version.error || version.status !== 0) {
		return {ok: false, reason: 'the `nft` command is missing: install the Debian package nftables (needed for loss())'};
	}

	return {ok: true};
}

/** Throws a clear error when haveNetns() says no: LAN tests fail, they never silently skip. */
export function assertNetns(): void {
	const have = haveNetns();
	if (!have.ok) {
		throw new Error(`network namespaces unavailable: ${have.reason}`);
	}
}

export function assertNft(): void {
	const have = haveNft();
	if (!have.ok) {
		throw new Error(have.reason);
	}
}

function pidsOf(netns: string): number[] {
	const {stdout} = ipSync(['netns', 'pids', netns]);
	return stdout.split(/\s+/).filter(word => /^\d+$/.test(word)).map(Number).filter(pid => pid !== process.pid);
}

function killAll(pids: readonly number[]): void {
	for (const pid of pids) {
		try {
			process.kill(pid, 'SIGKILL');
		} catch {
			// Gone already.
		}
	}
}

/** Synchronous teardown, for the exit hook (and the core of close()). */
function teardownSync(lan: LanInternals): void {
	lan.closed = true;
	for (const child of lan.children) {
		if (child.exitCode === null && child.signalCode === null) {
			child.kill('SIGKILL');
		}
	}

	for (const netns of lan.namespaces) {
		killAll(pidsOf(netns));
	}

	// Hosts first: deleting a host namespace destroys its veths, and so their peers on the bridges.
	for (const netns of [...lan.namespaces].reverse()) {
		ipSync(['netns', 'del', netns]);
	}

	open.delete(lan);
}

async function teardown(lan: LanInternals): Promise<void> {
	lan.closed = true;
	for (const child of lan.children) {
		if (child.exitCode === null && child.signalCode === null) {
			child.kill('SIGKILL');
		}
	}

	const existing = new Set(listNamespaces());
	const namespaces = lan.namespaces.filter(netns => existing.has(netns));
	// Kill until empty: a process may fork while we look. Bounded: 2 s, then delete regardless.
	const deadline = Date.now() + 2000;
	for (;;) {
		const pids = namespaces.flatMap(netns => pidsOf(netns));
		if (pids.length === 0 || Date.now() > deadline) {
			break;
		}

		killAll(pids);
		await new Promise(resolve => setTimeout(resolve, 10));
	}

	for (const netns of [...namespaces].reverse()) {
		await execFile('ip', ['netns', 'del', netns]).catch(() => undefined);
	}

	// Anything the async path missed (a failed `ip netns del`): once more, synchronously.
	const still = new Set(leftoverNamespaces(''));
	if (lan.namespaces.some(netns => still.has(netns))) {
		teardownSync(lan);
	}

	open.delete(lan);
}

let hooksInstalled = false;

function installHooks(): void {
	if (hooksInstalled) {
		return;
	}

	hooksInstalled = true;
	process.on('exit', () => {
		for (const lan of [...open]) {
			teardownSync(lan);
		}
	});
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
		const onSignal = (): void => {
			for (const lan of [...open]) {
				teardownSync(lan);
			}

			process.off(signal, onSignal);
			// Someone else handles it: let them decide. Otherwise die of it as we would have without this hook.
			if (process.listenerCount(signal) === 0) {
				process.kill(process.pid, signal);
			}
		};

		process.on(signal, onSignal);
	}
}

function nextPrefix(): string {
	const existing = listNamespaces();
	for (;;) {
		counter += 1;
		const prefix = `${runPrefix}${counter}_`;
		// A namespace left by a SIGKILLed run with the same pid % 10000: skip its counter, never reuse it.
		if (!existing.some(name => name.startsWith(prefix))) {
			return prefix;
		}
	}
}

function checkSpec(spec: LanSpec): void {
	const bridges = new Set<string>();
	for (const bridge of spec.bridges) {
		if (bridges.has(bridge)) {
			throw new Error(`buildLan: bridge ${JSON.stringify(bridge)} is listed twice`);
		}

		bridges.add(bridge);
	}

	const names = new Set<string>();
	for (const host of spec.hosts) {
		if (names.has(host.name)) {
			throw new Error(`buildLan: host ${JSON.stringify(host.name)} is listed twice`);
		}

		names.add(host.name);
		if (host.links.length === 0) {
			throw new Error(`buildLan: host ${host.name} has no links`);
		}

		for (const link of host.links) {
			if (!bridges.has(link.bridge)) {
				throw new Error(`buildLan: host ${host.name} links to unknown bridge ${JSON.stringify(link.bridge)} (bridges: ${[...bridges].join(', ')})`);
			}

			if (!/^[\d.]+\/\d+$|^[\da-f:]+\/\d+$/i.test(link.address)) {
				throw new Error(`buildLan: host ${host.name}: address ${JSON.stringify(link.address)} is not a CIDR such as 10.77.1.1/24`);
			}
		}
	}
}

function ipv4Broadcast(cidr: string): string {
	const [address = '', bitsText = '32'] = cidr.split('/');
	const bits = Number(bitsText);
	const value = address.split('.').reduce((sum, part) => (sum * 256) + Number(part), 0);
	const hostMask = bits >= 32 ? 0 : (2 ** (32 - bits)) - 1;
	const broadcast = (value - (value % (hostMask + 1))) + hostMask;
	return [24, 16, 8, 0].map(shift => Math.floor(broadcast / (2 ** shift)) % 256).join('.');
}

type AddrInfo = {ifname: string; address?: string; addr_info?: Array<{family: string; local: string; scope: string; tentative?: boolean; dadfailed?: boolean}>};

/** Builds the LAN; on any failure removes what it made and rethrows. */
export async function buildLan(spec: LanSpec): Promise<Lan> {
	checkSpec(spec);
	const prefix = nextPrefix();
	const bridgeNetns = `${prefix}br`;
	const internals: LanInternals = {namespaces: [], children: new Set(), closed: false};
	installHooks();
	open.add(internals);

	const bridgeDevice = new Map(spec.bridges.map((bridge, index) => [bridge, `br${index}`]));
	const hosts = new Map<string, LanHost>();
	const ip = async (netns: string, ...args: string[]): Promise<string> => must('ip', ['-n', netns, ...args]);
	const inNs = async (netns: string, ...argv: string[]): Promise<string> => must('ip', ['netns', 'exec', netns, ...argv]);
	const addNetns = async (netns: string): Promise<void> => {
		await must('ip', ['netns', 'add', netns]);
		internals.namespaces.push(netns);
	};

	try {
		await addNetns(bridgeNetns);
		// Quiet bridge namespace: no IPv6 on the bridges and their ports (no router solicitations, no MLD noise).
		await inNs(bridgeNetns, 'sysctl', '-qw', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1');
		for (const device of bridgeDevice.values()) {
			await ip(bridgeNetns, 'link', 'add', device, 'type', 'bridge', 'stp_state', '0', 'mcast_snooping', '0');
			await ip(bridgeNetns, 'link', 'set', device, 'up');
		}

		// Hosts are independent: set them up in parallel (each one's commands in order).
		const hostNetns = spec.hosts.map((_, index) => `${prefix}h${index + 1}`);
		for (const netns of hostNetns) {
			await addNetns(netns);
		}

		await Promise.all(spec.hosts.map(async (host, hostIndex) => {
			const netns = hostNetns[hostIndex]!;
			await ip(netns, 'link', 'set', 'lo', 'up');
			await inNs(netns, 'sysctl', '-qw', 'net.ipv6.conf.default.accept_dad=0', 'net.ipv6.conf.all.accept_dad=0');
			for (const [linkIndex, link] of host.links.entries()) {
				const name = `eth${linkIndex}`;
				const veth = `v${hostIndex + 1}_${linkIndex}`;
				await ip(bridgeNetns, 'link', 'add', veth, 'type', 'veth', 'peer', 'name', name, 'netns', netns);
				await ip(bridgeNetns, 'link', 'set', veth, 'master', bridgeDevice.get(link.bridge)!, 'up');
				await inNs(netns, 'sysctl', '-qw', `net.ipv6.conf.${name}.accept_dad=0`);
				if (link.address.includes(':')) {
					await ip(netns, '-6', 'addr', 'add', link.address, 'dev', name, 'nodad');
				} else {
					await ip(netns, 'addr', 'add', link.address, 'brd', '+', 'dev', name);
				}

				await ip(netns, 'link', 'set', name, 'up');
			}

			await ip(netns, 'route', 'add', '224.0.0.0/4', 'dev', 'eth0');
			await ip(netns, '-6', 'route', 'add', 'ff00::/8', 'dev', 'eth0', 'table', 'main');
		}));

		// Wait (bounded, polling) until every host interface has a link-local IPv6 address that is not tentative.
		await Promise.all(spec.hosts.map(async (host, hostIndex) => {
			const netns = hostNetns[hostIndex]!;
			const deadline = Date.now() + 5000;
			for (;;) {
				const info = JSON.parse(await ip(netns, '-j', 'addr', 'show')) as AddrInfo[];
				const ready = host.links.map((link, linkIndex) => {
					const entry = info.find(item => item.ifname === `eth${linkIndex}`);
					const linkLocal = entry?.addr_info?.find(addr => addr.family === 'inet6' && addr.scope === 'link');
					const own = entry?.addr_info?.find(addr => addr.local === link.address.split('/')[0]);
					if (!entry || !linkLocal || !own || linkLocal.tentative || own.tentative) {
						return undefined;
					}

					return {entry, linkLocal};
				});
				if (ready.every(item => item !== undefined)) {
					hosts.set(host.name, {
						name: host.name,
						netns,
						interfaces: host.links.map((link, linkIndex) => ({
							name: `eth${linkIndex}`,
							address: link.address.split('/')[0]!,
							cidr: link.address,
							broadcast: link.address.includes(':') ? undefined : ipv4Broadcast(link.address),
							linkLocal: ready[linkIndex]!.linkLocal.local,
							mac: ready[linkIndex]!.entry.address ?? '',
							bridge: link.bridge,
							bridgeDevice: bridgeDevice.get(link.bridge)!,
							veth: `v${hostIndex + 1}_${linkIndex}`,
						})),
					});
					return;
				}

				if (Date.now() > deadline) {
					throw new Error(`buildLan: ${host.name} (${netns}): addresses still missing or tentative after 5 s: ${JSON.stringify(info)}`);
				}

				await new Promise(resolve => setTimeout(resolve, 20));
			}
		}));
	} catch (error) {
		await teardown(internals);
		throw error;
	}

	// In spec order (the Promise.all above filled the map in completion order).
	const ordered = new Map(spec.hosts.map(host => [host.name, hosts.get(host.name)!]));
	const host = (name: string): LanHost => {
		const found = ordered.get(name);
		if (!found) {
			throw new Error(`no host ${JSON.stringify(name)} in this LAN (hosts: ${[...ordered.keys()].join(', ')})`);
		}

		return found;
	};

	const notClosed = (): void => {
		if (internals.closed) {
			throw new Error(`LAN ${prefix} is closed`);
		}
	};

	let chaos = false;
	const nft = async (...args: string[]): Promise<string> => inNs(bridgeNetns, 'nft', ...args);

	async function loss(hostName: string, ...rest: [number, number?] | [string, number, number?]): Promise<void> {
		notClosed();
		assertNft();
		const target = host(hostName);
		const [iface, percent, udpPort] = typeof rest[0] === 'string' ? rest as [string, number, number?] : [undefined, ...rest as [number, number?]];
		if (!Number.isInteger(percent) || percent < 0 || percent > 100) {
			throw new Error(`loss: percent must be an integer 0-100, got ${percent}`);
		}

		if (udpPort !== undefined && (!Number.isInteger(udpPort) || udpPort < 1 || udpPort > 65_535)) {
			throw new Error(`loss: bad UDP port ${udpPort}`);
		}

		const interfaces = iface === undefined
			? target.interfaces
			: target.interfaces.filter(item => item.name === iface || item.address === iface || item.bridge === iface);
		if (interfaces.length === 0) {
			throw new Error(`loss: ${hostName} has no interface ${JSON.stringify(iface)} (has ${target.interfaces.map(item => `${item.name} ${item.address} on ${item.bridge}`).join(', ')})`);
		}

		if (percent === 0) {
			return;
		}

		if (!chaos) {
			await nft('add', 'table', 'bridge', 'tnc_chaos');
			await nft('add', 'chain', 'bridge', 'tnc_chaos', 'forward', '{ type filter hook forward priority 0; policy accept; }');
			chaos = true;
		}

		for (const item of interfaces) {
			const match = ['iifname', item.veth, ...(udpPort === undefined ? [] : ['udp', 'dport', String(udpPort)])];
			const verdict = percent === 100 ? ['counter', 'drop'] : ['numgen', 'random', 'mod', '100', '<', String(percent), 'counter', 'drop'];
			await nft('add', 'rule', 'bridge', 'tnc_chaos', 'forward', ...match, ...verdict);
		}
	}

	const lan: Lan = {
		prefix,
		bridgeNetns,
		hosts: ordered,
		host,
		exec(hostName, argv, options = {}) {
			notClosed();
			const child = spawn('ip', ['netns', 'exec', host(hostName).netns, ...argv], {stdio: 'pipe', ...options});
			internals.children.add(child);
			child.on('exit', () => internals.children.delete(child));
			child.on('error', () => internals.children.delete(child));
			return child;
		},
		async run(hostName, argv, options = {}) {
			notClosed();
			return execFile('ip', ['netns', 'exec', host(hostName).netns, ...argv], {...options, children: internals.children});
		},
		loss: loss as Lan['loss'],
		async clearLoss() {
			notClosed();
			if (chaos) {
				await nft('delete', 'table', 'bridge', 'tnc_chaos');
				chaos = false;
			}
		},
		async dropped() {
			notClosed();
			if (!chaos) {
				return 0;
			}

			const listing = await nft('list', 'table', 'bridge', 'tnc_chaos');
			return [...listing.matchAll(/counter packets (\d+)/g)].reduce((sum, match) => sum + Number(match[1]), 0);
		},
		async close() {
			internals.closing ??= open.has(internals) ? teardown(internals).catch(() => teardownSync(internals)) : Promise.resolve();
			await internals.closing;
		},
	};
	return lan;
}
