// 1. Start-up: launch to the first frame with the status bar ("^T") of `node dist/cli.js --port 0` in a
// pty, against a bare `node -e 'console.log("ready")'` until "ready", interleaved, medians: as a launch
// like the last one draws it (from the first-frame cache, source/ui/screen/first-frame.ts), and the app's
// own first frame with no cache (a first launch: its cache directory emptied before each). Then keys typed
// at once after launch: 10 keys in one write just after fork, before the app is up; launch → the first key
// in the input row of a terminal model fed every byte (lib/screen.mjs), and every key there in the end.
import {rmSync} from 'node:fs';
import {join} from 'node:path';
import {cliArgv, median, quantile, sleep, temporaryPath} from './proc.mjs';
import {openPty, stateDir} from './pty.mjs';
import {echoTimes, finalLines, haveScreen, rowWith} from './screen.mjs';

const warmups = 2;
const runs = 15;
const earlyRuns = 5;
const early = 'qwertzuiop';
const firstLaunchCache = temporaryPath(join(stateDir, 'first-launch-cache'));

async function once(args, until, env = {}) {
	const pty = await openPty(args, {until, timeoutS: 15, env});
	await pty.close();
	return pty.readyMs;
}

/** Keys written right after fork: ms from fork until the first shows and until all show (undefined: never), and the input row. */
async function earlyKeys() {
	const pty = await openPty([...cliArgv, '--port', '0'], {record: true, timeoutS: 15});
	try {
		const {at} = await pty.command({cmd: 'press', text: early, wait: 0});
		await sleep(1500);
		const chunks = await pty.chunks();
		const lines = await finalLines(chunks, 120, 40);
		const row = rowWith(lines, `> ${early}`);
		const fromFork = time => (time === null || time === undefined ? undefined : at * 1000 - pty.spawnedAt + time);
		if (row < 0) {
			return {input: lines.find(line => line.startsWith('> ')) ?? '(no input row)'};
		}

		const {times} = await echoTimes(chunks, [at * 1000, at * 1000], [`> ${early[0]}`, `> ${early}`], row);
		return {first: fromFork(times[0]), all: fromFork(times[1]), pressedMs: at * 1000 - pty.spawnedAt};
	} finally {
		await pty.close();
	}
}

export async function startup(report) {
	const bare = [];
	const app = [];
	const uncached = [];
	for (let index = 0; index < warmups + runs; index++) {
		// Warm-ups first: the app writes its code cache and first frame on a first run, and the page cache fills.
		const keep = index >= warmups;
		const bareMs = await once(['-e', 'console.log("ready")'], 'ready');
		const appMs = await once([...cliArgv, '--port', '0'], '^T');
		rmSync(join(firstLaunchCache, 'tui-netchat'), {recursive: true, force: true});
		const uncachedMs = await once([...cliArgv, '--port', '0'], '^T', {XDG_CACHE_HOME: firstLaunchCache});
		if (keep) {
			bare.push(bareMs);
			app.push(appMs);
			uncached.push(uncachedMs);
		}
	}

	const ratio = median(app) / median(bare);
	report({
		scenario: '1 start-up',
		figure: `launch to first frame, median of ${runs} (pty)`,
		value: `${median(app).toFixed(0)} ms`,
		baseline: `${median(bare).toFixed(0)} ms bare node`,
		ratio,
		target: 'ratio ≤ 1.5',
		pass: ratio <= 1.5,
		note: `the first frame of a launch like the last one, drawn from the first-frame cache; app p10–p90 ${quantile(app, 0.1).toFixed(0)}–${quantile(app, 0.9).toFixed(0)} ms; bare ${quantile(bare, 0.1).toFixed(0)}–${quantile(bare, 0.9).toFixed(0)} ms`,
	});
	report({
		scenario: '1 start-up',
		figure: `launch to the app's own first frame, nothing cached, median of ${runs} (pty)`,
		value: `${median(uncached).toFixed(0)} ms`,
		baseline: `${median(bare).toFixed(0)} ms bare node`,
		ratio: median(uncached) / median(bare),
		note: `a first launch (or one with another terminal size, options or config): p10–p90 ${quantile(uncached, 0.1).toFixed(0)}–${quantile(uncached, 0.9).toFixed(0)} ms`,
	});

	if (!haveScreen) {
		report({scenario: '1 start-up', figure: 'first typed key from launch', value: 'skipped: @xterm/headless not installed (npm ci)'});
		return;
	}

	const results = [];
	for (let index = 0; index < earlyRuns; index++) {
		results.push(await earlyKeys());
	}

	const lost = results.filter(result => result.all === undefined);
	const first = median(results.map(result => result.first));
	const bareMs = median(bare);
	report({
		scenario: '1 start-up',
		figure: `first typed key's echo from launch, ${early.length} keys in one write at once, median of ${earlyRuns}`,
		value: Number.isFinite(first) ? `${first.toFixed(0)} ms` : 'never',
		baseline: `${bareMs.toFixed(0)} ms bare node`,
		ratio: first / bareMs,
		target: 'ratio ≤ 2.0, none lost',
		pass: first / bareMs <= 2 && lost.length === 0,
		note:
			`keys written ${results.map(result => result.pressedMs?.toFixed(0) ?? '?').join(', ')} ms after fork; first key shown ${results.map(result => result.first?.toFixed(0) ?? '–').join(', ')} ms, ` +
			`all ${results.map(result => result.all?.toFixed(0) ?? '–').join(', ')} ms (terminal model's input row); runs with keys missing: ${lost.length}` +
			(lost.length > 0 ? ` (input row: ${lost.map(result => JSON.stringify(result.input)).join(', ')})` : ''),
	});
}
