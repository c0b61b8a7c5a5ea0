import {splitForDatagram} from '../wire/split-datagram.js';

/** A cut this far back from the limit, at most, is made at a space instead, so words stay whole. */
const wordSlack = 0.3;

/**
 * Cuts text into pieces of at most maxBytes, never inside a character; where a space lies near the cut, the
 * cut is made after it, as weechat and irssi do. Joined, the pieces are the text again.
 */
export function splitMessage(text: string, maxBytes: number, byteLength: (text: string) => number): string[] {
	const pieces: string[] = [];
	let rest = text;
	while (byteLength(rest) > maxBytes) {
		const [hard = rest] = splitForDatagram(rest, maxBytes, byteLength);
		const space = hard.lastIndexOf(' ');
		const piece = space > 0 && byteLength(hard.slice(space + 1)) <= maxBytes * wordSlack ? hard.slice(0, space + 1) : hard;
		pieces.push(piece);
		rest = rest.slice(piece.length);
	}

	if (rest !== '') {
		pieces.push(rest);
	}

	return pieces;
}
