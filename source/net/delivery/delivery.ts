import {formatEndpoint, type Endpoint, type Protocol} from '../../domain/endpoint.js';
import type {ChatLine} from '../../domain/snapshot.js';
import type {ChatHistory} from '../history/history.js';
import {sanitizeText} from '../wire/multiline.js';
import {newMessageId} from './message-id.js';
import {Outbox, type OutboxEntry} from './outbox.js';
import {OutboxFile, type StoredMessage, type StoredOutbox} from './outbox-store.js';

/** tui-netchat peers remembered across restarts. */
const maxKnownPeers = 256;

export type QueueRequest = {
	readonly protocol: Protocol;
	readonly conversation: string;
	/** Where it listens; undefined for a client that can only be reached on its connection (peerKey). */
	readonly endpoint: Endpoint | undefined;
	readonly peerKey?: string | undefined;
	readonly text: string;
	readonly action: boolean;
	/** Shown as the line's recipient. */
	readonly to: string;
	/** A tui-netchat, which acknowledges. */
	readonly tnc: boolean;
};

/**
 * The life of an own message: queued (its line shown as pending, its entry in the outbox), written, then
 * settled (delivered when acknowledged, sent when the peer cannot acknowledge, failed). The outbox is kept
 * in a file across restarts, with which endpoints are tui-netchat peers.
 */
export class Delivery {
	readonly outbox = new Outbox();
	readonly knownPeers = new Set<string>();
	private file: OutboxFile | undefined;
	private closed = false;

	constructor(
		private readonly history: ChatHistory,
		private readonly nick: () => string,
	) {}

	queue(request: QueueRequest): OutboxEntry {
		const line: ChatLine = {
			id: this.history.newId(),
			time: Date.now(),
			conversation: request.conversation,
			kind: 'out',
			transport: request.protocol,
			from: this.nick(),
			to: request.to,
			text: sanitizeText(request.text),
			delivery: 'pending',
			expectsAck: request.tnc,
			action: request.action,
		};
		this.history.append(line);
		const entry: OutboxEntry = {
			msgid: newMessageId(request.conversation),
			lineId: line.id,
			text: request.text,
			action: request.action,
			createdAt: line.time,
			protocol: request.protocol,
			conversation: request.conversation,
			endpoint: request.endpoint ? formatEndpoint(request.endpoint) : undefined,
			peerKey: request.peerKey,
			state: 'pending',
			expectsAck: request.tnc,
			attempts: 0,
			nextAt: 0,
		};
		this.outbox.add(entry);
		// On disk before anything shows it or writes it to a socket (only what can be redialled is kept).
		if (entry.endpoint !== undefined && !this.closed) {
			this.file?.added(storedForm(entry));
		}

		return entry;
	}

	/** On the wire: a plain peer's message is done; a tui-netchat's waits for its acknowledgement. */
	written(entry: OutboxEntry): void {
		if (this.outbox.get(entry.msgid) === undefined) {
			// Acknowledged (or given up) while it was being written.
			return;
		}

		if (entry.expectsAck) {
			entry.state = 'sent';
			this.history.setDelivery(entry.lineId, 'sent');
		} else {
			this.settle(entry, 'sent');
		}
	}

	/** Out of the outbox for good, its line showing how it ended. */
	settle(entry: OutboxEntry, result: 'sent' | 'delivered' | 'failed'): void {
		this.outbox.remove(entry.msgid);
		this.history.setDelivery(entry.lineId, result);
		this.changed();
	}

	/** An acknowledgement counts only from the conversation the message went to. */
	acknowledged(msgid: string, conversation: string): void {
		const entry = this.outbox.get(msgid);
		if (entry?.conversation === conversation) {
			this.settle(entry, 'delivered');
		}
	}

	/** Entries that must go again (a connection dropped before they were acknowledged). */
	unsent(entries: readonly OutboxEntry[]): void {
		for (const entry of entries) {
			entry.state = 'pending';
		}
	}

	/** Messages that can only go to a place nobody answers at: failed, with one line saying so. */
	abandon(entries: readonly OutboxEntry[], why: string): void {
		for (const entry of entries) {
			this.settle(entry, 'failed');
		}

		if (entries.length > 0) {
			this.history.system(`${entries.length} ${entries.length === 1 ? 'message' : 'messages'} ${why}`, 'error', entries[0]?.conversation);
		}
	}

	/** A tui-netchat, by its greeting now or by the list kept from earlier runs: it reads tags and acknowledges. */
	knows(conversation: {readonly tnc: boolean; readonly endpoint: Endpoint | undefined} | undefined, at = conversation?.endpoint): boolean {
		return (conversation?.tnc ?? false) || this.isKnownPeer(at);
	}

	isKnownPeer(endpoint: Endpoint | string | undefined): boolean {
		return endpoint !== undefined && this.knownPeers.has(typeof endpoint === 'string' ? endpoint : formatEndpoint(endpoint));
	}

	rememberPeer(endpoint: Endpoint): void {
		const label = formatEndpoint(endpoint);
		if (this.knownPeers.has(label)) {
			return;
		}

		this.knownPeers.add(label);
		if (this.knownPeers.size > maxKnownPeers) {
			const oldest = this.knownPeers.values().next().value;
			if (oldest !== undefined) {
				this.knownPeers.delete(oldest);
			}
		}

		this.changed();
	}

	/**
	 * Opens the outbox file; returns the messages left from last time, for the caller to send. A damaged
	 * file, or one that cannot be written, is said now, at start, in one line.
	 */
	restore(path: string): StoredMessage[] {
		this.file = new OutboxFile(
			path,
			() => this.stored(),
			(text, level) => {
				this.history.system(text, level);
			},
		);
		const stored = this.file.restore();
		for (const endpoint of stored.knownPeers) {
			this.knownPeers.add(endpoint);
		}

		return [...stored.messages];
	}

	/** A message from last time, shown and queued again under its old id (the peer may have it already). */
	requeue(message: StoredMessage, conversation: string): OutboxEntry {
		const tnc = this.knownPeers.has(message.endpoint);
		const line: ChatLine = {
			id: this.history.newId(),
			time: message.createdAt,
			conversation,
			kind: 'out',
			transport: message.protocol,
			from: this.nick(),
			to: message.endpoint,
			text: sanitizeText(message.text),
			delivery: 'pending',
			expectsAck: tnc,
			action: message.action,
		};
		this.history.append(line);
		const entry: OutboxEntry = {...message, conversation, lineId: line.id, peerKey: undefined, state: 'pending', expectsAck: tnc, attempts: 0, nextAt: 0};
		this.outbox.add(entry);
		return entry;
	}

	changed(): void {
		if (!this.closed) {
			this.file?.changed();
		}
	}

	close(): void {
		this.closed = true;
		this.file?.close();
	}

	/** What is kept across restarts: messages that can be redialled, and which peers are tui-netchat. */
	private stored(): StoredOutbox {
		const messages = this.outbox
			.list()
			.filter(entry => entry.endpoint !== undefined)
			.map(entry => storedForm(entry));
		return {messages, knownPeers: [...this.knownPeers]};
	}
}

function storedForm(entry: OutboxEntry): StoredMessage {
	return {msgid: entry.msgid, text: entry.text, action: entry.action, createdAt: entry.createdAt, protocol: entry.protocol, endpoint: entry.endpoint ?? ''};
}
