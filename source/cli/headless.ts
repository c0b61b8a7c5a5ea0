import {createInterface} from 'node:readline';
import type {ChatService} from '../net/index.js';

const maxBacklog = 1000;
const icmpGraceMs = 100;

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
	let errors = 0;
	// Printed once per turn of the event loop: a flood is one write, not one per message.
	let output: string[] = [];
	const print = () => {
		service.flushLog();
		io.stdout.write(output.join(''));
		output = [];
	};

	// Errors from the start (a --log that cannot be written) came before this listener.
	for (const line of service.getSnapshot().lines) {
		if (line.kind === 'system' && line.level === 'error') {
			errors++;
			io.stderr.write(`tui-netchat: ${line.text}\n`);
		}
	}

	const stop = service.onLineAdded(line => {
		if (line.kind === 'in') {
			if (output.length === 0) {
				setImmediate(print);
			}

			output.push(`${line.action ? `* ${line.from} ` : ''}${line.text}\n`);
		} else if (line.kind === 'system' && line.level === 'error') {
			errors++;
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
		if (service.getSnapshot().protocol === 'udp') {
			// A closed UDP port answers with an ICMP message a moment after the datagram left.
			await new Promise(resolve => {
				setTimeout(resolve, icmpGraceMs);
			});
		}

		return service.undelivered() === 0 && errors === 0 ? 0 : 1;
	} finally {
		stop();
		if (output.length > 0) {
			print();
		}
	}
}
