import {execFileSync} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {build} from 'esbuild';
import {afterAll, describe, expect, it} from 'vitest';
import {envWithoutCi} from '../helpers/tmux.js';
import {terminalModel} from './screen-terminal.js';

// The real ChatInput in Ink with the app's patches; every stdout write is kept apart, so the terminal can be
// checked after each (what a terminal may show between the echo and the frame).
const root = fileURLToPath(new URL('../..', import.meta.url));
const directory = mkdtempSync(join(tmpdir(), 'tnc-echo-'));
afterAll(() => {
	rmSync(directory, {recursive: true, force: true});
});

const entry = (chunks: string[]) => `
import {EventEmitter} from 'node:events';
import {render} from 'ink';
import {ChatInput} from './source/ui/input/chat-input.tsx';

class FakeStdout extends EventEmitter {
	isTTY = true; columns = 40; rows = 6; writes = [];
	write(data) { this.writes.push(data); return true; }
}
class FakeStdin extends EventEmitter {
	isTTY = true; data = null;
	write(data) { this.data = data; this.emit('readable'); }
	read() { const {data} = this; this.data = null; return data; }
	setEncoding() {} setRawMode() {} resume() {} pause() {} ref() {} unref() {}
}
const handlers = {onSubmit() {}, onToggleProtocol() {}, onToggleNicklist() {}, onScroll() {}, onBuffer() {}, onExit() {}};
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));
async function main() {
	const stdout = new FakeStdout();
	const stdin = new FakeStdin();
	const app = render(<ChatInput handlers={handlers} width={40} row={1} placeholder="type here" describeDraft={() => undefined} status={null} />, {stdout, stdin, stderr: new FakeStdout(), exitOnCtrlC: false, patchConsole: false, maxFps: 120});
	// Until Ink listens to stdin and has drawn the first frame.
	while (stdin.listenerCount('readable') === 0 || stdout.writes.length === 0) await sleep(1);
	const marks = [];
	for (const chunk of ${JSON.stringify(chunks)}) {
		marks.push(stdout.writes.length);
		// A chunk's frame is written before stdin.write() returns (ink-key-now); the turn lets effects run.
		stdin.write(chunk);
		await new Promise(resolve => setImmediate(resolve));
	}
	app.unmount();
	process.stdout.write(JSON.stringify({writes: stdout.writes, marks}));
	process.exit(0);
}
main();
`;

async function run(chunks: string[]): Promise<{writes: string[]; marks: number[]}> {
	const buildScript = new URL('../../scripts/build.mjs', import.meta.url).href;
	const {options} = await import(buildScript) as {options: Record<string, unknown>};
	const outfile = join(directory, `e${Math.random().toString(36).slice(2)}.cjs`);
	await build({...options, entryPoints: undefined, stdin: {contents: entry(chunks), resolveDir: root, sourcefile: 'echo-entry.tsx', loader: 'tsx'}, outfile, logLevel: 'error'} as Parameters<typeof build>[0]);
	return JSON.parse(execFileSync(process.execPath, [outfile], {cwd: root, env: envWithoutCi(), encoding: 'utf8', timeout: 15_000})) as {writes: string[]; marks: number[]};
}

/** The input row after every write from the last chunk on. */
async function rowsAfterLastChunk(chunks: string[]): Promise<string[]> {
	const {writes, marks} = await run(chunks);
	const term = terminalModel(40, 6);
	const seen: string[] = [];
	writes.forEach((write, index) => {
		term.write(write);
		if (index >= marks.at(-1)!) {
			seen.push(`${JSON.stringify(write)} -> ${term.text()[1]!.trimEnd()}`);
		}
	});
	return seen;
}

describe('echo ahead with two keys in one stdin chunk', () => {
	for (const [name, chunks] of [
		['Right then x', ['a', 'b', 'c', '\u001B[D', '\u001B[Cx']],
		['End then x', ['a', 'b', 'c', '\u001B[D', '\u001B[D', '\u001B[Fx']],
		['Up (history) then x', ['h', 'e', 'l', 'l', 'o', '\r', 'a', '\u001B[Ax']],
		['Alt+Backspace then x', ['o', 'n', 'e', ' ', 't', 'w', 'o', '\u001B\u007Fx']],
		['bracketed paste then x', ['a', '\u001B[200~pasted\u001B[201~x']],
	] as const) {
		it(`${name}: every write leaves the row a prefix of the final one`, async () => {
			const seen = await rowsAfterLastChunk([...chunks]);
			const final = seen.at(-1)!.split(' -> ')[1]!;
			for (const each of seen) {
				expect(final.startsWith(each.split(' -> ')[1]!), seen.join('\n')).toBe(true);
			}
		}, 30_000);
	}
});

describe('echo ahead, one key a chunk', () => {
	it('still draws the key ahead of its frame', async () => {
		const seen = await rowsAfterLastChunk(['a', 'b', '\u001B[D', '\u001B[C', 'x']);
		expect(seen[0]).toBe('"x" -> > abx');
		expect(seen.at(-1)).toContain('> abx');
	}, 30_000);

	it('over the placeholder', async () => {
		const seen = await rowsAfterLastChunk(['h']);
		expect(seen[0]).toBe('"h\\u001b[K" -> > h');
	}, 30_000);
});

