// One IRC line to its parts and back: RFC 1459 framing with the IRCv3 message-tags extension
// (ircv3.net/specs/extensions/message-tags), read as leniently as modern.ircdocs.horse asks.

import {escapeTagValue, unescapeTagValue} from '../wire/tag-escape.js';

export {escapeTagValue, unescapeTagValue} from '../wire/tag-escape.js';

export type IrcSource = {readonly nick: string; readonly user: string | undefined; readonly host: string | undefined; readonly raw: string};

export type IrcMessage = {
	/** IRCv3 message tags, values unescaped; a tag without value maps to ''. */
	readonly tags: ReadonlyMap<string, string>;
	readonly source: IrcSource | undefined;
	/** Upper-cased; numerics stay as '001'. */
	readonly command: string;
	/** Middle params then the trailing one, if any, as the last element. */
	readonly params: readonly string[];
};


function parseTags(head: string): Map<string, string> {
	const tags = new Map<string, string>();
	for (const tag of head.split(';')) {
		const equals = tag.indexOf('=');
		const key = equals === -1 ? tag : tag.slice(0, equals);
		if (key !== '') {
			tags.set(key, equals === -1 ? '' : unescapeTagValue(tag.slice(equals + 1)));
		}
	}

	return tags;
}

/** "nick!user@host", "nick@host", or a server name, which is all nick. */
function parseSource(raw: string): IrcSource {
	const at = raw.indexOf('@');
	const beforeHost = at === -1 ? raw : raw.slice(0, at);
	const bang = beforeHost.indexOf('!');
	return {
		nick: bang === -1 ? beforeHost : beforeHost.slice(0, bang),
		user: bang === -1 ? undefined : beforeHost.slice(bang + 1),
		host: at === -1 ? undefined : raw.slice(at + 1),
		raw,
	};
}

function skipSpaces(line: string, position: number): number {
	let next = position;
	while (line[next] === ' ') {
		next++;
	}

	return next;
}

function wordEnd(line: string, position: number): number {
	const space = line.indexOf(' ', position);
	return space === -1 ? line.length : space;
}

/** One line without its CR LF; undefined for an empty or malformed line (no command). Never throws. */
export function parseMessage(line: string): IrcMessage | undefined {
	let position = skipSpaces(line, 0);
	let tags = new Map<string, string>();
	if (line[position] === '@') {
		const end = wordEnd(line, position);
		tags = parseTags(line.slice(position + 1, end));
		position = skipSpaces(line, end);
	}

	let source: IrcSource | undefined;
	if (line[position] === ':') {
		const end = wordEnd(line, position);
		const raw = line.slice(position + 1, end);
		source = raw === '' ? undefined : parseSource(raw);
		position = skipSpaces(line, end);
	}

	const commandEnd = wordEnd(line, position);
	const command = line.slice(position, commandEnd).toUpperCase();
	if (command === '') {
		return undefined;
	}

	// No cap at 15 params: modern.ircdocs.horse says clients must parse any number of them.
	const params: string[] = [];
	position = skipSpaces(line, commandEnd);
	while (position < line.length) {
		if (line[position] === ':') {
			params.push(line.slice(position + 1));
			break;
		}

		const end = wordEnd(line, position);
		params.push(line.slice(position, end));
		position = skipSpaces(line, end);
	}

	return {tags, source, command, params};
}

const commandPattern = /^(?:[a-z]+|\d{3})$/i;
const tagKeyPattern = /^\+?(?:[a-z\d.-]+\/)?[a-z\d-]+$/i;
const lineBreakOrNul = /[\r\n\0]/;

function formatTags(tags: Readonly<Record<string, string>>): string {
	const written = Object.entries(tags).map(([key, value]) => {
		// CR and LF in a value are escaped; NUL has no escape.
		if (!tagKeyPattern.test(key) || value.includes('\0')) {
			throw new Error(`Cannot send the IRC tag ${JSON.stringify(key)}: not a valid key, or NUL in its value`);
		}

		return value === '' ? key : `${key}=${escapeTagValue(value)}`;
	});
	return written.length === 0 ? '' : `@${written.join(';')} `;
}

// Errors name a parameter by its place, not its text, which may be a password.
function formatParam(command: string, param: string, index: number, isLast: boolean): string {
	if (lineBreakOrNul.test(param)) {
		throw new Error(`Cannot send ${command}: parameter ${index + 1} has a line break or NUL`);
	}

	const needsTrailing = param === '' || param.includes(' ') || param.startsWith(':');
	if (needsTrailing && !isLast) {
		throw new Error(`Cannot send ${command}: parameter ${index + 1} is empty, has a space or starts with ':' but is not the last`);
	}

	return needsTrailing ? `:${param}` : param;
}

/** The wire form without CR LF; throws rather than write a line that would not parse back the same. */
export function formatMessage(command: string, params: readonly string[], tags: Readonly<Record<string, string>> = {}): string {
	if (!commandPattern.test(command)) {
		throw new Error(`Cannot send the IRC command ${JSON.stringify(command)}`);
	}

	const words = params.map((param, index) => formatParam(command, param, index, index === params.length - 1));
	return `${formatTags(tags)}${[command, ...words].join(' ')}`;
}
