import {endpointFromLabel, formatEndpoint, type Endpoint} from '../../domain/endpoint.js';
import type {ChatHistory} from '../history/history.js';
import type {Greetings} from '../session/greetings.js';
import {plainAddress, resolveAll, type ResolvedEndpoint} from '../transport/address.js';
import {explainError} from '../transport/errors.js';
import type {UdpTransport} from '../transport/udp-transport.js';
import type {Framer} from '../wire/framer.js';
import type {TextCodec} from '../wire/text-codec.js';
import {actionLines, escapeBreaks, isMultiline, multilineTag} from '../wire/multiline.js';
import {packLines, splitForDatagram} from '../wire/split-datagram.js';
import {formatTagged, type Tags} from '../wire/tags.js';
import type {Delivery} from './delivery.js';
import type {OutboxEntry} from './outbox.js';
import {UdpRefusals} from './udp-refusals.js';

const maxRetransmitDelayMs = 10_000;
/** Sends of one message without an acknowledgement after which the user is told (0.5 + 1 + 2 s). */
const unansweredAfter = 4;
/** Pieces a long UDP message may take; the receiver refuses more (session/reassembler.ts). */
export const maxPieces = 128;

export type UdpSenderParts = {
	readonly udp: UdpTransport;
	readonly framer: Framer;
	readonly greetings: Greetings;
	readonly delivery: Delivery;
	readonly history: ChatHistory;
	readonly maxDatagram: number;
	readonly retransmitBaseMs: number;
	readonly nick: () => string;
	/** The address a conversation's endpoint resolved to; true when a tui-netchat is known there. */
	readonly resolved: (conversation: string, address: Endpoint) => boolean;
	readonly track: (promise: Promise<unknown>) => void;
	/** What a conversation's text is written in (session/encodings.ts). */
	readonly codecOf: (conversation: string) => TextCodec;
};

/**
 * The text and tags of an entry: tags for a tui-netchat (several lines as one, escaped: wire/multiline.ts);
 * for a plain peer the lines themselves, and "* nick text" for its /me.
 */
export function wireForm(entry: OutboxEntry, tnc: boolean, nick: string): {tags: Tags; text: string} {
	if (!tnc) {
		return {tags: {}, text: entry.action ? actionLines(nick, entry.text) : entry.text};
	}

	const tags: Record<string, string | true> = {id: entry.msgid};
	if (entry.action) {
		tags['me'] = true;
	}

	if (!isMultiline(entry.text)) {
		return {tags, text: entry.text};
	}

	tags[multilineTag] = true;
	return {tags, text: escapeBreaks(entry.text)};
}

/**
 * Messages over UDP: each goes as one or more datagrams, one send after another (a host name lookup never
 * reorders them); a tui-netchat peer's message is sent again, 0.5 s doubling to 10 s, until acknowledged.
 */
export class UdpSender {
	private chain: Promise<void> = Promise.resolve();
	/** Conversations told that their messages go unacknowledged (once each). */
	private readonly unanswered = new Set<string>();
	private timer: NodeJS.Timeout | undefined;
	private closed = false;
	private readonly refusals = new UdpRefusals();

	constructor(private readonly parts: UdpSenderParts) {
		parts.udp.on('refused', (address, port) => {
			this.onRefused(formatEndpoint({host: plainAddress(address), port}));
		});
		parts.udp.on('message', (_data, remote) => {
			this.refusals.heard(formatEndpoint({host: plainAddress(remote.address), port: remote.port}));
		});
	}

	send(conversation: string, endpoint: Endpoint, text: string, action: boolean): void {
		this.then(async () => {
			let entry: OutboxEntry | undefined;
			try {
				const all = await resolveAll(endpoint);
				if (all.some(candidate => candidate.family === 6)) {
					await this.parts.udp.ipv6Ready;
				}

				// Addresses of a family we have a socket for (--bind takes one), unless that leaves none.
				const usable = all.filter(candidate => this.parts.udp.hasFamily(candidate.family));
				const candidates = usable.length > 0 ? usable : all;
				const resolved = this.refusals.choose(candidates) ?? all[0]!;
				const address = {host: resolved.address, port: resolved.port};
				const tnc = this.parts.resolved(conversation, address);
				entry = this.parts.delivery.queue({protocol: 'udp', conversation, endpoint: address, text, action, to: formatEndpoint(endpoint), tnc});
				await this.transmit(entry, candidates);
			} catch (error) {
				if (entry) {
					this.parts.delivery.settle(entry, 'failed');
				}

				this.parts.history.system(`UDP to ${formatEndpoint(endpoint)}: ${explainError(error)}`, 'error', conversation);
			}
		});
	}

	/** A message from the outbox (last time's, or due again). */
	resend(entry: OutboxEntry): void {
		this.then(async () => this.transmit(entry).catch(() => undefined));
	}

	close(): void {
		this.closed = true;
		clearTimeout(this.timer);
	}

	private then(step: () => Promise<void>): void {
		this.chain = this.chain.then(step);
		this.parts.track(this.chain);
	}

	/**
	 * An ICMP port unreachable from there: the plain messages lately written to it went nowhere. Each goes to
	 * the next address of its name, if it has one that has not refused; the rest show as not sent (the
	 * refusal itself is said once, by session/arrivals.ts).
	 */
	private onRefused(label: string): void {
		for (const {entry, candidates} of this.refusals.refusedAt(label)) {
			const next = this.refusals.choose(candidates, label);
			if (next === undefined) {
				this.parts.history.setDelivery(entry.lineId, 'failed');
				continue;
			}

			const address = {host: next.address, port: next.port};
			this.parts.resolved(entry.conversation, address);
			const again: OutboxEntry = {...entry, endpoint: formatEndpoint(address), state: 'pending', attempts: 0};
			this.parts.delivery.outbox.add(again);
			this.then(async () => this.transmit(again, candidates).catch(() => {
				this.parts.delivery.settle(again, 'failed');
			}));
		}
	}

	/** Sends (or resends) one entry as datagrams; a tui-netchat peer's entry stays until acknowledged. */
	private async transmit(entry: OutboxEntry, candidates: readonly ResolvedEndpoint[] = []): Promise<void> {
		const endpoint = endpointFromLabel(entry.endpoint);
		if (endpoint === undefined) {
			return;
		}

		const {framer, greetings, delivery, udp} = this.parts;
		const dest = {kind: 'udp', endpoint} as const;
		if (entry.expectsAck) {
			await greetings.beforeTagged(dest);
		}

		const {tags, text} = wireForm(entry, entry.expectsAck, this.parts.nick());
		// Room for a "part=NNN/NNN" tag too, when there are tags at all.
		const prefix = formatTagged({tags, text: 'x'}).length - 1 + (entry.expectsAck ? 14 : 0);
		const codec = this.parts.codecOf(entry.conversation);
		const room = framer.datagramRoom(this.parts.maxDatagram) - prefix;
		// A tui-netchat's message is one line, in pieces it puts back together; a plain peer's lines go as lines.
		const pieces = (entry.expectsAck ? splitForDatagram : packLines)(text, room, framer.byteLengthIn(codec));
		if (entry.expectsAck && pieces.length > maxPieces) {
			delivery.settle(entry, 'failed');
			this.parts.history.system(`Not sent: ${pieces.length} datagrams is too long for UDP (at most ${maxPieces}); send it over TCP (Ctrl+T).`, 'error', entry.conversation);
			return;
		}

		for (const [index, piece] of pieces.entries()) {
			const pieceTags = entry.expectsAck && pieces.length > 1 ? {...tags, part: `${index + 1}/${pieces.length}`} : tags;
			// eslint-disable-next-line no-await-in-loop
			await udp.send(framer.encode(formatTagged({tags: pieceTags, text: piece}), codec), endpoint.host, endpoint.port);
		}

		entry.attempts++;
		if (delivery.outbox.get(entry.msgid) === undefined) {
			// Acknowledged while this copy was on its way.
			return;
		}

		delivery.written(entry);
		if (!entry.expectsAck && entry.endpoint !== undefined) {
			this.refusals.written(entry.endpoint, {entry, at: Date.now(), candidates});
		}

		if (entry.expectsAck && entry.attempts === unansweredAfter && !this.unanswered.has(entry.conversation)) {
			this.unanswered.add(entry.conversation);
			this.parts.history.system(
				`No acknowledgement from ${entry.endpoint ?? ''} after ${unansweredAfter} tries: it may be down${this.parts.framer.fingerprint ? ', or its --secret is not ours' : ''}. Trying on.`,
				'error',
				entry.conversation,
			);
		}

		if (entry.expectsAck) {
			entry.nextAt = Date.now() + Math.min(maxRetransmitDelayMs, this.parts.retransmitBaseMs * 2 ** (entry.attempts - 1));
			this.scheduleRetransmit();
		} else {
			await greetings.afterPlain(dest);
		}
	}

	private scheduleRetransmit(): void {
		if (this.closed || this.timer) {
			return;
		}

		const due = this.waiting();
		if (due.length === 0) {
			return;
		}

		const next = Math.min(...due.map(entry => entry.nextAt));
		this.timer = setTimeout(
			() => {
				this.timer = undefined;
				const now = Date.now();
				for (const entry of this.waiting()) {
					if (entry.nextAt <= now) {
						this.resend(entry);
					}
				}

				this.scheduleRetransmit();
			},
			Math.max(0, next - Date.now()),
		);
	}

	private waiting(): OutboxEntry[] {
		return this.parts.delivery.outbox.list().filter(entry => entry.protocol === 'udp' && entry.expectsAck && entry.state === 'sent');
	}
}
