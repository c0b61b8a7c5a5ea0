import type {ChatHistory} from '../history/history.js';
import type {Greetings} from '../session/greetings.js';
import {peerName, type Peer} from '../session/peers.js';
import {explainError} from '../transport/errors.js';
import type {TcpTransport} from '../transport/tcp-transport.js';
import type {Framer} from '../wire/framer.js';
import type {TextCodec} from '../wire/text-codec.js';
import {formatTagged} from '../wire/tags.js';
import type {Delivery} from './delivery.js';
import type {OutboxEntry} from './outbox.js';
import {wireForm} from './udp-sender.js';

export type TcpSenderParts = {
	readonly tcp: TcpTransport;
	readonly framer: Framer;
	readonly greetings: Greetings;
	readonly delivery: Delivery;
	readonly history: ChatHistory;
	readonly nick: () => string;
	/** A tui-netchat is known to listen where this connection's peer does (from an earlier run). */
	readonly known: (peer: Peer) => boolean;
	readonly track: (promise: Promise<unknown>) => void;
	/** What a conversation's text is written in (session/encodings.ts). */
	readonly codecOf: (conversation: string) => TextCodec;
};

/** Messages over one TCP connection, oldest first; a tui-netchat's acknowledgements take them out of the outbox. */
export class TcpSender {
	constructor(private readonly parts: TcpSenderParts) {}

	/** Writes what waits, until the socket is congested (the rest goes on 'drain'). */
	flush(peer: Peer, entries: readonly OutboxEntry[]): void {
		const id = peer.connectionId;
		if (id === undefined) {
			return;
		}

		const {tcp, framer, greetings, delivery} = this.parts;
		const dest = {kind: 'tcp', connectionId: id} as const;
		// In a room everyone reads everything: plain text only, never tags.
		const tnc = peer.room === undefined && (peer.tnc || this.parts.known(peer));
		if (tnc) {
			void greetings.beforeTagged(dest);
		}

		for (const entry of entries) {
			if (entry.state !== 'pending' || delivery.outbox.get(entry.msgid) === undefined) {
				continue;
			}

			if (tcp.congested(id) || greetings.holding(dest)) {
				// The peer is not reading, or our greeting is due first: the rest waits in the outbox.
				break;
			}

			entry.expectsAck = tnc;
			entry.state = 'sent';
			const written = tcp.write(id, framer.encode(formatTagged(wireForm(entry, tnc, this.parts.nick())), this.parts.codecOf(entry.conversation))).then(
				() => {
					delivery.written(entry);
				},
				(error: unknown) => {
					entry.state = 'pending';
					if (!tnc && entry.endpoint === undefined) {
						delivery.settle(entry, 'failed');
					}

					this.parts.history.system(`TCP to ${peerName(peer)}: ${explainError(error)}`, 'error', entry.conversation);
				},
			);
			this.parts.track(written);
			if (!tnc) {
				void greetings.afterPlain(dest, peer.room !== undefined);
			}
		}
	}
}
