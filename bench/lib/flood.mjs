// 3. Under a flood: 5,000 datagrams a second for 8 s at the app in a pty, keys typed meanwhile.
import {rmSync} from 'node:fs';
import {countLines, cpuMeter, loggedPort, memoryMb, quantile, sleep, tempLog, waitQuiet} from './proc.mjs';
import {openApp, warmUpTyping} from './pty.mjs';
import {kernelDrops, rawCounter, sendUdp} from './udp.mjs';

const rate = 5000;
const seconds = 8;
const count = rate * seconds;

export async function flood(report) {
	const log = tempLog('flood');
	const app = await openApp(['--port', '0', '--log', log]);
	let result;
	try {
		const port = await loggedPort(log);
		await warmUpTyping(app);
		const cpu = cpuMeter(app.pid);
		const sending = sendUdp(port, rate, count, 'F');
		await sleep(500);
		// 30 keys, one every ~150 ms: typed while the flood goes on.
		const typing = app.typeOnScreen({text: 'thequickbrownfoxjumpsoverthela', gap: 0.15, timeout: 2});
		const sent = await sending;
		const used = cpu();
		const {latencies} = await typing;
		const hwm = memoryMb(app.pid, 'VmHWM');
		await waitQuiet(log, 500, 30_000);
		result = {sent, used, latencies, hwm, logged: countLines(log, line => line.includes('> F-')), drops: kernelDrops(port)};
	} finally {
		await app.close();
		rmSync(log, {force: true});
	}

	const raw = await rawCounter('udp');
	let baseline;
	try {
		const cpu = cpuMeter(raw.pid);
		await sendUdp(raw.port, rate, count, 'F');
		baseline = cpu();
		await sleep(200);
		baseline.count = (await raw.count()).count;
	} finally {
		raw.close();
	}

	const {sent, used, latencies, hwm, logged, drops} = result;
	const p95 = quantile(latencies, 0.95);
	const missed = latencies.filter(value => value === null).length;
	const scenario = `3 flood ${rate}/s`;
	report({
		scenario,
		figure: `key-to-echo p95 (${latencies.length} keys)`,
		value: `${p95.toFixed(1)} ms`,
		target: '≤ 15 ms',
		pass: p95 <= 15 && missed === 0,
		note: `median ${quantile(latencies, 0.5).toFixed(1)} ms, max ${quantile(latencies, 1).toFixed(1)} ms, no echo in 2 s: ${missed}`,
	});
	report({
		scenario,
		figure: 'app CPU over the flood',
		value: `${used.percent.toFixed(1)} %`,
		baseline: `${baseline.percent.toFixed(1)} % raw dgram`,
		ratio: used.percent / baseline.percent,
		target: '≤ 50 % of a core',
		pass: used.percent <= 50,
		note: `over ${(used.wallMs / 1000).toFixed(1)} s`,
	});
	report({
		scenario,
		figure: 'datagrams in the log',
		value: `${logged} / ${sent.sent}`,
		baseline: `${baseline.count} / ${count} raw dgram`,
		ratio: logged / baseline.count,
		target: 'all',
		pass: logged === sent.sent,
		note: `kernel drops on the app's port: ${drops}; sender ${sent.seconds.toFixed(2)} s, max burst ${sent.maxBurst}`,
	});
	report({scenario, figure: 'peak memory (VmHWM)', value: `${hwm.toFixed(0)} MB`, target: '< 200 MB', pass: hwm < 200});
}
