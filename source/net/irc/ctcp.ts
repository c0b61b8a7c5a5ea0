// CTCP (modern.ircdocs.horse/ctcp): a PRIVMSG or NOTICE whose text is wrapped in \x01, as "\x01ACTION waves\x01".

export type Ctcp = {readonly command: string; readonly args: string};

const delimiter = '\u0001';

/** '\x01ACTION waves\x01' -> {command:'ACTION', args:'waves'}; the closing \x01 is optional; not CTCP -> undefined. */
export function parseCtcp(text: string): Ctcp | undefined {
	if (!text.startsWith(delimiter)) {
		return undefined;
	}

	const body = text.slice(1, text.endsWith(delimiter) ? -1 : undefined);
	const space = body.indexOf(' ');
	const command = (space === -1 ? body : body.slice(0, space)).toUpperCase();
	return command === '' ? undefined : {command, args: space === -1 ? '' : body.slice(space + 1)};
}

export function formatCtcp(command: string, args = ''): string {
	const body = args === '' ? command : `${command} ${args}`;
	return `${delimiter}${body}${delimiter}`;
}
