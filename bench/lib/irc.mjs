// 6. IRC: the app with --irc in a pty against real servers (ngircd 26.1, inspircd 3.15) and a scripted one.
//   connect-to-joined  launch → "-!- You joined #room" on screen, vs a raw node:net client's connect → JOIN echo
//   latency            Enter written to the pty (app on server 1) → PRIVMSG read by a raw client on server 2,
//                      two linked ngircd; vs a raw client on server 1 writing the same line
//   flood              key-to-echo while a scripted server sends 5,000 PRIVMSG a second; vs the same idle
// Times compared across processes are CLOCK_MONOTONIC: the pty driver's time.monotonic(), process.hrtime() here.
import {rmSync} from 'node:fs';
import {cliArgv, countLines, cpuMeter, median, quantile, sleep, tempLog, waitQuiet} from './proc.mjs';
import {findProgram, now, RawIrc, scriptedServer, startIrcd, tapProxy} from './ircd.mjs';
import {openPty, warmUpTyping} from './pty.mjs';

const channel = '#room';
const joinedText = `You joined ${channel}`;
const joinRuns = 5;
const messages = 20;
const warmupMessages = 1;
// The app paces its lines (source/net/irc/client.ts: a burst of 5, then one a second): sending one a
// second or slower keeps its credit full, so its pacing is not what is measured, nor ngircd's throttle.
const spacingMs = 1100;
const floodRate = 5000;
const floodSeconds = 5;
const keys = 'thequickbrownfoxjumpsovert';
const tag = process.pid.toString(36).slice(-3);

const ms = value => `${value.toFixed(value < 10 ? 2 : value < 100 ? 1 : 0)} ms`;
const ircArgs = (nick, port, extra = []) => [...cliArgv, '--port', '0', '-n', nick, '--irc', `irc://${nick}@127.0.0.1:${port}/${channel}`, ...extra];

/** The app launched in a pty until its channel is joined on screen: readyMs is from just before fork. */
async function appJoined(nick, port, extra, options = {}) {
	return openPty(ircArgs(nick, port, extra), {until: joinedText, timeoutS: 15, ...options});
}

const sleepUntil = async at => {
	const left = at - now();
	if (left > 0) {
		await sleep(left);
	}
};

/** One launch against the scripted server, not measured: the first launch after a build writes the V8 code cache. */
async function warmUp() {
	const server = await scriptedServer();
	try {
		const pty = await appJoined(`w${tag}`, server.port);
		await pty.close();
	} finally {
		await server.close();
	}
}

/** Launch to joined, a raw client and the app in turn on one server. */
async function joinTimes(port, prefix, runs) {
	const app = [];
	const raw = [];
	for (let run = 0; run < runs; run++) {
		const client = new RawIrc(port, `r${prefix}${run}${tag}`.slice(0, 9));
		try {
			await client.registered(15_000);
			const joined = await client.join(channel, 15_000);
			raw.push(joined.at - client.startedAt);
		} finally {
			client.close();
		}

		const pty = await appJoined(`t${prefix}${run}${tag}`.slice(0, 9), port);
		app.push(pty.readyMs);
		await pty.close();
	}

	return {app, raw};
}

/**
 * Where the app's time goes: one more launch, through a proxy that timestamps every line (not in the
 * figure; its hop adds well under a millisecond to each line).
 */
async function tappedJoin(port, nick) {
	const proxy = await tapProxy(port);
	try {
		const pty = await appJoined(nick, proxy.port);
		await pty.close();
		const first = (dir, pattern) => proxy.events.find(event => event.dir === dir && pattern.test(event.line))?.at;
		const at = {
			fork: pty.spawnedAt,
			connect: first('open', /^/),
			capLs: first('<', / CAP \S+ LS /),
			capReq: first('>', /^CAP REQ /),
			capEnd: first('>', /^CAP END/),
			registered: Math.max(first('>', /^USER /) ?? 0, first('>', /^CAP END/) ?? 0),
			welcome: first('<', /^(@\S+ )?\S+ 001 /),
			join: first('>', /^JOIN /),
			echo: first('<', new RegExp(`^(@\\S+ )?:${nick}!\\S+ JOIN `, 'i')),
			screen: pty.readyAt,
		};
		const span = (from, to) => (at[from] === undefined || at[to] === undefined ? '?' : `${(at[to] - at[from]).toFixed(0)} ms`);
		return (
			`one more launch through a timestamping proxy took ${pty.readyMs.toFixed(0)} ms: fork → TCP connect ${span('fork', 'connect')}, ` +
			`connect → CAP END sent ${span('connect', 'capEnd')} (CAP LS answered → CAP REQ sent ${span('capLs', 'capReq')}), ` +
			`last registration line → 001 ${span('registered', 'welcome')} (server), 001 → JOIN sent ${span('welcome', 'join')}, ` +
			`JOIN → its echo ${span('join', 'echo')} (server), echo → "${joinedText}" read from the pty ${span('echo', 'screen')}`
		);
	} finally {
		await proxy.close();
	}
}

export async function connectScenario(report, kind, runs = joinRuns) {
	const network = await startIrcd(kind, 1);
	let times;
	let tapped;
	try {
		times = await joinTimes(network.servers[0].port, kind[0], runs);
		tapped = await tappedJoin(network.servers[0].port, `p${kind[0]}${tag}`);
	} finally {
		await network.close();
	}

	const app = median(times.app);
	const raw = median(times.raw);
	report({
		scenario: `6 irc ${kind}`,
		figure: `launch to "${joinedText}", median of ${runs} (pty)`,
		value: ms(app),
		baseline: `${ms(raw)} raw net connect → JOIN echo`,
		ratio: app / raw,
		target: 'ratio ≤ 1.5',
		pass: app / raw <= 1.5,
		note:
			`app ${times.app.map(value => value.toFixed(0)).join(', ')} ms; raw ${times.raw.map(value => value.toFixed(0)).join(', ')} ms ` +
			`(NICK/USER, JOIN at 001), in turn; app − raw ${(app - raw).toFixed(0)} ms; ${tapped}`,
	});
}

/** Until `client` sees `nick` in the channel (JOIN or NAMES): the servers are linked and have burst. */
async function waitSees(client, nick, timeoutMs) {
	const end = performance.now() + timeoutMs;
	const pattern = new RegExp(`(^:${nick}!\\S+ JOIN)|( 353 .*[ :@+]${nick}( |$))`, 'i');
	for (;;) {
		const from = client.mark();
		client.send(`NAMES ${channel}`);
		try {
			await client.waitFor(line => pattern.test(line), 1000, from);
			return;
		} catch (error) {
			if (client.closed || performance.now() > end) {
				throw error;
			}
		}
	}
}

export async function latencyScenario(report, count = messages) {
	const network = await startIrcd('ngircd', 2);
	const [one, two] = network.servers;
	const clients = [];
	let pty;
	const app = [];
	const raw = [];
	let linkedMs;
	try {
		const started = now();
		const receiver = await RawIrc.connect(two.port, `rcv${tag}`);
		clients.push(receiver);
		await receiver.join(channel);
		const sender = await RawIrc.connect(one.port, `snd${tag}`);
		clients.push(sender);
		await sender.join(channel);
		await waitSees(receiver, sender.nick, 20_000);
		linkedMs = now() - started;
		const nick = `tnc${tag}`;
		pty = await appJoined(nick, one.port);
		await waitSees(receiver, nick, 10_000);
		let lastEnter = 0;
		let lastRaw = 0;
		for (let round = 0; round < warmupMessages + count; round++) {
			const keep = round >= warmupMessages;
			// The app: the text, then Enter on its own (text and Enter in one read would be a paste).
			const text = `lat ${round} ${tag} app`;
			await sleepUntil(lastEnter + spacingMs - 150);
			await pty.command({cmd: 'press', text, wait: 0.15});
			let from = receiver.mark();
			// The driver answers 50 ms after the write, so its answer is not being read here as the line arrives.
			const enter = await pty.command({cmd: 'press', text: '\r', wait: 0.05});
			lastEnter = enter.at * 1000;
			const arrived = await receiver.waitFor(line => line.endsWith(` PRIVMSG ${channel} :${text}`), 5000, from);
			if (keep) {
				app.push(arrived.at - lastEnter);
			}

			// The raw client on server 1, the same kind of line.
			const line = `lat ${round} ${tag} raw`;
			await sleepUntil(Math.max(lastRaw + spacingMs, now() + 100));
			from = receiver.mark();
			lastRaw = sender.send(`PRIVMSG ${channel} :${line}`);
			const got = await receiver.waitFor(each => each.endsWith(` PRIVMSG ${channel} :${line}`), 5000, from);
			if (keep) {
				raw.push(got.at - lastRaw);
			}
		}
	} finally {
		await pty?.close();
		for (const client of clients) {
			client.close();
		}

		await network.close();
	}

	const p95 = quantile(app, 0.95);
	const rawP95 = quantile(raw, 0.95);
	const held = app.filter(value => value > 100).length;
	const scenario = '6 irc 2 linked ngircd';
	report({
		scenario,
		figure: `Enter → PRIVMSG at a client on server 2, p50 (${app.length} msgs)`,
		value: ms(median(app)),
		baseline: `${ms(median(raw))} raw net on server 1`,
		ratio: median(app) / median(raw),
		note:
			`app ${app.map(value => value.toFixed(1)).join(', ')} ms; raw ${raw.map(value => value.toFixed(2)).join(', ')} ms; ` +
			`one every ≥ ${spacingMs} ms per sender, app and raw in turn, after ${warmupMessages} unmeasured each; servers linked ${(linkedMs / 1000).toFixed(1)} s after start` +
			(held > 0 ? `; ${held} took over 100 ms: held back by the app's pacing (slower than one a ${spacingMs} ms?)` : ''),
	});
	report({
		scenario,
		figure: `Enter → PRIVMSG at a client on server 2, p95 (${app.length} msgs)`,
		value: ms(p95),
		baseline: `${ms(rawP95)} raw net on server 1`,
		ratio: p95 / rawP95,
		target: '≤ 5 ms',
		pass: p95 <= 5 && app.length === count,
		note: `max ${ms(quantile(app, 1))} (raw ${ms(quantile(raw, 1))})`,
	});
}

export async function floodScenario(report) {
	const server = await scriptedServer();
	const log = tempLog('irc-flood');
	let pty;
	let result;
	try {
		pty = await appJoined(`tnc${tag}`, server.port, ['--log', log], {record: true});
		const client = await server.joined(channel, 5000);
		if (!client) {
			throw new Error('the app did not JOIN the scripted server');
		}

		await warmUpTyping(pty);
		const idle = await pty.typeOnScreen({text: keys, gap: 0.15, timeout: 2});
		await pty.command({cmd: 'press', text: '\u0015', wait: 0.3});
		const cpu = cpuMeter(pty.pid);
		const flooding = server.flood(client, channel, floodRate, floodSeconds);
		await sleep(250);
		const typing = pty.typeOnScreen({text: keys, gap: 0.15, timeout: 2});
		const sent = await flooding;
		const floodEnd = now();
		const used = cpu();
		const typed = await typing;
		const typingOver = now() - floodEnd;
		await waitQuiet(log, 500, 20_000);
		result = {idle: idle.latencies, flood: typed.latencies, sent, used, typingOver, logged: countLines(log, line => line.includes('message '))};
	} finally {
		await pty?.close();
		await server.close();
		rmSync(log, {force: true});
	}

	const {idle, flood, sent, used, typingOver, logged} = result;
	const missed = flood.filter(value => value === null).length + idle.filter(value => value === null).length;
	const p95 = quantile(flood, 0.95);
	const idleP95 = quantile(idle, 0.95);
	const scenario = `6 irc flood ${floodRate}/s`;
	report({
		scenario,
		figure: `key-to-echo p50 (${flood.length} keys)`,
		value: ms(median(flood)),
		baseline: `${ms(median(idle))} idle`,
		ratio: median(flood) / median(idle),
	});
	report({
		scenario,
		figure: `key-to-echo p95 (${flood.length} keys)`,
		value: ms(p95),
		baseline: `${ms(idleP95)} idle`,
		ratio: p95 / idleP95,
		target: '≤ 30 ms',
		pass: p95 <= 30 && missed === 0,
		note:
			`scripted server on node:net: ${sent.sent} PRIVMSG lines in ${sent.seconds.toFixed(2)} s (1 ms slots, max burst ${sent.maxBurst}; ` +
			`largest unsent backlog ${(sent.maxBacklog / 1024).toFixed(0)} KiB, ${(sent.backlogAtEnd / 1024).toFixed(0)} KiB at the end); ` +
			`keys one every 150 ms from 250 ms into it${typingOver > 0 ? `, the last ${(typingOver / 1000).toFixed(1)} s after it ended` : ''}; no echo in 2 s: ${missed}; ` +
			`max ${ms(quantile(flood, 1))} (idle ${ms(quantile(idle, 1))}); app CPU over the flood ${used.percent.toFixed(0)} % of a core; ${logged} / ${sent.sent} in --log`,
	});
}

export async function irc(report) {
	await warmUp();
	await connectScenario(report, 'ngircd');
	if (findProgram('inspircd')) {
		await connectScenario(report, 'inspircd');
	} else {
		report({scenario: '6 irc inspircd', figure: 'launch to joined', value: 'skipped: inspircd not installed'});
	}

	await latencyScenario(report);
	await floodScenario(report);
}
