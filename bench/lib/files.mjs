// 9. Files: a 256 MiB file of random bytes between two app instances on loopback, beside raw nc.
//   sender    the app in a pty (pipe mode does not run /send), its own state and downloads directories
//   receiver  the app in a pty of its own (its own directories too), so its key echo can be measured
//   app run   `/send FILE` on the sender, `/accept` typed on the receiver: from the Enter of /accept
//             (driver's clock) to the whole file under its own name in the downloads directory (renamed
//             there only once its SHA-256 matched); the receiver's peak RSS is reset before each run
//             (/proc/PID/clear_refs) and read after: VmHWM after - VmRSS before
//   nc run    `nc -l 127.0.0.1 PORT > file` and `nc -N 127.0.0.1 PORT < file`: from the sender's spawn
//             to the listener's exit, file to file as the app does
//   3 of each, interleaved; medians. Then key echo on the receiver during a second transfer held to
//   echoRate bytes a second by a sender with TUI_NETCHAT_FILE_RATE (unthrottled, 256 MiB is over in
//   about a second: too short for 20 paced keys).
import {closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync} from 'node:fs';
import {createServer} from 'node:net';
import {randomBytes} from 'node:crypto';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {cliArgv, cpuMs, median, memoryMb, quantile, sleep, start, temporaryPath, waitFor} from './proc.mjs';
import {openPty, warmUpTyping} from './pty.mjs';
import {Screen} from './screen.mjs';

const MiB = 1024 * 1024;
const fileBytes = 256 * MiB;
const runs = 3;
const echoRate = 24 * MiB;
const echoKeys = 'thequickbrownfoxjumps';
const scenario = '9 files 256 MiB';
/** BENCH_FILES_PROF=DIR: both instances write V8 CPU profiles there (for looking into the transfer's cost). */
const profileDir = process.env.BENCH_FILES_PROF;

const tempDir = name => temporaryPath(mkdtempSync(join(tmpdir(), `tnc-bench-files-${name}-`)));

async function freePort() {
	const server = createServer();
	await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
	const {port} = server.address();
	await new Promise(resolve => server.close(resolve));
	return port;
}

function writeRandomFile(path) {
	const fd = openSync(path, 'w');
	try {
		for (let written = 0; written < fileBytes; written += 4 * MiB) {
			writeSync(fd, randomBytes(4 * MiB));
		}
	} finally {
		closeSync(fd);
	}
}

const profileFlags = name => (profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${name}-${Date.now()}.cpuprofile`] : []);

/** The sender, in a pty of its own too (pipe mode does not run /send). */
async function sender(port, peerPort, rate) {
	const app = await openPty([...profileFlags('sender'), ...cliArgv, '--port', String(port), '-n', 'alice', '--peer', `127.0.0.1:${peerPort}`, '--downloads', tempDir('sender-dl')], {
		until: '^T',
		env: {TUI_NETCHAT_STATE_DIR: tempDir('sender-state'), ...(rate === undefined ? {} : {TUI_NETCHAT_FILE_RATE: String(rate)})},
	});
	return {
		pid: app.pid,
		say: async line => app.command({cmd: 'press', text: `${line}\r`, wait: 0.05}),
		close: async () => quitApp(app),
	};
}

/** What the receiver's screen shows now, on the terminal model typeOnScreen() uses too. */
async function screenText(app) {
	app.screen ??= new Screen(120, 40);
	app.fed ??= 0;
	const chunks = await app.chunks(app.fed);
	app.fed += chunks.length;
	for (const chunk of chunks) {
		await app.screen.write(chunk.data);
	}

	return app.screen.lines().join('\n');
}

async function waitForScreen(app, predicate, what, timeoutMs = 20_000) {
	const seen = await waitFor(async () => predicate(await screenText(app)), timeoutMs, 25);
	if (!seen) {
		throw new Error(`the receiver's screen did not show ${what} within ${timeoutMs / 1000} s`);
	}
}

/** /quit, so a profiled instance writes its profile (the driver would SIGTERM it). */
async function quitApp(app) {
	await app.command({cmd: 'press', text: '/quit\r', wait: 0.5}).catch(() => undefined);
	await app.close();
}

/** The receiver in a pty and a sender that has greeted it. */
async function pair(rate) {
	const [receiverPort, senderPort] = [await freePort(), await freePort()];
	const downloads = tempDir('receiver-dl');
	const app = await openPty([...profileFlags('receiver'), ...cliArgv, '--port', String(receiverPort), '-n', 'bob', '--downloads', downloads], {
		until: '^T',
		record: true,
		env: {TUI_NETCHAT_STATE_DIR: tempDir('receiver-state')},
	});
	const alice = await sender(senderPort, receiverPort, rate);
	await alice.say('hello bob');
	await waitForScreen(app, text => text.includes('hello bob'), "alice's first message");
	return {app, alice, downloads};
}

/** One offer and its /accept; resolves once the file is whole under its name: {ms, rssGrowthMb, accepted (hrtime ms)}. */
async function appRun({app, alice, downloads}, source, offer, onAccepted) {
	await alice.say(`/send ${source}`);
	await waitForScreen(app, text => text.includes(`/accept ${offer}`), `offer ${offer}`);
	await app.command({cmd: 'press', text: `/accept ${offer}`, wait: 0.2});
	writeFileSync(`/proc/${app.pid}/clear_refs`, '5');
	const before = memoryMb(app.pid, 'VmRSS');
	const received = join(downloads, 'payload.bin');
	const {at} = await app.command({cmd: 'press', text: '\r', wait: 0});
	const accepted = at * 1000;
	const cpu = [cpuMs(app.pid), cpuMs(alice.pid)];
	const typing = onAccepted?.();
	const whole = await waitFor(() => existsSync(received), 120_000, 2);
	const doneAt = hrNow();
	const hwm = memoryMb(app.pid, 'VmHWM');
	const [receiverCpu, senderCpu] = [cpuMs(app.pid) - cpu[0], cpuMs(alice.pid) - cpu[1]];
	if (!whole) {
		throw new Error(`offer ${offer} did not arrive in 120 s`);
	}

	const typed = await typing;
	if (statSync(received).size !== fileBytes) {
		throw new Error(`offer ${offer} arrived with ${statSync(received).size} bytes`);
	}

	rmSync(received, {force: true});
	return {ms: doneAt - accepted, rssGrowthMb: hwm - before, typed, accepted, doneAt, receiverCpu, senderCpu};
}

async function listening(port, timeoutMs = 5000) {
	const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')} `;
	return waitFor(() => readFileSync('/proc/net/tcp', 'utf8').split('\n').some(line => line.includes(`0100007F${hex}`) && / 0A /.test(line)), timeoutMs, 2);
}

/** nc file to file: sender's spawn → listener's exit. */
async function ncRun(source, dir) {
	const port = await freePort();
	const target = join(dir, 'nc.bin');
	const listener = start('sh', ['-c', `exec nc.openbsd -l 127.0.0.1 ${port} > '${target}'`], {stdio: 'ignore'});
	const exited = new Promise(resolve => listener.once('exit', resolve));
	try {
		if (!(await listening(port))) {
			throw new Error('nc -l did not listen');
		}

		const began = performance.now();
		const sending = start('sh', ['-c', `exec nc.openbsd -N 127.0.0.1 ${port} < '${source}'`], {stdio: 'ignore'});
		const ended = await Promise.race([exited.then(() => true), sleep(60_000).then(() => false)]);
		const ms = performance.now() - began;
		sending.kill('SIGKILL');
		if (!ended) {
			throw new Error('nc did not deliver the file in 60 s');
		}

		if (statSync(target).size !== fileBytes) {
			throw new Error(`nc delivered ${statSync(target).size} bytes`);
		}

		return ms;
	} finally {
		listener.kill('SIGKILL');
		rmSync(target, {force: true});
	}
}

/** process.hrtime()'s clock (the pty driver's CLOCK_MONOTONIC) in ms. */
const hrNow = () => Number(process.hrtime.bigint()) / 1e6;
const throughput = ms => fileBytes / MiB / (ms / 1000);

export async function files(report) {
	const work = tempDir('work');
	const source = join(work, 'payload.bin');
	writeRandomFile(source);
	const app = [];
	const nc = [];
	let fast = await pair(undefined);
	try {
		// A first transfer warms both instances' code up (JIT, the data port), unmeasured.
		await appRun(fast, source, 1);
		for (let run = 0; run < runs; run++) {
			nc.push(await ncRun(source, work));
			app.push(await appRun(fast, source, run + 2));
		}
	} finally {
		await fast.alice.close();
		await quitApp(fast.app);
		fast = undefined;
	}

	let echo;
	const slow = await pair(echoRate);
	try {
		await warmUpTyping(slow.app);
		echo = await appRun(slow, source, 1, async () => {
			await sleep(300);
			const typed = await slow.app.typeOnScreen({text: echoKeys, gap: 0.15, timeout: 2});
			return {...typed, endedAt: hrNow()};
		});
	} finally {
		await slow.alice.close();
		await quitApp(slow.app);
	}

	const appMs = median(app.map(each => each.ms));
	const ncMs = median(nc);
	const [appRate, ncRate] = [throughput(appMs), throughput(ncMs)];
	report({
		scenario,
		figure: 'throughput, file to file',
		value: `${appRate.toFixed(0)} MiB/s`,
		baseline: `${ncRate.toFixed(0)} MiB/s nc`,
		ratio: appRate / ncRate,
		target: '≥ 50 % of nc',
		pass: appRate >= ncRate / 2,
		note: `median of ${runs} each, interleaved (after one unmeasured app transfer); app: Enter of /accept → the file renamed into place after its SHA-256 matched, ${app.map(each => `${each.ms.toFixed(0)}`).join(', ')} ms; nc: ${nc.map(each => each.toFixed(0)).join(', ')} ms; CPU time in those (utime+stime): receiver ${app.map(each => each.receiverCpu.toFixed(0)).join(', ')} ms, sender ${app.map(each => each.senderCpu.toFixed(0)).join(', ')} ms`,
	});
	const growth = Math.max(...app.map(each => each.rssGrowthMb));
	report({
		scenario,
		figure: 'receiver RSS growth',
		value: `${growth.toFixed(1)} MB`,
		target: '≤ 30 MB',
		pass: growth <= 30,
		note: `the largest of ${runs}: VmHWM after the transfer - VmRSS at /accept (peak reset with clear_refs before each): ${app.map(each => each.rssGrowthMb.toFixed(1)).join(', ')} MB`,
	});
	const latencies = echo.typed.latencies;
	const during = echo.typed.latencies.length;
	const p95 = quantile(latencies, 0.95);
	const missed = latencies.filter(value => value === null).length;
	report({
		scenario,
		figure: `receiver key echo p95 (${during} keys)`,
		value: `${p95.toFixed(1)} ms`,
		target: '≤ 30 ms',
		pass: p95 <= 30 && missed === 0,
		note: `keys typed one every ~150 ms on the receiver while a sender held to ${echoRate / MiB} MiB/s (TUI_NETCHAT_FILE_RATE) sent the same file (${(echo.ms / 1000).toFixed(1)} s; the keys were all typed ${echo.typed.endedAt <= echo.doneAt ? 'before' : 'partly after'} it ended); median ${quantile(latencies, 0.5).toFixed(1)} ms, max ${quantile(latencies, 1).toFixed(1)} ms, no echo in 2 s: ${missed}`,
	});
}
