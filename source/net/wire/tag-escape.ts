// IRCv3 message-tag value escaping (ircv3.net/specs/extensions/message-tags): the tags between
// tui-netchat peers and an IRC server's tags are written the same way.

const tagEscapes: Record<string, string> = {';': '\\:', ' ': '\\s', '\\': '\\\\', '\r': '\\r', '\n': '\\n'};
const tagUnescapes: Record<string, string> = {':': ';', s: ' ', '\\': '\\', r: '\r', n: '\n'};

export function escapeTagValue(value: string): string {
	return value.replace(/[; \\\r\n]/g, char => tagEscapes[char] ?? char);
}

/** Read one escape at a time, so '\\\\n' is a backslash and an 'n'; an unknown '\\x' is 'x', a lone trailing '\\' nothing. */
export function unescapeTagValue(value: string): string {
	return value.replace(/\\(.?)/gsu, (_all, char: string) => tagUnescapes[char] ?? char);
}
