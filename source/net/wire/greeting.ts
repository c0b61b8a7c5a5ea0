// The greeting: one short line a person reading netcat understands, and a tui-netchat peer parses. It tells
// the sender's nick and the port it listens on, which ties a TCP connection to the UDP address of the same instance.

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
