// 2. Rendering cost against history: two apps in ptys, one after 100 and one after 100,000 received
// datagrams. Nothing drawn and no CPU used while idle; then keystroke-to-echo latency, the keys going to
// one app and the other in turn, so the machine's noise falls on both alike.
import {rmSync} from 'node:fs';
import {countLines, cpuMeter, loggedPort, median, tempLog, waitQuiet} from './proc.mjs';
import {openApp, warmUpTyping} from './pty.mjs';
import {kernelDrops, sendUdp} from './udp.mjs';

const keys = 'thequickbrownfoxjump';
const rounds = 2;
const cases = [
	{name: '100', messages: 100, rate: 1000},
	{name: '100k', messages: 100_000, rate: 10_000},
];

export async function render(report) {
	const apps = [];
	try {
		for (const each of cases) {
			const log = tempLog('render');
			apps.push({...each, log, app: await openApp(['--port', '0', '--log', log]), latencies: [], bytes: 0});
		}

		for (const each of apps) {
			each.port = await loggedPort(each.log);
			each.sent = (await sendUdp(each.port, each.rate, each.messages, `H${each.name}`)).sent;
		}

		// Traffic over: the flood notice comes up to 1 s later; then both apps should be still.
		for (const each of apps) {
			await waitQuiet(each.log, 1500, 30_000);
			each.logged = countLines(each.log, line => line.includes(`> H${each.name}-`));
			each.drops = kernelDrops(each.port);
		}

		const meters = apps.map(each => cpuMeter(each.app.pid));
		const idle = await Promise.all(apps.map(async each => each.app.command({cmd: 'idle', seconds: 2})));
		for (const [index, each] of apps.entries()) {
			each.idleCpuMs = meters[index]().cpuMs;
			each.idleBytes = idle[index].bytes;
		}

		for (const each of apps) {
			await warmUpTyping(each.app);
		}

		for (let round = 0; round < rounds; round++) {
			for (let index = 0; index < keys.length; index++) {
				for (const each of apps) {
					const typed = await each.app.typeOnScreen({text: keys[index], before: keys.slice(0, index), gap: 0.05, timeout: 2});
					each.latencies.push(...typed.latencies);
					each.bytes += typed.bytes;
				}
			}

			for (const each of apps) {
				await each.app.command({cmd: 'press', text: '\u0015', wait: 0.1});
			}
		}
	} finally {
		for (const each of apps) {
			await each.app.close();
			rmSync(each.log, {force: true});
		}
	}

	const [small, large] = apps;
	const missed = apps.map(each => each.latencies.filter(value => value === null).length);
	const ratio = median(large.latencies) / median(small.latencies);
	report({
		scenario: '2 render vs history',
		figure: `key-to-echo median, after ${large.sent} msgs`,
		value: `${median(large.latencies).toFixed(1)} ms`,
		baseline: `${median(small.latencies).toFixed(1)} ms after ${small.sent}`,
		ratio,
		target: 'at most 20% slower',
		pass: ratio <= 1.2 && missed[0] + missed[1] === 0,
		note:
			`${large.latencies.length} keys each, alternating; no echo in 2 s: ${missed.join(' / ')}; pty bytes a key: ${apps.map(each => (each.bytes / each.latencies.length).toFixed(0)).join(' / ')}; ` +
			`in the log ${small.logged}/${small.sent} and ${large.logged}/${large.sent} (kernel drops ${small.drops} / ${large.drops}); the pane keeps at most 500 + 200/s of a flood`,
	});
	for (const each of apps) {
		report({scenario: '2 render vs history', figure: `idle pty output over 2 s (${each.name})`, value: `${each.idleBytes} B`, target: '0 B', pass: each.idleBytes === 0});
		report({scenario: '2 render vs history', figure: `idle CPU over 2 s (${each.name})`, value: `${each.idleCpuMs.toFixed(0)} ms`, target: '≈ 0 (≤ 20 ms)', pass: each.idleCpuMs <= 20});
	}
}
