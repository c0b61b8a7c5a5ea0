// ncat --chat (nmap's broker) prefixes each line with "<userN> " and writes bytes that are not printable
// ASCII as \ooo octal escapes; its own notices are "<announce> ..." lines.
const ncatUserLine = /^<(user\d+)> (.*)$/s;
const ncatAnnounce = /^<announce> (.*)$/s;

export type NcatLine =
	| {readonly kind: 'message'; readonly user: string; readonly text: string}
	| {readonly kind: 'announce'; readonly text: string};

export function parseNcatLine(line: string): NcatLine | undefined {
	const announce = ncatAnnounce.exec(line);
	if (announce) {
		return {kind: 'announce', text: unescapeOctal(announce[1] ?? '')};
	}

	const user = ncatUserLine.exec(line);
	return user ? {kind: 'message', user: user[1] ?? '', text: unescapeOctal(user[2] ?? '')} : undefined;
}

/** The bytes ncat's \ooo escapes spell, with the text around them as UTF-8 (a run may go on in the next chunk). */
export function octalBytes(text: string): Buffer {
	if (!text.includes('\\')) {
		return Buffer.from(text, 'utf8');
	}

	const parts: Buffer[] = [];
	let last = 0;
	for (const match of text.matchAll(/\\([0-3][0-7]{2})/g)) {
		parts.push(Buffer.from(text.slice(last, match.index), 'utf8'), Buffer.of(Number.parseInt(match[1] ?? '0', 8)));
		last = match.index + match[0].length;
	}

	parts.push(Buffer.from(text.slice(last), 'utf8'));
	return Buffer.concat(parts);
}

/** Undoes ncat's \ooo escapes, decoding the bytes they spell as UTF-8 (bad bytes become U+FFFD). */
export function unescapeOctal(text: string): string {
	return /\\[0-3][0-7]{2}/.test(text) ? new TextDecoder('utf-8').decode(octalBytes(text)) : text;
}
