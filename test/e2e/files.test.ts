import {createHash, randomBytes} from 'node:crypto';
import {spawn} from 'node:child_process';
import {createReadStream, existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, beforeAll, describe, expect, it} from 'vitest';
import {freePorts} from '../helpers/ports.js';
import {Tmux} from '../helpers/tmux.js';
import {waitFor} from '../helpers/wait.js';
import {chatCommand, requireBuiltCli} from './support.js';

const tmux = new Tmux('files');
const dirs: string[] = [];

beforeAll(requireBuiltCli);

afterEach(() => {
	tmux.kill();
	for (const dir of dirs.splice(0)) {
		rmSync(dir, {recursive: true, force: true, maxRetries: 5, retryDelay: 100});
	}
});

function tempDir(): string {
	const dir = mkdtempSync(join(tmpdir(), 'tnc-files-e2e-'));
	dirs.push(dir);
	return dir;
}

async function sha256Of(path: string): Promise<string> {
	const hash = createHash('sha256');
	for await (const chunk of createReadStream(path)) {
		hash.update(chunk as Buffer);
	}

	return hash.digest('hex');
}

/** A chat in its own state and downloads directories; the sender's bytes held to `rate` a second, so a kill lands mid-way. */
function chat(state: string, downloads: string, rate: number | undefined, ...args: string[]): string[] {
	return ['env', `TUI_NETCHAT_STATE_DIR=${state}`, ...(rate === undefined ? [] : [`TUI_NETCHAT_FILE_RATE=${rate}`]), ...chatCommand('--downloads', downloads, ...args)];
}

const panePid = (name: string) => Number(tmux.run('display-message', '-p', '-t', `=${name}:`, '#{pane_pid}').trim());

describe('files between two instances in real terminals', () => {
	it('a 100 MB file shows progress on both sides, survives a kill -9 of the receiver, resumes, and arrives whole', async () => {
		const [portA, portB] = await freePorts(2);
		const source = join(tempDir(), 'big.bin');
		// 100 MB of random bytes without holding them all at once.
		const block = randomBytes(1024 * 1024);
		writeFileSync(source, Buffer.concat(Array.from({length: 100}, () => block.map((byte, index) => byte ^ index))));
		const downloads = tempDir();
		const bobState = tempDir();
		tmux.start('alice', chat(tempDir(), tempDir(), 25_000_000, '--port', String(portA), '-n', 'alice'));
		const bob = chat(bobState, downloads, undefined, '--port', String(portB), '--peer', `127.0.0.1:${portA}`, '-n', 'bob');
		tmux.start('bob', bob);
		await tmux.waitForPane('bob', pane => pane.includes(`port ${portB}`), "bob's status bar");
		tmux.submit('bob', 'hi alice');
		await tmux.waitForPane('alice', pane => pane.includes('hi alice'), "bob's message");
		tmux.submit('alice', `/send ${source}`);
		await tmux.waitForPane('bob', pane => /alice offers big\.bin \(105 MB, sha256 [\da-f]{8}…\) — \/accept 1 or \/reject 1/.test(pane), 'the offer');
		expect(readdirSync(downloads)).toEqual([]);
		tmux.submit('bob', '/accept');
		await tmux.waitForPane('bob', pane => /recv big\.bin \d+% /.test(pane), 'progress on the receiving side');
		await tmux.waitForPane('alice', pane => /send big\.bin \d+% .*MB\/s/.test(pane), 'progress on the sending side');
		const part = join(downloads, 'big.bin.part');
		await waitFor(() => existsSync(part) && statSync(part).size > 20_000_000, {interval: 10, what: 'a fifth of the file on disk'});
		process.kill(panePid('bob'), 'SIGKILL');
		const kept = statSync(part).size;
		expect(kept).toBeLessThan(100 * 1024 * 1024);
		tmux.start('bob2', bob);
		await tmux.waitForPane('bob2', pane => pane.includes('Resuming big.bin from alice'), 'the resume after the restart', {timeout: 15_000});
		await tmux.waitForPane('bob2', pane => pane.includes('Received big.bin') && pane.includes('SHA-256 matches'), 'the whole file', {timeout: 30_000});
		expect(await sha256Of(join(downloads, 'big.bin'))).toBe(await sha256Of(source));
		expect(existsSync(part)).toBe(false);
		expect(readdirSync(join(bobState, 'transfers'))).toEqual([]);
	}, 90_000);

	it('a file sent by plain nc arrives with /receive', async () => {
		const [port] = await freePorts(1);
		const downloads = tempDir();
		const source = join(tempDir(), 'notes.txt');
		writeFileSync(source, randomBytes(3 * 1024 * 1024));
		tmux.start('alice', chat(tempDir(), downloads, undefined, '--port', String(port), '-n', 'alice'));
		await tmux.waitForPane('alice', pane => pane.includes(`port ${port}`), 'the status bar');
		tmux.submit('alice', '/receive notes.txt');
		// It names this machine's LAN address (no peer to go by); it listens on all of them, loopback too.
		const pane = await tmux.waitForPane('alice', pane => /nc -N \S+ \d+ < FILE/.test(pane), 'the nc line');
		const dataPort = /nc -N \S+ (\d+) < FILE/.exec(pane)?.[1] ?? '';
		// As the line says (netcat-openbsd, .ci/run's nc).
		const nc = spawn('sh', ['-c', `nc -N 127.0.0.1 ${dataPort} < '${source}'`], {stdio: 'ignore'});
		await new Promise(resolve => nc.on('exit', resolve));
		const sha = await sha256Of(source);
		await tmux.waitForPane('alice', text => text.replaceAll('\n', '').includes(sha.slice(0, 20)), 'the line with the SHA-256');
		expect(await sha256Of(join(downloads, 'notes.txt'))).toBe(sha);
	}, 30_000);
});
