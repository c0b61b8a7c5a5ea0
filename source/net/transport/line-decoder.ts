export const defaultMaxLineBytes = 64 * 1024;

export const cutMarker = ' [… line cut]';

/** A line's bytes (without its newline) as text: a fixed encoding, or one that may change (a conversation's). */
export type LineDecode = (bytes: Buffer) => string;

const noBytes = Buffer.alloc(0);

/**
 * Bytes in, whole lines out. Lines end at "\n" (a "\r" before it is dropped) and are split as bytes, then
 * decoded whole, so a character split across chunks is never cut and the decoding may change between lines
 * (the newline byte never occurs inside a UTF-8, GBK or GB18030 character). A line longer than maxLineBytes is
 * cut with a marker and the rest of it is skipped, so a peer that never sends a newline cannot grow memory.
 */
export class LineDecoder {
	private readonly decode: LineDecode;
	private pending: Buffer[] = [];
	private pendingBytes = 0;
	private skipping = false;
	/** After end(): whether its last line had no newline (the close ended it). */
	endedUnterminated = false;

	constructor(
		private readonly maxLineBytes = defaultMaxLineBytes,
		encoding: string | LineDecode = 'utf-8',
	) {
		if (typeof encoding === 'function') {
			this.decode = encoding;
		} else {
			const decoder = new TextDecoder(encoding);
			this.decode = bytes => decoder.decode(bytes);
		}
	}

	push(chunk: Uint8Array): string[] {
		const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
		const lines: string[] = [];
		let start = 0;
		for (;;) {
			const newline = bytes.indexOf(0x0A, start);
			this.append(bytes.subarray(start, newline === -1 ? bytes.length : newline), lines);
			if (newline === -1) {
				return lines;
			}

			if (this.skipping) {
				this.skipping = false;
			} else {
				lines.push(this.line(this.take()));
			}

			start = newline + 1;
		}
	}

	/** The connection closed: text without a final newline is a message too. */
	end(): string[] {
		this.endedUnterminated = !this.skipping && this.pendingBytes > 0;
		const lines = this.endedUnterminated ? [this.line(this.take())] : [];
		this.pending = [];
		this.pendingBytes = 0;
		this.skipping = false;
		return lines;
	}

	private take(): Buffer {
		const bytes = this.pending.length === 1 ? this.pending[0]! : this.pending.length === 0 ? noBytes : Buffer.concat(this.pending);
		this.pending = [];
		this.pendingBytes = 0;
		return bytes;
	}

	private line(bytes: Buffer): string {
		return this.decode(bytes.at(-1) === 0x0D ? bytes.subarray(0, -1) : bytes);
	}

	private append(piece: Buffer, lines: string[]): void {
		if (this.skipping || piece.length === 0) {
			return;
		}

		if (this.pendingBytes + piece.length <= this.maxLineBytes) {
			this.pending.push(piece);
			this.pendingBytes += piece.length;
			return;
		}

		this.pending.push(piece.subarray(0, this.maxLineBytes - this.pendingBytes));
		lines.push(this.cut(this.take()) + cutMarker);
		this.skipping = true;
	}

	/** A cut line, without the half character the cut may have left at its end. */
	private cut(bytes: Buffer): string {
		const text = this.decode(bytes);
		for (let back = 1; back <= 3 && text.endsWith('\uFFFD') && back < bytes.length; back++) {
			const shorter = this.decode(bytes.subarray(0, bytes.length - back));
			if (!shorter.endsWith('\uFFFD')) {
				return shorter;
			}
		}

		return text;
	}
}
