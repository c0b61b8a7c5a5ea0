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

/** A line as tui-netchat tags it ("@id=<8 characters>-<number>..."), which a person would hardly type. */
const ownTagPattern = /^@id=[\w-]{8}-\d+(?:;[a-z\d-]+(?:=[^ ;]*)?)* /i;

/** What one incoming line is, given what we know of its sender. */
export type IncomingLine =
	| {readonly kind: 'greeting'; readonly greeting: Greeting}
	| {
			readonly kind: 'tagged';
			readonly tags: Tags;
			readonly text: string;
			/** From a sender not known as tui-netchat, in our own tag form: one that knew us before a restart. */
			readonly recognised: boolean;
	  }
	| {readonly kind: 'ncat-announce'; readonly text: string}
	| {readonly kind: 'ncat-message'; readonly user: string; readonly text: string}
	| {readonly kind: 'plain'; readonly text: string};

export type Sender = {readonly tnc: boolean; readonly transport: 'udp' | 'tcp'; readonly ncat: boolean};

/**
 * Reads a line by the rules above: tags only from a tui-netchat (or in exactly our own form), ncat's
 * broker lines only on TCP, everything else plain text.
 */
export function readIncoming(raw: string, sender: Sender): IncomingLine {
	const greeting = parseGreeting(raw);
	if (greeting) {
		return {kind: 'greeting', greeting};
	}

	const recognised = !sender.tnc && ownTagPattern.test(raw);
	if (sender.tnc || recognised) {
		return {kind: 'tagged', ...parseTagged(raw), recognised};
	}

	if (sender.transport === 'tcp' && (sender.ncat || raw.startsWith('<announce> '))) {
		const ncat = parseNcatLine(raw);
		if (ncat?.kind === 'announce') {
			return {kind: 'ncat-announce', text: ncat.text};
		}

		if (ncat?.kind === 'message') {
			return {kind: 'ncat-message', user: ncat.user, text: ncat.text};
		}
	}

	return {kind: 'plain', text: raw};
}
