import {parseGreeting, type Greeting} from './greeting.js';
import {parseNcatLine} from './ncat.js';
import {ownTagPattern, parseTagged, type Tags} from './tags.js';

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
	/** A line of an ncat --chat room, read with what came before it on the connection (session/relay-reader.ts). */
	| {readonly kind: 'relay'; readonly raw: string}
	| {readonly kind: 'plain'; readonly text: string};

/** What a tui-netchat that accepted a connection adds after its greeting: only two programs are on it. */
export const directLine = '@direct';

/**
 * A tui-netchat's keepalive (session/liveness.ts). The empty acknowledgement is for one from before
 * liveness, which reads it as an acknowledgement of nothing (an unknown tag alone it shows as an empty
 * message). Read as ours even from a sender not known as tui-netchat: one that talked with us before we restarted.
 */
export const aliveLine = '@alive;ack=';

export type Sender = {
	readonly tnc: boolean;
	readonly transport: 'udp' | 'tcp';
	readonly ncat: boolean;
	/** The connection is a room: several people behind one relay, where tags are never read. */
	readonly room?: 'chat' | 'broker' | undefined;
};

/**
 * Reads a line by the rules of the wire format: tags only from a tui-netchat (or in exactly our own form)
 * and never in a room, ncat's broker lines only on TCP, everything else plain text.
 */
export function readIncoming(raw: string, sender: Sender): IncomingLine {
	if (sender.room === 'chat') {
		return {kind: 'relay', raw};
	}

	const greeting = parseGreeting(raw);
	if (greeting) {
		return {kind: 'greeting', greeting};
	}

	if (sender.room === 'broker') {
		// "@direct" says a tui-netchat accepted our connection: no relay, a proxy (see session/inbound.ts).
		return raw === directLine ? {kind: 'tagged', tags: {direct: true}, text: '', recognised: false} : {kind: 'plain', text: raw};
	}

	const recognised = !sender.tnc && (raw === aliveLine || ownTagPattern.test(raw));
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
