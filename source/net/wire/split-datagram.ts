import {graphemes} from '../../text/text-width.js';

/**
 * Cuts text into pieces of at most maxBytes once encoded, never inside a character (nor inside an emoji
 * sequence), so each datagram decodes on its own: the tutorial's recvfrom(1024) would cut it otherwise.
 */
export function splitForDatagram(text: string, maxBytes: number, byteLength: (text: string) => number): string[] {
	if (byteLength(text) <= maxBytes) {
		return [text];
	}

	const pieces: string[] = [];
	let piece = '';
	let size = 0;
	for (const grapheme of graphemes(text)) {
		// A grapheme bigger than a datagram (a very long combining run) is split between its code points.
		const units = byteLength(grapheme) > maxBytes ? [...grapheme] : [grapheme];
		for (const unit of units) {
			const bytes = byteLength(unit);
			if (size + bytes > maxBytes && piece !== '') {
				pieces.push(piece);
				piece = '';
				size = 0;
			}

			piece += unit;
			size += bytes;
		}
	}

	if (piece !== '') {
		pieces.push(piece);
	}

	return pieces;
}

/**
 * Several lines for a plain peer, packed into as few datagrams as fit, each cut only between lines where it
 * can be (a line longer than a datagram is cut as above): netcat prints each line as it was typed.
 */
export function packLines(text: string, maxBytes: number, byteLength: (text: string) => number): string[] {
	if (!text.includes('\n')) {
		return splitForDatagram(text, maxBytes, byteLength);
	}

	const pieces: string[] = [];
	let piece: string | undefined;
	let size = 0;
	for (const line of text.split('\n')) {
		for (const part of splitForDatagram(line, maxBytes, byteLength)) {
			const bytes = byteLength(part);
			if (piece !== undefined && size + 1 + bytes <= maxBytes) {
				piece += `\n${part}`;
				size += 1 + bytes;
				continue;
			}

			if (piece !== undefined) {
				pieces.push(piece);
			}

			piece = part;
			size = bytes;
		}
	}

	if (piece !== undefined) {
		pieces.push(piece);
	}

	return pieces;
}
