// 7. LAN discovery in a LAN in a box (lib/netns.mjs; needs root): five network namespaces on one bridge.
// Each run starts three instances at once (`--discovery -n alice|bob|carol`, pipe mode, h1-h3) and times
// how long until all three list each other (their --log's "is on the LAN" lines, ms timestamps); once a
// prober in h5 has had an answer from each (they are up), a bare node in h4 (the baseline: launch in a
// namespace → first output) and then `--discover` in h4 (spawn → alice's line, and → all three lines).
// 20 runs without loss, then 20 with 30% of all UDP dropped on the bridge (nftables, counted).
import {mkdtempSync, readFileSync} from 'node:fs';
import {createInterface} from 'node:readline';
import {cliArgv, kill, quantile, sleep, tempLog, temporaryPath, terminalEnv, waitFor} from './proc.mjs';
import {createLan} from './netns.mjs';

const runs = 20;
const warmups = 1;
const lossPercent = 30;
const nicks = ['alice', 'bob', 'carol'];
/** Past the 5 s target: a run that has not listed everyone by then is a miss (Infinity), not a long wait. */
const capMs = 6000;

// Asks each address it is given on stdin "who is there" (unicast, every 20 ms) until that address answers,
// then prints "up ADDRESS": the instance there has its discovery sockets bound.
const proberSource = `
const dgram = require('node:dgram');
const socket = dgram.createSocket('udp4');
const who = Buffer.from('tnc-discovery/1 who ' + require('node:crypto').randomBytes(8).toString('hex'));
const waiting = new Map();
socket.on('message', (data, remote) => {
	const timer = waiting.get(remote.address);
	if (timer && data.toString('latin1').startsWith('tnc-discovery/1 announce ')) {
		clearInterval(timer);
		waiting.delete(remote.address);
		process.stdout.write('up ' + remote.address + '\\n');
	}
});
socket.bind(0, () => {
	process.stdout.write('ready\\n');
	require('node:readline').createInterface({input: process.stdin}).on('line', line => {
		const address = line.trim();
		if (address && !waiting.has(address)) {
			const send = () => socket.send(who, 7849, address, () => undefined);
			send();
			waiting.set(address, setInterval(send, 20));
		}
	});
});
`;

function lines(child) {
	const seen = [];
	const waiters = new Set();
	createInterface({input: child.stdout}).on('line', line => {
		const at = performance.now();
		seen.push({line, at});
		for (const waiter of waiters) {
			waiter();
		}
	});
	/** Resolves with the time of the first line matching, or undefined after timeoutMs (or when the child exits). */
	const when = (test, timeoutMs) =>
		new Promise(resolve => {
			let timer;
			const check = () => {
				const found = seen.find(({line}) => test(line));
				if (found) {
					finish(found.at);
				}
			};

			const finish = value => {
				clearTimeout(timer);
				waiters.delete(check);
				child.off('exit', gone);
				resolve(value);
			};

			const gone = () => setImmediate(() => finish(seen.find(({line}) => test(line))?.at));
			timer = setTimeout(() => finish(undefined), timeoutMs);
			waiters.add(check);
			child.on('exit', gone);
			check();
		});
	return {seen, when};
}

const exited = child => (child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise(resolve => child.once('exit', resolve)));

async function stop(child) {
	kill(child.pid);
	await exited(child);
}

/** ms from spawnedAt (Date.now()) to each nick's "is on the LAN" line in a --log, by nick; and to "Listening". */
function fromLog(path, spawnedAt) {
	let text = '';
	try {
		text = readFileSync(path, 'utf8');
	} catch {}

	const found = new Map();
	let listening;
	for (const match of text.matchAll(/^(\S+) -!- (.*)$/gm)) {
		const at = Date.parse(match[1]) - spawnedAt;
		const nick = /^(\S+) is on the LAN at /.exec(match[2])?.[1];
		if (nick && !found.has(nick)) {
			found.set(nick, at);
		}

		if (listening === undefined && match[2].startsWith('Listening on ')) {
			listening = at;
		}
	}

	return {found, listening};
}

async function once(lan, env, prober) {
	// Three instances at once, each in its own namespace.
	const spawnedAt = Date.now();
	const instances = nicks.map((nick, index) => {
		const log = tempLog(`discovery-${nick}`);
		const child = lan.spawn(index + 1, process.execPath, [...cliArgv, '--discovery', '-n', nick, '--log', log], {env, stdio: ['pipe', 'pipe', 'pipe']});
		child.stdout.resume();
		child.stderr.resume();
		return {nick, log, child, host: lan.hosts[index].ip};
	});
	try {
		// Up: each has answered the prober.
		for (const {host} of instances) {
			prober.child.stdin.write(`${host}\n`);
		}

		const up = await Promise.all(instances.map(({host}) => prober.output.when(line => line === `up ${host}`, 15_000)));
		prober.output.seen.length = 0;
		if (up.some(at => at === undefined)) {
			throw new Error('an instance never answered the prober in 15 s');
		}

		// Baseline: bare node in a namespace, launch → first output.
		const bare = lan.spawn(4, process.execPath, ['-e', "process.stdout.write('x\\n')"], {env, stdio: ['ignore', 'pipe', 'ignore']});
		const bareStart = performance.now();
		const bareAt = await lines(bare).when(line => line === 'x', 10_000);
		await exited(bare);

		// --discover in h4: spawn → alice's line, → all three lines; killed then (not left to its 3 s).
		const discover = lan.spawn(4, process.execPath, [...cliArgv, '--discover'], {env, stdio: ['ignore', 'pipe', 'ignore']});
		const discoverStart = performance.now();
		const output = lines(discover);
		const firstAt = await output.when(line => line.startsWith('alice\t'), capMs);
		const allAt = await waitFor(
			() => (nicks.every(nick => output.seen.some(({line}) => line.startsWith(`${nick}\t`))) ? Math.max(...nicks.map(nick => output.seen.find(({line}) => line.startsWith(`${nick}\t`)).at)) : undefined),
			Math.max(0, discoverStart + capMs - performance.now()),
			5,
		);
		const exitedOnItsOwn = discover.exitCode !== null;
		await stop(discover);

		// All three list each other: wait for the logs (at most capMs after the spawn).
		const mutual = () => {
			const logs = instances.map(({log}) => fromLog(log, spawnedAt));
			const each = instances.map(({nick}, index) => {
				const others = nicks.filter(other => other !== nick).map(other => logs[index].found.get(other));
				return others.every(at => at !== undefined) ? Math.max(...others) : undefined;
			});
			return {all: each.every(at => at !== undefined) ? Math.max(...each) : undefined, listening: Math.max(...logs.map(log => log.listening ?? Number.NaN))};
		};

		await waitFor(() => mutual().all !== undefined, Math.max(0, spawnedAt + capMs - Date.now()), 25);
		const {all, listening} = mutual();
		return {
			bare: bareAt === undefined ? Number.POSITIVE_INFINITY : bareAt - bareStart,
			first: firstAt === undefined ? Number.POSITIVE_INFINITY : firstAt - discoverStart,
			allThree: allAt === undefined ? Number.POSITIVE_INFINITY : allAt - discoverStart,
			mutual: all ?? Number.POSITIVE_INFINITY,
			launch: listening,
			exitedOnItsOwn,
		};
	} finally {
		await Promise.all(instances.map(({child}) => stop(child)));
	}
}

const ms = value => (Number.isFinite(value) ? `${value.toFixed(0)} ms` : `> ${capMs} ms`);
const p = (values, q) => quantile(values, q);

export async function discovery(report) {
	if (process.getuid?.() !== 0) {
		report({scenario: '7 discovery', figure: 'LAN in a box', value: 'skipped: needs root (network namespaces)'});
		return;
	}

	const lan = createLan(5);
	const env = terminalEnv({TUI_NETCHAT_STATE_DIR: temporaryPath(mkdtempSync(`/tmp/tnc-bench-${process.pid}-state-`))});
	delete env.TUI_NETCHAT_DISCOVERY;
	try {
		const proberChild = lan.spawn(5, process.execPath, ['-e', proberSource], {env, stdio: ['pipe', 'pipe', 'inherit']});
		const prober = {child: proberChild, output: lines(proberChild)};
		if ((await prober.output.when(line => line === 'ready', 10_000)) === undefined) {
			throw new Error('the prober did not start');
		}

		for (const loss of [0, lossPercent]) {
			lan.setLoss(loss);
			const results = [];
			for (let index = 0; index < warmups + runs; index++) {
				// eslint-disable-next-line no-await-in-loop
				const result = await once(lan, env, prober);
				if (index >= warmups) {
					results.push(result);
				}
			}

			const {seen, dropped} = lan.counters();
			const pick = name => results.map(result => result[name]);
			const [first, allThree, mutual, bare, launch] = ['first', 'allThree', 'mutual', 'bare', 'launch'].map(pick);
			const afterLaunch = mutual.map((value, index) => value - launch[index]);
			const target = loss === 0 ? 1000 : 5000;
			const scenario = loss === 0 ? '7 discovery' : `7 discovery ${loss}% loss`;
			const lossNote = loss === 0 ? 'no loss rules' : `nftables on the bridge dropped ${dropped} of the ${seen} UDP datagram copies it forwarded over the ${warmups + runs} runs (${((100 * dropped) / seen).toFixed(1)}%)`;
			const list = values => values.map(value => (Number.isFinite(value) ? value.toFixed(0) : '∞')).join(', ');
			report({
				scenario,
				figure: `--discover finds a peer already up: spawn → its line, p50 of ${runs}`,
				value: ms(p(first, 0.5)),
				baseline: `${ms(p(bare, 0.5))} bare node in a netns`,
				ratio: p(first, 0.5) / p(bare, 0.5),
				note: `spawn → alice's line ${list(first)} ms; minus the bare node's launch of the same run: p50 ${ms(p(first.map((value, index) => value - bare[index]), 0.5))}; ${lossNote}`,
			});
			report({
				scenario,
				figure: `--discover finds a peer already up: spawn → its line, p95 of ${runs}`,
				value: ms(p(first, 0.95)),
				baseline: `${ms(p(bare, 0.95))} bare node in a netns`,
				ratio: p(first, 0.95) / p(bare, 0.95),
				target: `≤ ${target} ms`,
				pass: p(first, 0.95) <= target,
				note: `all three lines: p50 ${ms(p(allThree, 0.5))}, p95 ${ms(p(allThree, 0.95))}; alice's line at most ${ms(p(first, 1))}; --discover ended on its own before: ${pick('exitedOnItsOwn').filter(Boolean).length} of ${runs}`,
			});
			report({
				scenario,
				figure: `3 started at once list each other: spawn → last "is on the LAN", p50 / p95 of ${runs}`,
				value: `${ms(p(mutual, 0.5))} / ${ms(p(mutual, 0.95))}`,
				baseline: `${ms(p(launch, 0.5))} / ${ms(p(launch, 0.95))} their launch`,
				ratio: p(mutual, 0.95) / p(launch, 0.95),
				target: `p95 ≤ ${target} ms`,
				pass: p(mutual, 0.95) <= target,
				note:
					`launch = spawn → the last of the three "Listening on" log lines (3 node processes starting at once on 2 shared cores); ` +
					`spawn → all listed ${list(mutual)} ms; after the launch of the same run: p50 ${ms(p(afterLaunch, 0.5))}, p95 ${ms(p(afterLaunch, 0.95))}`,
			});
		}
	} finally {
		lan.teardown();
	}
}
