// tui-netchat's framing in a datagram or TCP chunk, said in a few words beside its dump: a greeting, the
// tags of a tagged line (id, ack, part n/m, ...), a sealed line, ncat's chat framing, or plain text. A
// guess from the bytes alone (the inspector does not know who the sender is); what it says of a peer's
// bytes is sanitized.

import {parseGreeting} from '../wire/greeting.js';
import {multilineTag} from '../wire/multiline.js';
import {parseNcatLine} from '../wire/ncat.js';
import {sanitize} from '../wire/sanitize.js';
import {isSealed} from '../wire/seal.js';
import {parseTagged, type Tags} from '../wire/tags.js';
import type {InspectTransport} from './record.js';

/** Lines of one chunk described; the rest are counted. */
const describedLines = 3;

const tagWords: Record<string, (value: string | true) => string> = {
	id: value => `id ${String(value)}`,
	ack: value => (value === true || value === '' ? 'ack (none)' : `ack ${value.split(',').length === 1 ? value : `${value.split(',').length} ids`}`),
	part: value => `part ${String(value)}`,
	[multilineTag]: () => 'multi-line',
	me: () => 'action',
	alive: () => 'alive',
	direct: () => 'direct',
};

function describeTags(tags: Tags): string {
	return Object.entries(tags)
		.map(([key, value]) => tagWords[key]?.(value) ?? (value === true ? key : `${key}=${value}`))
		.join(', ');
}

function describeLine(line: string, transport: InspectTransport): string {
	if (isSealed(line)) {
		return `sealed %tnc1: ${line.length} B`;
	}

	const greeting = parseGreeting(line);
	if (greeting) {
		return `greeting ${greeting.nick} tnc/${greeting.version}${greeting.port === undefined ? '' : ` port ${greeting.port}`}`;
	}

	if (line.startsWith('@')) {
		const {tags, text} = parseTagged(line);
		if (Object.keys(tags).length > 0) {
			return `tags: ${describeTags(tags)}${text === '' ? '' : `; ${Buffer.byteLength(text)} B text`}`;
		}
	}

	if (transport === 'tcp') {
		const ncat = parseNcatLine(line);
		if (ncat) {
			return ncat.kind === 'announce' ? 'ncat announce' : `ncat <${ncat.user}>`;
		}
	}

	return line === '' ? 'empty line' : 'text';
}

/**
 * What the bytes are, as tui-netchat frames them: one description per line ("; " between), a last line
 * without its newline marked "(no newline)" on TCP (the rest comes in the next chunk), or "(cut)" when only
 * the first bytes were kept.
 */
export function describeFraming(bytes: Uint8Array, transport: InspectTransport, length = bytes.length): string {
	if (bytes.length === 0) {
		return 'empty';
	}

	const text = new TextDecoder('utf-8').decode(bytes);
	const lines = text.split('\n').map(line => (line.endsWith('\r') ? line.slice(0, -1) : line));
	const last = lines.pop() ?? '';
	const parts = lines.slice(0, describedLines).map(line => describeLine(line, transport));
	if (last !== '' && lines.length < describedLines) {
		const whole = transport === 'udp' && length === bytes.length;
		parts.push(`${describeLine(last, transport)}${length > bytes.length ? ' (cut)' : whole ? '' : ' (no newline)'}`);
	}

	const more = lines.length + (last === '' ? 0 : 1) - parts.length;
	if (more > 0) {
		parts.push(`+${more} more ${more === 1 ? 'line' : 'lines'}`);
	}

	return sanitize(parts.join('; '));
}
