import {mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {createServer, type Server} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {setTimeout as delay} from 'node:timers/promises';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {loadOutbox, outboxPath, saveOutbox} from '../../source/net/delivery/outbox-store.js';
import {chatCommandWithState, killTmux, requireBuiltCli} from '../e2e/support.js';
import {closeAll, isIn, startService, waitForLine} from '../helpers/service.js';
import {freePort, freePorts} from '../helpers/ports.js';
import {Tmux} from '../helpers/tmux.js';
import {waitFor} from '../helpers/wait.js';

const directories: string[] = [];
const servers: Server[] = [];
const tmux = new Tmux('durability');
afterEach(async () => {
	await closeAll();
	await killTmux(tmux);
	for (const server of servers.splice(0)) {
		server.close();
	}

	for (const directory of directories.splice(0)) {
		rmSync(directory, {recursive: true, force: true});
	}
});

function stateDir(): string {
	const directory = mkdtempSync(join(tmpdir(), 'tui-netchat-durability-'));
	directories.push(directory);
	return directory;
}

/** A plain TCP server that collects the lines it is sent. */
async function lineServer(port: number): Promise<string[]> {
	const lines: string[] = [];
	const server = createServer(socket => {
		let buffered = '';
		socket.setEncoding('utf8').on('data', (chunk: string) => {
			buffered += chunk;
			const parts = buffered.split('\n');
			buffered = parts.pop() ?? '';
			lines.push(...parts.map(line => line.replace(/\r$/, '')));
		});
	});
	servers.push(server);
	await new Promise<void>(resolve => {
		server.listen(port, '127.0.0.1', resolve);
	});
	return lines;
}

/** Still running (a zombie waiting for tmux to reap it is not). */
function alive(pid: number): boolean {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
	} catch {
		return false;
	}
}

describe('the outbox on disk', () => {
	it('has a message typed to a TCP peer that is down on disk before send() returns', async () => {
		const directory = stateDir();
		const port = await freePort();
		const alice = await startService({nick: 'alice', protocol: 'tcp', peer: {host: '127.0.0.1', port}, stateDir: directory, retryBaseMs: 50});
		const file = outboxPath(directory, 'alice', `127.0.0.1:${port}`);
		for (const text of ['one', 'two', 'three']) {
			alice.send(text);
			expect(loadOutbox(file).messages.map(message => message.text).at(-1)).toBe(text);
		}
	});

	it('says at start that the file was damaged, keeps the readable messages and delivers them', async () => {
		const directory = stateDir();
		const port = await freePort();
		const file = outboxPath(directory, 'alice', `127.0.0.1:${port}`);
		const messages = [1, 2, 3, 4].map(n => ({msgid: `old-${n}`, text: `left ${n}`, action: false, createdAt: Date.now(), protocol: 'tcp' as const, endpoint: `127.0.0.1:${port}`}));
		saveOutbox(file, {messages, knownPeers: []});
		writeFileSync(file, readFileSync(file, 'utf8').slice(0, -15));
		const lines = await lineServer(port);
		const alice = await startService({nick: 'alice', protocol: 'tcp', peer: {host: '127.0.0.1', port}, stateDir: directory, retryBaseMs: 50});
		const problem = alice.getSnapshot().lines.find(line => line.kind === 'system' && line.text.includes('was damaged'));
		expect(problem).toMatchObject({level: 'error'});
		expect(problem?.kind === 'system' && problem.text).toMatch(/moved aside to outbox-.*\.corrupt-.*; 3 of 4 messages kept/);
		expect(readdirSync(directory).filter(name => name.includes('.corrupt-'))).toHaveLength(1);
		await vi.waitFor(() => {
			expect(lines.filter(line => line.startsWith('left'))).toEqual(['left 1', 'left 2', 'left 3']);
		});
		await waitForLine(alice, line => line.kind === 'out' && line.text === 'left 3' && line.delivery === 'sent');
		await alice.close();
		expect(loadOutbox(file)).toMatchObject({messages: []});
	});

	it('removes what was delivered, so the next start sends nothing again', async () => {
		const directory = stateDir();
		const port = await freePort();
		const bob = await startService({nick: 'bob', protocol: 'tcp', port});
		const alice = await startService({nick: 'alice', protocol: 'tcp', peer: {host: '127.0.0.1', port}, stateDir: directory});
		alice.send('once');
		await waitForLine(bob, isIn('once'));
		await waitForLine(alice, line => line.kind === 'out' && line.delivery === 'sent');
		await vi.waitFor(() => {
			expect(loadOutbox(outboxPath(directory, 'alice', `127.0.0.1:${port}`)).messages).toEqual([]);
		});
	});
});

/**
 * Between the key reaching the terminal and the message being on disk the program reads the key, decodes
 * it and routes the line: about 0.1-3 ms (longer for the first message after start, whose code is compiled
 * then). A kill inside that window comes before anything showed the line and can lose it; every kill later
 * than this must lose nothing.
 */
const graceMs = 20;

describe('kill -9 after Enter', () => {
	it('loses no message: 10 kills at random moments 0-300 ms after Enter, then every message arrives', async () => {
		requireBuiltCli();
		const directory = stateDir();
		const [peerPort = 0, ...localPorts] = await freePorts(12);
		const run = (name: string, localPort: number) => {
			tmux.start(name, chatCommandWithState(directory, '-n', 'alice', '-p', String(localPort), '--peer', `127.0.0.1:${peerPort}`, '--protocol', 'tcp'));
		};

		const delays: number[] = [];
		for (let trial = 0; trial < 10; trial++) {
			const name = `kill${trial}`;
			run(name, localPorts[trial] ?? 0);
			// eslint-disable-next-line no-await-in-loop
			await tmux.waitForPane(name, pane => pane.includes('retry in'), 'the chat to start and find the peer down');
			const pid = Number(tmux.display(name, '#{pane_pid}'));
			const wait = Number(process.env['TNC_KILL_DELAY'] ?? Math.floor(Math.random() * 301));
			delays.push(wait);
			// Typed, and seen by the program (its input line shows it), then Enter: from here on nothing may be lost.
			tmux.type(name, `kill test ${trial}`);
			// eslint-disable-next-line no-await-in-loop
			await tmux.waitForPane(name, pane => pane.includes(`> kill test ${trial}`), 'the typed line', {interval: 5});
			tmux.press(name, 'Enter');
			// eslint-disable-next-line no-await-in-loop
			await delay(wait);
			process.kill(pid, 'SIGKILL');
			// eslint-disable-next-line no-await-in-loop
			await waitFor(() => !alive(pid), {what: `pid ${pid} to die`});
			tmux.run('kill-session', '-t', `=${name}`);
		}

		const kept = loadOutbox(outboxPath(directory, 'alice', `127.0.0.1:${peerPort}`));
		const texts = kept.messages.map(message => message.text);
		const typed = Array.from({length: 10}, (_, trial) => `kill test ${trial}`);
		const mustKeep = typed.filter((_, trial) => (delays[trial] ?? 0) >= graceMs);
		console.log(`kill -9 at ${delays.join(', ')} ms after Enter: ${texts.length}/10 in the outbox`);
		expect(kept.problem).toBeUndefined();
		expect(mustKeep.filter(text => !texts.includes(text))).toEqual([]);
		expect(texts).toEqual(typed.filter(text => texts.includes(text)));

		const lines = await lineServer(peerPort);
		run('after', localPorts[10] ?? 0);
		await waitFor(() => texts.every(text => lines.includes(text)), {what: 'every kept message to arrive', timeout: 15_000, describe: () => lines.join('\n')});
		expect(lines.filter(line => line.startsWith('kill test'))).toEqual(texts);
	}, 60_000);
});
