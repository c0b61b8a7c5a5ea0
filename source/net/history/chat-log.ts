import {closeSync, constants, fstatSync, ftruncateSync, openSync, writeSync} from 'node:fs';
import type {ChatLine} from '../../domain/snapshot.js';

let lastTime = Number.NaN;
let lastIso = '';

/** new Date().toISOString() for each of thousands of lines a second is most of a flood's garbage. */
function isoTime(time: number): string {
	if (time !== lastTime) {
		lastTime = time;
		lastIso = new Date(time).toISOString();
	}

	return lastIso;
}

export function formatLogLine(line: ChatLine): string {
	const time = isoTime(line.time);
	if (line.kind === 'system') {
		return `${time} -!- ${line.text}\n`;
	}

	const who = line.action ? `* ${line.from}` : `<${line.from}>`;
	const where = line.kind === 'in' ? `from ${line.address}` : `to ${line.to}`;
	return `${time} ${line.transport} ${where} ${who} ${oneRow(line.text)}\n`;
}

/** One message is one line of the log: the breaks of a multi-line message show as " ↵ ". */
function oneRow(text: string): string {
	return text.includes('\n') ? text.replaceAll('\n', ' \u21B5 ') : text;
}

/**
 * --log FILE: lines are gathered and appended with one synchronous write before anything shows them (the
 * store flushes the log before each frame and the pipe mode before it prints), and at the end of each turn
 * of the event loop: what the user has seen is in the kernel even if the program dies the next instant,
 * and a flood costs one write per turn, not one per datagram.
 */
export class ChatLog {
	private fd: number | undefined;
	/** A regular file, which a failed write can be cut back on; a pipe or a device cannot. */
	private readonly regular: boolean;
	private pending: string[] = [];
	private scheduled = false;

	/**
	 * @param onError told once when a write fails (disk full, a pipe that closed): the log then stops, and
	 * the chat goes on. In a regular file every line is whole or absent: a write the disk took only part of
	 * is cut back to the last whole line.
	 */
	constructor(
		readonly path: string,
		private readonly onError: (error: unknown) => void = () => undefined,
	) {
		this.fd = openSync(path, 'a', 0o600);
		this.regular = fstatSync(this.fd).isFile();
		try {
			// Writing nothing still asks the file whether it takes writes: /proc/version opens for append and
			// answers EIO, which should stop the start, not the log a moment after it.
			writeSync(this.fd, new Uint8Array(0));
		} catch (error) {
			closeSync(this.fd);
			this.fd = undefined;
			throw error;
		}

		if (!this.regular) {
			// A pipe (or a device): never let a reader that stops reading freeze the chat. A full pipe then
			// fails the write with EAGAIN, and the log stops with a line saying so.
			closeSync(this.fd);
			this.fd = openSync(path, constants.O_WRONLY | constants.O_APPEND | constants.O_NONBLOCK);
		}
	}

	write(line: ChatLine): void {
		if (this.fd === undefined) {
			return;
		}

		this.pending.push(formatLogLine(line));
		if (!this.scheduled) {
			this.scheduled = true;
			setImmediate(() => {
				this.flush();
			});
		}
	}

	flush(): void {
		this.scheduled = false;
		const {fd} = this;
		if (fd === undefined || this.pending.length === 0) {
			return;
		}

		const bytes = Buffer.from(this.pending.join(''));
		this.pending = [];
		let done = 0;
		let start: number | undefined;
		try {
			start = this.regular ? fstatSync(fd).size : undefined;
			while (done < bytes.length) {
				const written = writeSync(fd, bytes, done, bytes.length - done);
				if (written <= 0) {
					throw Object.assign(new Error('the disk took no more bytes'), {code: 'ENOSPC'});
				}

				done += written;
			}
		} catch (error) {
			if (start !== undefined && done > 0) {
				try {
					// A short write (a full disk) tore the last line: cut the file back to its last whole line.
					ftruncateSync(fd, start + bytes.lastIndexOf(10, done - 1) + 1);
				} catch {}
			}

			this.close();
			this.onError(error);
		}
	}

	close(): void {
		if (this.fd === undefined) {
			return;
		}

		this.flush();
		const {fd} = this;
		this.fd = undefined;
		if (fd !== undefined) {
			try {
				closeSync(fd);
			} catch {}
		}
	}
}
