import type {Protocol} from '../../domain/endpoint.js';

/** An own message to a tui-netchat peer that is not yet acknowledged, or any message waiting for its link. */
export type OutboxEntry = {
	readonly msgid: string;
	readonly lineId: number;
	readonly text: string;
	readonly action: boolean;
	readonly createdAt: number;
	readonly protocol: Protocol;
	/** The conversation it was typed to: only that conversation's acknowledgement counts. */
	conversation: string;
	/** Where the peer listens ("127.0.0.1:7852"); undefined for a connection we cannot redial. */
	readonly endpoint: string | undefined;
	/** The connection a message without an endpoint must go on ("tcp:3"). */
	readonly peerKey: string | undefined;
	/** Written to the wire at least once on the current connection (TCP) or at all (UDP). */
	state: 'pending' | 'sent';
	/** The peer is a tui-netchat and will acknowledge it. */
	expectsAck: boolean;
	attempts: number;
	nextAt: number;
};

/** Messages in flight, in the order they were typed. */
export class Outbox {
	private readonly entries = new Map<string, OutboxEntry>();

	add(entry: OutboxEntry): void {
		this.entries.set(entry.msgid, entry);
	}

	get(msgid: string): OutboxEntry | undefined {
		return this.entries.get(msgid);
	}

	remove(msgid: string): OutboxEntry | undefined {
		const entry = this.entries.get(msgid);
		this.entries.delete(msgid);
		return entry;
	}

	/** Entries not yet on the wire; a script asks after every input line, so no list is copied. */
	pendingCount(): number {
		let count = 0;
		for (const entry of this.entries.values()) {
			if (entry.state === 'pending') {
				count++;
			}
		}

		return count;
	}

	list(): OutboxEntry[] {
		return [...this.entries.values()];
	}

	/** Entries for one conversation over one protocol, oldest first. */
	of(conversation: string, protocol: Protocol): OutboxEntry[] {
		return this.list().filter(entry => entry.protocol === protocol && entry.conversation === conversation);
	}

	/** The same instance was found under another conversation: what waited for one now waits for the other. */
	moveConversation(from: string, to: string): void {
		for (const entry of this.entries.values()) {
			if (entry.conversation === from) {
				entry.conversation = to;
			}
		}
	}
}
