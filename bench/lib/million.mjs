// 4. After 1,000,000 messages (one TCP connection, as fast as the app reads, to the app in a pty):
// resident memory at most 120 MB once the log stops growing, and at most 150 MB at its peak (VmHWM).
import {rmSync} from 'node:fs';
import {countLines, cpuMeter, jsonLines, loggedPort, memoryMb, start, tempLog, waitQuiet} from './proc.mjs';
import {openApp} from './pty.mjs';

const total = 1_000_000;

export async function million(report) {
	const log = tempLog('million');
	// Nothing typed: the driver need not keep what the app draws.
	const app = await openApp(['--port', '0', '--log', log], {record: false});
	try {
		const port = await loggedPort(log);
		const cpu = cpuMeter(app.pid);
		const sender = start(process.execPath, ['bench/lib/tcp-sender.mjs', String(port), '60', String(total), 'M'], {stdio: ['ignore', 'pipe', 'inherit']});
		const sent = await (await jsonLines(sender)).next(90_000);
		await waitQuiet(log, 1000, 60_000);
		const used = cpu();
		const rss = memoryMb(app.pid, 'VmRSS');
		const hwm = memoryMb(app.pid, 'VmHWM');
		const logged = countLines(log, line => line.includes('> M '));
		report({
			scenario: '4 after 1M messages',
			figure: 'RSS (pty, TCP)',
			value: `${rss.toFixed(0)} MB`,
			target: '≤ 120 MB',
			pass: rss <= 120 && logged === sent.sent,
			note: `${logged}/${sent.sent} in the log after ${(used.wallMs / 1000).toFixed(1)} s, CPU ${used.percent.toFixed(0)} %`,
		});
		report({scenario: '4 after 1M messages', figure: 'peak RSS (VmHWM)', value: `${hwm.toFixed(0)} MB`, target: '≤ 150 MB', pass: hwm <= 150});
	} finally {
		await app.close();
		rmSync(log, {force: true});
	}
}
