// node bench/lib/tcp-sender.mjs PORT SECONDS MAX_LINES TAG
// One TCP connection to 127.0.0.1:PORT writing "TAG <n>\n" lines as fast as the receiver takes them
// (waiting for 'drain'), for SECONDS or MAX_LINES, whichever comes first; then ends the connection.
// Prints {"sent":N,"connectedAt":epochMs,"doneAt":epochMs}.
import {connect} from 'node:net';
import {once} from 'node:events';

const [port, seconds, maxLines, tag] = [Number(process.argv[2]), Number(process.argv[3]), Number(process.argv[4]), process.argv[5]];
const now = () => performance.timeOrigin + performance.now();
const socket = connect(port, '127.0.0.1');
await once(socket, 'connect');
const connectedAt = now();
const linesPerChunk = 1000;
// 1000 lines of 24 bytes: distinct numbers per chunk position, cheap to repeat.
const chunk = Buffer.from(Array.from({length: linesPerChunk}, (_, index) => `${tag} ${String(index).padStart(12, '0')}\n`).join(''));
const lineBytes = chunk.length / linesPerChunk;
let sent = 0;
while (sent < maxLines && now() - connectedAt < seconds * 1000) {
	const lines = Math.min(linesPerChunk, maxLines - sent);
	sent += lines;
	if (!socket.write(lines === linesPerChunk ? chunk : chunk.subarray(0, lines * lineBytes))) {
		await once(socket, 'drain');
	}
}

socket.end();
await once(socket, 'finish');
process.stdout.write(`${JSON.stringify({sent, connectedAt, doneAt: now()})}\n`);
socket.destroy();
