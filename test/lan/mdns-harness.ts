// The parts of test/lan/mdns.test.ts that hold no state of its LAN: the processes it watches and what they print.
import {type ChildProcess, spawnSync} from 'node:child_process';
import {createInterface} from 'node:readline';
import {waitFor} from '../helpers/wait.js';

/** A process in a namespace: its stdout lines so far, and its exit code once it has ended. */
export type Watched = {readonly child: ChildProcess; readonly lines: string[]; exit: number | null | undefined};

/** One line of test/lan/zeroconf-browse.py. */
export type Seen = {
	event: string;
	t?: number;
	name?: string;
	server?: string;
	addresses?: string[];
	port?: number;
	properties?: Record<string, string>;
	type?: string;
	data?: string;
};

/** What `mdns-rogue.ts legacy` prints for one SPEC: the queries' sizes by id, and every reply. */
export type Legacy = {port: number; sent: Record<string, number>; replies: Array<{from: string; id: number; bytes: number; answers: number}>};

/** A python3 that has zeroconf: Debian's, ahead of a pyenv shim on PATH that may lack it. */
export function findPython(): string {
	for (const candidate of ['/usr/bin/python3', 'python3']) {
		if (spawnSync(candidate, ['-c', 'import zeroconf']).status === 0) {
			return candidate;
		}
	}

	throw new Error('python3-zeroconf is missing: apt-get install -y python3-zeroconf');
}

export function watch(child: ChildProcess): Watched {
	const watched: Watched = {child, lines: [], exit: undefined};
	createInterface({input: child.stdout!}).on('line', line => watched.lines.push(line));
	child.stderr!.on('data', () => undefined);
	child.on('exit', code => {
		watched.exit = code;
	});
	return watched;
}

export const problems = (advertiser: Watched) => advertiser.lines.filter(line => line.startsWith('problem '));

export const repliedFrom = (run: Legacy) => [...new Set(run.replies.map(reply => reply.from))].sort();

/** Once it returns, every line the advertiser (test/lan/mdns-entry.ts) printed before has been read. */
export async function flushed(advertiser: Watched): Promise<void> {
	const pongs = () => advertiser.lines.filter(line => line === 'pong').length;
	const before = pongs();
	advertiser.child.stdin!.write('ping\n');
	await waitFor(() => pongs() > before, {what: 'pong'});
}
