import {closeSync, openSync, writeSync} from 'node:fs';
import type {ChatLine} from './chat-line.js';

export function formatLogLine(line: ChatLine): string {
	const time = new Date(line.time).toISOString();
	if (line.kind === 'system') {
		return `${time} -!- ${line.text}\n`;
	}

	const who = line.action ? `* ${line.from}` : `<${line.from}>`;
	const where = line.kind === 'in' ? `from ${line.address}` : `to ${line.to}`;
	return `${time} ${line.transport} ${where} ${who} ${line.text}\n`;
}

/**
 * --log FILE: every line is appended with a synchronous write before it is shown, so what the user has
 * seen is in the kernel even if the program dies the next instant.
 */
export class ChatLog {
	private fd: number | undefined;

	constructor(readonly path: string) {
		this.fd = openSync(path, 'a', 0o600);
	}

	write(line: ChatLine): void {
		if (this.fd !== undefined) {
			writeSync(this.fd, formatLogLine(line));
		}
	}

	close(): void {
		if (this.fd !== undefined) {
			closeSync(this.fd);
			this.fd = undefined;
		}
	}
}
