// UDP helpers shared by the flood and network scenarios.
import {execFileSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {jsonLines, start} from './proc.mjs';

/** Starts bench/udp-sender.py; resolves with its summary once it is done. */
export async function sendUdp(port, rate, count, tag) {
	const sender = start('python3', ['bench/udp-sender.py', '127.0.0.1', String(port), String(rate), String(count), tag], {stdio: ['ignore', 'pipe', 'inherit']});
	return (await jsonLines(sender)).next((count / rate) * 1000 + 30_000);
}

/** Datagrams the kernel dropped for sockets on this port (receive buffer full): /proc/net/udp{,6}, last column. */
export function kernelDrops(port) {
	const hex = port.toString(16).toUpperCase().padStart(4, '0');
	let drops = 0;
	for (const file of ['/proc/net/udp', '/proc/net/udp6']) {
		try {
			for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
				const fields = line.trim().split(/\s+/);
				if (fields[1]?.endsWith(`:${hex}`)) {
					drops += Number(fields.at(-1));
				}
			}
		} catch {}
	}

	return drops;
}

/** The receive buffer the kernel gave the UDP socket on this port, from `ss` (rb, in bytes). */
export function receiveBuffer(port) {
	try {
		const out = execFileSync('ss', ['-uamnH', `sport = :${port}`], {encoding: 'utf8'});
		const match = /rb(\d+)/.exec(out);
		return match ? Number(match[1]) : Number.NaN;
	} catch {
		return Number.NaN;
	}
}

export function defaultReceiveBuffer() {
	try {
		return Number(readFileSync('/proc/sys/net/core/rmem_default', 'utf8'));
	} catch {
		return Number.NaN;
	}
}

/** A raw node:dgram (udp) or node:net (tcp) counter, or a TCP server that never reads (stall). */
export async function rawCounter(mode) {
	const child = start(process.execPath, ['bench/lib/raw-counter.mjs', mode], {stdio: ['pipe', 'pipe', 'inherit']});
	const answers = await jsonLines(child);
	const {port} = await answers.next(10_000);
	return {
		pid: child.pid,
		port,
		async count() {
			child.stdin.write('\n');
			return answers.next(10_000);
		},
		close() {
			child.kill('SIGKILL');
		},
	};
}
