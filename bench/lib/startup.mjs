// 1. Start-up: launch to the first frame with the status bar ("^T") of `node dist/cli.js --port 0` in a
// pty, against a bare `node -e 'console.log("ready")'` until "ready", interleaved, medians.
import {cli, median, quantile} from './proc.mjs';
import {openPty} from './pty.mjs';

const warmups = 2;
const runs = 15;

async function once(args, until) {
	const pty = await openPty(args, {until, timeoutS: 15});
	await pty.close();
	return pty.readyMs;
}

export async function startup(report) {
	const bare = [];
	const app = [];
	for (let index = 0; index < warmups + runs; index++) {
		// Warm-ups first: the app writes its code cache on a first run, and the page cache fills.
		const keep = index >= warmups;
		const bareMs = await once(['-e', 'console.log("ready")'], 'ready');
		const appMs = await once([cli, '--port', '0'], '^T');
		if (keep) {
			bare.push(bareMs);
			app.push(appMs);
		}
	}

	const ratio = median(app) / median(bare);
	report({
		scenario: '1 start-up',
		figure: `launch to first frame, median of ${runs} (pty)`,
		value: `${median(app).toFixed(0)} ms`,
		baseline: `${median(bare).toFixed(0)} ms bare node`,
		ratio,
		target: 'ratio ≤ 2.0',
		pass: ratio <= 2,
		note: `app p10–p90 ${quantile(app, 0.1).toFixed(0)}–${quantile(app, 0.9).toFixed(0)} ms; bare ${quantile(bare, 0.1).toFixed(0)}–${quantile(bare, 0.9).toFixed(0)} ms`,
	});
}
