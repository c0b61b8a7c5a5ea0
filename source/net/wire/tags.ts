// Between two tui-netchat peers, lines carry IRCv3-style message tags:
//   @id=7;me hello there
// Tags are only sent to a peer that greeted us, and only read from one, so a netcat user who types
// "@home" is never misread.

import {escapeTagValue, unescapeTagValue} from './tag-escape.js';

export type Tags = Readonly<Record<string, string | true>>;

export type TaggedLine = {readonly tags: Tags; readonly text: string};

export function formatTagged({tags, text}: TaggedLine): string {
	const parts = Object.entries(tags).map(([key, value]) => (value === true ? key : `${key}=${escapeTagValue(value)}`));
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

		tags[key] = equals === -1 ? true : unescapeTagValue(part.slice(equals + 1));
	}

	return {tags, text: space === -1 ? '' : line.slice(space + 1)};
}

/** A line as tui-netchat tags it ("@id=<8 characters>-<number>..."), which a person would hardly type. */
export const ownTagPattern = /^@id=[\w-]{8}-\d+(?:;[a-z\d-]+(?:=[^ ;]*)?)* |^@ack=[\w-]{8}-\d+(?:,[\w-]{8}-\d+)*$|^@token-please$/i;
