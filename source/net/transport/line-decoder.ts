import {TextDecoder} from 'node:util';

export const defaultMaxLineBytes = 64 * 1024;

export const cutMarker = ' [… line cut]';

/**
 * Bytes in, whole lines out. Lines end at "\n" (a "\r" before it is dropped); a character split across
 * chunks is decoded whole. A line longer than maxLineBytes is cut with a marker and the rest of it is
 * skipped, so a peer that never sends a newline cannot grow memory.
 */
export class LineDecoder {
	private readonly decoder: TextDecoder;
	private pending = '';
	private pendingBytes = 0;
	private skipping = false;
	/** After end(): whether its last line had no newline (the close ended it). */
	endedUnterminated = false;

	constructor(
		private readonly maxLineBytes = defaultMaxLineBytes,
		encoding = 'utf-8',
	) {
		this.decoder = new TextDecoder(encoding);
	}

	push(chunk: Uint8Array): string[] {
		return this.take(this.decoder.decode(chunk, {stream: true}));
	}

	/** The connection closed: text without a final newline is a message too. */
	end(): string[] {
		const lines = this.take(this.decoder.decode());
		this.endedUnterminated = !this.skipping && this.pending !== '';
		if (this.endedUnterminated) {
			lines.push(stripCr(this.pending));
		}

		this.pending = '';
		this.pendingBytes = 0;
		this.skipping = false;
		return lines;
	}

	private take(text: string): string[] {
		const lines: string[] = [];
		let start = 0;
		for (;;) {
			const newline = text.indexOf('\n', start);
			const piece = newline === -1 ? text.slice(start) : text.slice(start, newline);
			this.append(piece, lines);
			if (newline === -1) {
				return lines;
			}

			if (this.skipping) {
				this.skipping = false;
			} else {
				lines.push(stripCr(this.pending));
			}

			this.pending = '';
			this.pendingBytes = 0;
			start = newline + 1;
		}
	}

	private append(piece: string, lines: string[]): void {
		if (this.skipping || piece === '') {
			return;
		}

		const bytes = Buffer.byteLength(piece);
		if (this.pendingBytes + bytes <= this.maxLineBytes) {
			this.pending += piece;
			this.pendingBytes += bytes;
			return;
		}

		const room = this.maxLineBytes - this.pendingBytes;
		lines.push(this.pending + truncateToBytes(piece, room) + cutMarker);
		this.pending = '';
		this.pendingBytes = 0;
		this.skipping = true;
	}
}

function stripCr(line: string): string {
	return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/** The longest prefix of text that fits in maxBytes of UTF-8 without splitting a character. */
export function truncateToBytes(text: string, maxBytes: number): string {
	if (maxBytes <= 0) {
		return '';
	}

	let bytes = 0;
	let end = 0;
	for (const char of text) {
		const size = Buffer.byteLength(char);
		if (bytes + size > maxBytes) {
			break;
		}

		bytes += size;
		end += char.length;
	}

	return text.slice(0, end);
}
