import type {Protocol} from '../../domain/endpoint.js';

// The outbox file's format: JSON lines, a header with the known peers, then one message a line; and how a
// damaged file is read for whatever is still whole in it.

export type StoredMessage = {
	readonly msgid: string;
	readonly text: string;
	readonly action: boolean;
	readonly createdAt: number;
	readonly protocol: Protocol;
	readonly endpoint: string;
};

export type StoredOutbox = {
	readonly messages: readonly StoredMessage[];
	/** Endpoints known to be tui-netchat peers: they get our greeting first, then tagged lines. */
	readonly knownPeers: readonly string[];
};

/** What a start finds: the readable messages, and one line for the user when the file was not as we left it. */
export type LoadedOutbox = StoredOutbox & {
	readonly problem?: string;
	/** Moved aside, or in the old one-object format: to be written again, in ours, at once. */
	readonly rewrite?: boolean;
};

function isStoredMessage(value: unknown): value is StoredMessage {
	const message = value as Partial<StoredMessage> | undefined;
	return (
		typeof message?.msgid === 'string' &&
		typeof message.text === 'string' &&
		typeof message.action === 'boolean' &&
		typeof message.createdAt === 'number' &&
		(message.protocol === 'udp' || message.protocol === 'tcp') &&
		typeof message.endpoint === 'string'
	);
}

/*
 * The file is JSON lines: a header, then one message per line, each appended (one write) as it is typed.
 * A message is a flat object that starts with {"msgid": and JSON.stringify puts no raw newline in it, so
 * whatever survives of a damaged file (cut short, garbage around it, the older one-object format) is found
 * by one pattern.
 */
const header = 'tui-netchat-outbox';
const entryPattern = /\{"msgid":(?:[^{}"\n]|"(?:[^"\\\n]|\\.)*")*\}/g;
const peersPattern = /"knownPeers":(\[(?:[^[\]"\n]|"(?:[^"\\\n]|\\.)*")*\])/;

export function formatOutbox(outbox: StoredOutbox): string {
	return [JSON.stringify({[header]: 2, knownPeers: outbox.knownPeers}), ...outbox.messages.map(message => JSON.stringify(message))].join('\n') + '\n';
}

function parse(text: string): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch {}
}

function stringsOf(value: unknown): string[] | undefined {
	return Array.isArray(value) && value.every(item => typeof item === 'string') ? value : undefined;
}

/** Reads either format strictly; undefined when anything in it is not as written. */
export function parseStrict(text: string): {messages: StoredMessage[]; knownPeers: string[]; old: boolean} | undefined {
	const whole = parse(text) as {messages?: unknown; knownPeers?: unknown} | undefined;
	if (whole !== undefined && Array.isArray(whole.messages)) {
		const knownPeers = stringsOf(whole.knownPeers ?? []);
		return knownPeers && whole.messages.every(message => isStoredMessage(message)) ? {messages: whole.messages, knownPeers, old: true} : undefined;
	}

	const lines = text.split('\n');
	const first = parse(lines[0] ?? '') as Record<string, unknown> | undefined;
	const knownPeers = stringsOf(first?.['knownPeers']);
	if (first?.[header] !== 2 || knownPeers === undefined || lines.at(-1) !== '') {
		return undefined;
	}

	const messages = lines.slice(1, -1).map(line => parse(line));
	return messages.every(message => isStoredMessage(message)) ? {messages, knownPeers, old: false} : undefined;
}

/** Everything readable in a damaged file, and how many messages it seems to have held. */
export function salvage(text: string): {messages: StoredMessage[]; knownPeers: string[]; total: number} {
	const messages = [...text.matchAll(entryPattern)].map(match => parse(match[0])).filter(message => isStoredMessage(message));
	const peers = peersPattern.exec(text);
	const total = Math.max(text.split('{"msgid":').length - 1, messages.length);
	return {messages, knownPeers: stringsOf(parse(peers?.[1] ?? '')) ?? [], total};
}

