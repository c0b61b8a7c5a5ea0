import {execFileSync} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {build} from 'esbuild';
import {afterAll, describe, expect, it} from 'vitest';
import {envWithoutCi} from '../helpers/tmux.js';

// The ink-key-now patch (scripts/build.mjs): a key's frame is written while Ink handles the key's input,
// even when other updates keep Ink's render throttle busy. An Ink app bundled with the app's own patches
// renders a counter every millisecond (a flood's messages) and gets keys from a fake stdin that hands them
// on at once; the frame that shows the key must be on the fake stdout when stdin.write() returns. Stock Ink
// (the same bundle without the patch) renders a key in a setImmediate and waits out the throttle.

const root = fileURLToPath(new URL('../..', import.meta.url));
const directory = mkdtempSync(join(tmpdir(), 'tnc-key-now-'));
afterAll(() => {
	rmSync(directory, {recursive: true, force: true});
});

const keys = 'qwxzjvbnugqwxzjvbnugqwxzjvbnug';

const entry = `
import {EventEmitter} from 'node:events';
import {render, Text, useStdin} from 'ink';
import {useEffect, useState} from 'react';

class FakeStdout extends EventEmitter {
	isTTY = true;
	columns = 60;
	rows = 10;
	written = '';
	write(data) {
		this.written += data;
		return true;
	}
}

class FakeStdin extends EventEmitter {
	isTTY = true;
	data = null;
	write(data) {
		this.data = data;
		this.emit('readable');
	}
	read() {
		const {data} = this;
		this.data = null;
		return data;
	}
	setEncoding() {}
	setRawMode() {}
	resume() {}
	pause() {}
	ref() {}
	unref() {}
}

function App() {
	const [tick, setTick] = useState(0);
	const [typed, setTyped] = useState('');
	const {internal_eventEmitter: emitter, setRawMode} = useStdin();
	useEffect(() => {
		setRawMode(true);
		const onInput = input => setTyped(text => text + input);
		emitter.on('input', onInput);
		return () => {
			emitter.off('input', onInput);
			setRawMode(false);
		};
	}, []);
	useEffect(() => {
		const timer = setInterval(() => setTick(n => n + 1), 1);
		return () => clearInterval(timer);
	}, []);
	return <Text>{'tick ' + tick + ' typed ' + typed}</Text>;
}

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

async function main() {
	const stdout = new FakeStdout();
	const stdin = new FakeStdin();
	const app = render(<App />, {stdout, stdin, stderr: new FakeStdout(), exitOnCtrlC: false, patchConsole: false, maxFps: 120});
	// Keys sent before Ink listens to stdin are lost; under load that can take well over 100 ms.
	const deadline = Date.now() + 10_000;
	while (stdin.listenerCount('readable') === 0 || !stdout.written.includes('tick')) {
		if (Date.now() > deadline) {
			throw new Error('Ink never listened to stdin');
		}
		await sleep(1);
	}
	const keys = ${JSON.stringify(keys)};
	let shown = 0;
	for (const [index, key] of [...keys].entries()) {
		await sleep(1 + (index % 7));
		const before = stdout.written.length;
		stdin.write(key);
		if (stdout.written.slice(before).includes(key)) {
			shown++;
		}
	}

	app.unmount();
	process.stdout.write(JSON.stringify({shown}));
	process.exit(0);
}

main();
`;

/**
 * Bundles the entry with scripts/build.mjs's options (less the plugins named in `without`), runs it, and
 * answers how many keys were on the fake stdout when stdin.write() returned.
 */
async function run(without: readonly string[]): Promise<number> {
	const buildScript = new URL('../../scripts/build.mjs', import.meta.url).href;
	const {options} = await import(buildScript) as {options: {plugins: Array<{name: string}>}};
	const outfile = join(directory, `${without.join('-') || 'patched'}.cjs`);
	await build({
		...options,
		entryPoints: undefined,
		stdin: {contents: entry, resolveDir: root, sourcefile: 'key-now-entry.tsx', loader: 'tsx'},
		outfile,
		plugins: options.plugins.filter(plugin => !without.includes(plugin.name)),
		logLevel: 'error',
	} as Parameters<typeof build>[0]);
	const {shown} = JSON.parse(execFileSync(process.execPath, [outfile], {cwd: root, env: envWithoutCi(), encoding: 'utf8', timeout: 15_000})) as {shown: number};
	return shown;
}

describe('ink-key-now patch', () => {
	it('writes a key\'s frame before the key\'s input event returns, whatever else renders', async () => {
		expect(await run([])).toBe(keys.length);
	});

	it('is what makes the difference (stock Ink draws no key at once)', async () => {
		expect(await run(['ink-key-now'])).toBe(0);
	});
});
