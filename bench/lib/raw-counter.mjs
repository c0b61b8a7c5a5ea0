// Baselines and helpers, run as child processes: node bench/lib/raw-counter.mjs udp|tcp|stall
//   udp    a node:dgram socket that only counts datagrams
//   tcp    a node:net server that only counts newlines
//   stall  a node:net server that accepts and never reads
// Prints {"port":N}; for each line on stdin, prints {"count":N,"lastAt":epochMs} (lastAt: last data seen).
import {createSocket} from 'node:dgram';
import {createServer} from 'node:net';
import {createInterface} from 'node:readline';

const mode = process.argv[2];
let count = 0;
let lastAt = 0;
const now = () => performance.timeOrigin + performance.now();
const ready = port => process.stdout.write(`${JSON.stringify({port})}\n`);

if (mode === 'udp') {
	const socket = createSocket('udp4');
	socket.on('message', () => {
		count++;
		lastAt = now();
	});
	socket.bind(0, '127.0.0.1', () => ready(socket.address().port));
} else {
	const server = createServer(socket => {
		if (mode === 'stall') {
			socket.pause();
			return;
		}

		socket.on('data', chunk => {
			for (let index = chunk.indexOf(10); index !== -1; index = chunk.indexOf(10, index + 1)) {
				count++;
			}

			lastAt = now();
		});
		socket.on('error', () => undefined);
	});
	server.listen(0, '127.0.0.1', () => ready(server.address().port));
}

createInterface({input: process.stdin}).on('line', () => {
	process.stdout.write(`${JSON.stringify({count, lastAt})}\n`);
});
process.stdin.on('end', () => process.exit(0));
