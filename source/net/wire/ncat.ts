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

/** Undoes ncat's \ooo escapes, decoding the bytes they spell as UTF-8. */
export function unescapeOctal(text: string): string {
	if (!/\\[0-3][0-7]{2}/.test(text)) {
		return text;
	}

	return text.replace(/(?:\\[0-3][0-7]{2})+/g, run => {
		const bytes = run
			.slice(1)
			.split('\\')
			.map(octal => Number.parseInt(octal, 8));
		return new TextDecoder('utf-8').decode(Uint8Array.from(bytes));
	});
}
