// The wire format. Plain peers (netcat, the tutorial's scripts) see plain text lines and, once, a greeting
// line a person can read. Between two tui-netchat peers, lines carry IRCv3-style message tags:
//   @id=7;me hello there
// Tags are only sent to a peer that greeted us, and only read from one, so a netcat user who types
// "@home" is never misread.

export const protocolVersion = 1;

export type Tags = Readonly<Record<string, string | true>>;

export type TaggedLine = {readonly tags: Tags; readonly text: string};

export type Greeting = {readonly nick: string; readonly version: number; readonly port: number | undefined};

const greetingPattern = /^\*\*\* (\S{1,32}) is here via tui-netchat \(tnc\/(\d+)(?: port (\d{1,5}))?\)$/;

/** One short line a person reading netcat understands, and a tui-netchat peer parses. */
export function formatGreeting(nick: string, port: number | undefined): string {
	return `*** ${nick} is here via tui-netchat (tnc/${protocolVersion}${port ? ` port ${port}` : ''})`;
}

export function parseGreeting(line: string): Greeting | undefined {
	const match = greetingPattern.exec(line);
	if (!match) {
		return undefined;
	}

	const port = match[3] === undefined ? undefined : Number(match[3]);
	return {nick: match[1] ?? '', version: Number(match[2]), port: port !== undefined && port > 0 && port < 65_536 ? port : undefined};
}

const escapes: Record<string, string> = {';': '\\:', ' ': '\\s', '\\': '\\\\', '\r': '\\r', '\n': '\\n'};
const unescapes: Record<string, string> = {':': ';', s: ' ', '\\': '\\', r: '\r', n: '\n'};

function escapeValue(value: string): string {
	return value.replace(/[; \\\r\n]/g, char => escapes[char] ?? char);
}

function unescapeValue(value: string): string {
	return value.replace(/\\(.?)/g, (_all, char: string) => unescapes[char] ?? char);
}

export function formatTagged({tags, text}: TaggedLine): string {
	const parts = Object.entries(tags).map(([key, value]) => (value === true ? key : `${key}=${escapeValue(value)}`));
	return parts.length === 0 ? text : `@${parts.join(';')}${text === '' ? '' : ` ${text}`}`;
}

const tagKey = /^[a-z\d-]{1,32}$/i;

/** Reads "@k=v;flag text"; a line without tags is all text. */
export function parseTagged(line: string): TaggedLine {
	if (!line.startsWith('@')) {
		return {tags: {}, text: line};
	}

	const space = line.indexOf(' ');
	const head = space === -1 ? line.slice(1) : line.slice(1, space);
	const tags: Record<string, string | true> = {};
	for (const part of head.split(';')) {
		const equals = part.indexOf('=');
		const key = equals === -1 ? part : part.slice(0, equals);
		if (!tagKey.test(key)) {
			return {tags: {}, text: line};
		}

		tags[key] = equals === -1 ? true : unescapeValue(part.slice(equals + 1));
	}

	return {tags, text: space === -1 ? '' : line.slice(space + 1)};
}

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
