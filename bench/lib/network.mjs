// 5. Network, with the app in pipe mode (stdin kept open, not a terminal):
//   UDP 20,000 datagrams/s for 5 s: every one in the log?  TCP one connection for ~3 s: messages/s.
//   Backpressure: 200 MB on stdin for a TCP peer that never reads: memory stays bounded.
import {once} from 'node:events';
import {rmSync} from 'node:fs';
import {cliArgv, countLines, cpuMeter, jsonLines, kill, loggedPort, memoryMb, sleep, start, tempLog, terminalEnv, waitQuiet} from './proc.mjs';
import {defaultReceiveBuffer, kernelDrops, rawCounter, receiveBuffer, sendUdp} from './udp.mjs';

const scenario = '5 network (pipe mode)';
const udpRate = 20_000;
const udpCount = udpRate * 5;
const tcpSeconds = 3;
const feedBytes = 200 * 1024 * 1024;
const feedSeconds = 10;

/** The app without a terminal; stdout lines counted, stdin open until the end. */
function pipeApp(args) {
	const child = start(process.execPath, [...cliArgv, ...args], {env: terminalEnv(), stdio: ['pipe', 'pipe', 'pipe']});
	const app = {child, pid: child.pid, stdoutLines: 0, stderr: ''};
	child.stdout.on('data', chunk => {
		for (let index = chunk.indexOf(10); index !== -1; index = chunk.indexOf(10, index + 1)) {
			app.stdoutLines++;
		}
	});
	child.stderr.setEncoding('utf8').on('data', text => {
		app.stderr = (app.stderr + text).slice(-4000);
	});
	child.stdin.on('error', () => undefined);
	return app;
}

async function udp(report) {
	const log = tempLog('udp');
	const app = pipeApp(['--port', '0', '--log', log]);
	let result;
	try {
		const port = await loggedPort(log);
		const cpu = cpuMeter(app.pid);
		const sent = await sendUdp(port, udpRate, udpCount, 'U');
		const used = cpu();
		await waitQuiet(log, 500, 30_000);
		result = {sent, used, logged: countLines(log, line => line.includes('> U-')), drops: kernelDrops(port), stdout: app.stdoutLines, buffer: receiveBuffer(port)};
	} finally {
		kill(app.pid);
		rmSync(log, {force: true});
	}

	const raw = await rawCounter('udp');
	let baseline;
	try {
		const cpu = cpuMeter(raw.pid);
		const sent = await sendUdp(raw.port, udpRate, udpCount, 'U');
		const used = cpu();
		await sleep(200);
		baseline = {sent, used, count: (await raw.count()).count, drops: kernelDrops(raw.port)};
	} finally {
		raw.close();
	}

	const {sent, used, logged, drops, stdout, buffer} = result;
	report({
		scenario,
		figure: `UDP ${udpRate}/s × 5 s: in the log`,
		value: `${logged} / ${sent.sent}`,
		baseline: `${baseline.count} / ${baseline.sent.sent} raw dgram`,
		ratio: logged / baseline.count,
		target: 'all (no loss)',
		pass: logged === sent.sent,
		note:
			`kernel drops: app ${drops}, raw ${baseline.drops}; CPU app ${used.percent.toFixed(0)} %, raw ${baseline.used.percent.toFixed(0)} %; ` +
			`app receive buffer ${buffer} B (kernel default ${defaultReceiveBuffer()} B); stdout printed ${stdout} lines; max sender burst ${sent.maxBurst}`,
	});
}

async function tcpThroughput(report) {
	const log = tempLog('tcp');
	const app = pipeApp(['--port', '0', '--log', log]);
	let result;
	try {
		const port = await loggedPort(log);
		const sender = start(process.execPath, ['bench/lib/tcp-sender.mjs', String(port), String(tcpSeconds), '1000000000', 'T'], {stdio: ['ignore', 'pipe', 'inherit']});
		const sent = await (await jsonLines(sender)).next(tcpSeconds * 1000 + 60_000);
		const lastGrowth = performance.timeOrigin + (await waitQuiet(log, 500, 60_000));
		const logged = countLines(log, line => line.includes('> T '));
		result = {sent, logged, rate: logged / ((lastGrowth - sent.connectedAt) / 1000), stdout: app.stdoutLines};
	} finally {
		kill(app.pid);
		rmSync(log, {force: true});
	}

	const raw = await rawCounter('tcp');
	let baseline;
	try {
		const sender = start(process.execPath, ['bench/lib/tcp-sender.mjs', String(raw.port), String(tcpSeconds), '1000000000', 'T'], {stdio: ['ignore', 'pipe', 'inherit']});
		const sent = await (await jsonLines(sender)).next(tcpSeconds * 1000 + 60_000);
		await sleep(200);
		const {count, lastAt} = await raw.count();
		baseline = {sent, count, rate: count / ((lastAt - sent.connectedAt) / 1000)};
	} finally {
		raw.close();
	}

	report({
		scenario,
		figure: `TCP 1 connection ~${tcpSeconds} s: messages/s`,
		value: `${Math.round(result.rate).toLocaleString('en-US')}/s`,
		baseline: `${Math.round(baseline.rate).toLocaleString('en-US')}/s raw net`,
		ratio: result.rate / baseline.rate,
		target: '≥ 100,000/s',
		pass: result.rate >= 100_000 && result.logged === result.sent.sent,
		note: `logged ${result.logged}/${result.sent.sent}; stdout printed ${result.stdout} of them; raw counted ${baseline.count}/${baseline.sent.sent}`,
	});
}

async function backpressure(report) {
	const peer = await rawCounter('stall');
	const app = pipeApp(['--port', '0', '--protocol', 'tcp', '--peer', `127.0.0.1:${peer.port}`]);
	try {
		const line = `${'x'.repeat(99)}\n`;
		const chunk = Buffer.from(line.repeat((1024 * 1024) / line.length));
		let written = 0;
		let peak = 0;
		const sampler = setInterval(() => {
			peak = Math.max(peak, memoryMb(app.pid, 'VmRSS'));
		}, 100);
		const end = performance.now() + feedSeconds * 1000;
		try {
			while (written < feedBytes && performance.now() < end && app.child.exitCode === null) {
				written += chunk.length;
				if (!app.child.stdin.write(chunk)) {
					await Promise.race([once(app.child.stdin, 'drain'), sleep(end - performance.now())]);
				}
			}
		} finally {
			clearInterval(sampler);
		}

		const hwm = memoryMb(app.pid, 'VmHWM');
		const rss = memoryMb(app.pid, 'VmRSS');
		peak = Math.max(peak, rss);
		report({
			scenario,
			figure: 'backpressure: peak RSS, stalled TCP peer',
			value: `${Math.max(peak, hwm).toFixed(0)} MB`,
			target: '< 200 MB',
			pass: Math.max(peak, hwm) < 200,
			note: `stdin accepted ${(written / 1024 / 1024).toFixed(0)} of 200 MB in ${feedSeconds} s max; RSS at the end ${rss.toFixed(0)} MB; app ${app.child.exitCode === null ? 'running' : `exited ${app.child.exitCode}: ${app.stderr.trim().split('\n').at(-1)}`}`,
		});
	} finally {
		kill(app.pid);
		peer.close();
	}
}

export async function network(report) {
	await udp(report);
	await tcpThroughput(report);
	await backpressure(report);
}
