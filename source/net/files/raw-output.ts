import {open} from 'node:fs/promises';
import type {Socket} from 'node:net';
import {finished} from 'node:stream/promises';

const chunkBytes = 1024 * 1024;
const poolSize = 4;

/**
 * Writes bytes [start, end) of a file to the socket, read into a few 1 MiB buffers of ours that are reused
 * once the socket has written them (at most 4 MiB waits): a read stream allocates a buffer per read, and at
 * loopback speed the garbage collector cost the sender more than the reads. Resolves with the bytes sent
 * once the socket is ended; fewer than asked when the file got shorter.
 */
export async function sendRange(socket: Socket, path: string, start: number, end: number, sent: (bytes: number) => void): Promise<number> {
	const file = await open(path, 'r');
	const free = Array.from({length: poolSize}, () => Buffer.allocUnsafeSlow(chunkBytes));
	let failure: Error | undefined;
	let wake: (() => void) | undefined;
	const wakeUp = () => {
		const waiting = wake;
		wake = undefined;
		waiting?.();
	};

	const closed = () => {
		failure ??= new Error('the connection was closed');
		wakeUp();
	};

	socket.once('close', closed);
	let position = start;
	try {
		while (position < end) {
			while (free.length === 0 && failure === undefined) {
				await new Promise<void>(resolve => {
					wake = resolve;
				});
			}

			if (failure) {
				throw failure;
			}

			const buffer = free.pop()!;
			const {bytesRead} = await file.read(buffer, 0, Math.min(chunkBytes, end - position), position);
			if (bytesRead === 0) {
				free.push(buffer);
				break;
			}

			position += bytesRead;
			sent(bytesRead);
			socket.write(buffer.subarray(0, bytesRead), error => {
				if (error) {
					failure ??= error;
				}

				free.push(buffer);
				wakeUp();
			});
		}

		socket.off('close', closed);
		socket.end();
		await finished(socket, {readable: false});
	} finally {
		socket.off('close', closed);
		await file.close();
	}

	return position - start;
}
