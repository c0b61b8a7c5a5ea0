import {createInterface} from 'node:readline';
import type {ChatService} from './net/chat-service.js';

const maxBacklog = 1000;

export type HeadlessIo = {
	readonly stdin: NodeJS.ReadableStream;
	readonly stdout: NodeJS.WritableStream;
	readonly stderr: NodeJS.WritableStream;
};

/**
 * Without a terminal (a pipe, a script) or with --send: each input line is sent as a message, received
 * messages go to stdout one per line, errors to stderr. Resolves with the exit code once input has ended
 * and every send has gone out (0) or failed (1).
 */
export async function runHeadless(service: ChatService, send: string | undefined, io: HeadlessIo): Promise<number> {
	io.stdout.on('error', () => undefined);
	const stop = service.onLineAdded(line => {
		if (line.kind === 'in') {
			io.stdout.write(`${line.action ? `* ${line.from} ` : ''}${line.text}\n`);
		} else if (line.kind === 'system' && line.level === 'error') {
			io.stderr.write(`tui-netchat: ${line.text}\n`);
		}
	});

	try {
		if (send === undefined) {
			const lines = createInterface({input: io.stdin, crlfDelay: Number.POSITIVE_INFINITY});
			for await (const line of lines) {
				if (line.trim() !== '') {
					service.send(line);
				}

				// A peer that reads slowly slows the input down instead of filling memory.
				while (service.backlog() > maxBacklog) {
					// eslint-disable-next-line no-await-in-loop
					await new Promise(resolve => {
						setTimeout(resolve, 20);
					});
				}
			}
		} else {
			service.send(send);
		}

		await service.drain();
		return service.undelivered() === 0 ? 0 : 1;
	} finally {
		stop();
	}
}
