/** Who the merged view's messages go to: chosen (--peer, /connect, /query), or whoever wrote last. */
export type Target = {readonly conversation: string; readonly source: 'peer' | 'chosen' | 'last-sender'};

export class Targeting {
	private chosen: Target | undefined;
	private lastSender: string | undefined;

	current(): Target | undefined {
		if (this.chosen) {
			return this.chosen;
		}

		return this.lastSender === undefined ? undefined : {conversation: this.lastSender, source: 'last-sender'};
	}

	choose(conversation: string, source: 'peer' | 'chosen'): void {
		this.chosen = {conversation, source};
	}

	heardFrom(conversation: string): void {
		this.lastSender = conversation;
	}

	/** A greeting makes someone a sender to reply to only when there is nobody yet. */
	greetedBy(conversation: string): void {
		this.lastSender ??= conversation;
	}

	/** Two conversations turned out to be one. */
	moved(from: string, to: string): void {
		if (this.chosen?.conversation === from) {
			this.chosen = {...this.chosen, conversation: to};
		}

		if (this.lastSender === from) {
			this.lastSender = to;
		}
	}

	/** A conversation that was forgotten. */
	forget(conversation: string): void {
		if (this.lastSender === conversation) {
			this.lastSender = undefined;
		}
	}
}
