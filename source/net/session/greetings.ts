import {formatEndpoint, type Endpoint} from '../../domain/endpoint.js';
import {TokenBucket} from './token-bucket.js';

/** Where a line goes: a UDP address, or one TCP connection. */
export type Dest = {readonly kind: 'udp'; readonly endpoint: Endpoint} | {readonly kind: 'tcp'; readonly connectionId: number};

/** "udp:127.0.0.1:7852" or "tcp:3": the same keys as the PeerBook's. */
export function destKey(dest: Dest): string {
	return dest.kind === 'udp' ? `udp:${formatEndpoint(dest.endpoint)}` : `tcp:${dest.connectionId}`;
}

/** Destinations remembered as greeted; the oldest is forgotten (and greeted again if it writes). */
const maxRemembered = 4096;

function remember(set: Set<string>, key: string): void {
	set.delete(key);
	set.add(key);
	if (set.size > maxRemembered) {
		const oldest = set.values().next().value;
		if (oldest !== undefined) {
			set.delete(oldest);
		}
	}
}

/** Over TCP the greeting waits this long after a first message, so a one-shot reader gets the message alone. */
export const tcpGreetingDelayMs = 250;

/**
 * When we send our greeting, in one place. Plain peers read it once, after our first message (so the
 * tutorial's recvfrom(1024)-then-reply server still gets the message; over TCP a moment after it, with
 * whatever is typed meanwhile held back, so a one-shot recv(1024) never reads the two together and the
 * order stays message, greeting, message); a tui-netchat reads it before our
 * first tagged line and is greeted again when it seems to have forgotten us. In a room, where everyone
 * reads everything, each connection gets it once and nothing else.
 */
export class Greetings {
	private readonly greeted = new Set<string>();
	private readonly regreeted = new Set<string>();
	private readonly timers = new Map<string, NodeJS.Timeout>();
	/** Greetings that answer someone rather than follow our own message: a spoofed flood gets few. */
	private readonly answers = new TokenBucket(50, 20);

	constructor(
		private readonly send: (dest: Dest, line: string) => Promise<void>,
		private readonly greeting: () => string,
		/** A line that follows every greeting to this destination, if any (our token for a known tui-netchat). */
		private readonly follow: (dest: Dest) => string | undefined,
		/** A held greeting went out: what was typed meanwhile may follow it now. */
		private readonly released: (dest: Dest) => void = () => undefined,
		private readonly tcpDelayMs = tcpGreetingDelayMs,
	) {}

	has(dest: Dest): boolean {
		return this.greeted.has(destKey(dest));
	}

	/** A greeting is due on this connection shortly: later messages wait for it, so they keep their order. */
	holding(dest: Dest): boolean {
		return this.timers.has(destKey(dest));
	}

	/** Before a tagged line: a peer that does not know us yet must read our greeting first. */
	async beforeTagged(dest: Dest): Promise<void> {
		const key = destKey(dest);
		if (!this.greeted.has(key) || this.timers.has(key)) {
			await this.now(dest);
		}
	}

	/**
	 * After a plain message: at once over UDP, and in a room (where it says whose the message was); over a
	 * TCP connection to one peer a moment later, never in the same read.
	 */
	async afterPlain(dest: Dest, inRoom = false): Promise<void> {
		const key = destKey(dest);
		if (this.greeted.has(key)) {
			return;
		}

		if (dest.kind === 'udp' || inRoom) {
			await this.now(dest);
			return;
		}

		remember(this.greeted, key);
		const timer = setTimeout(() => {
			this.timers.delete(key);
			void this.sendGreeting(dest);
			this.released(dest);
		}, this.tcpDelayMs);
		this.timers.set(key, timer);
	}

	/**
	 * A greeting came from a direct peer: greet back when it is new to us or has not had ours. True when a
	 * greeting went: what else answers a greeting (presence) follows only then, so spoofed greetings get
	 * no more than the limit lets out.
	 */
	answer(dest: Dest, isNew: boolean): boolean {
		if ((isNew || !this.greeted.has(destKey(dest))) && this.answers.take()) {
			void this.now(dest);
			return true;
		}

		return false;
	}

	/** A tui-netchat wrote without tags, so it does not know us (it restarted): greet it again, once. */
	untagged(dest: Dest): void {
		const key = destKey(dest);
		if (!this.regreeted.has(key) && this.answers.take()) {
			remember(this.regreeted, key);
			void this.now(dest);
		}
	}

	/** A line in our own tag form from someone we do not know: a tui-netchat from before our restart. */
	recognised(dest: Dest): void {
		if (!this.greeted.has(destKey(dest)) && this.answers.take()) {
			void this.now(dest);
		}
	}

	/**
	 * Someone we have reason to think is there and to lack our greeting (a transfer to go on after a restart):
	 * our greeting, within the limit of those that answer someone.
	 */
	hello(dest: Dest): void {
		if (this.answers.take()) {
			void this.now(dest);
		}
	}

	/** The nick changed: tui-netchat peers hear it from a new greeting. */
	renamed(dests: readonly Dest[]): void {
		for (const dest of dests) {
			void this.now(dest);
		}
	}

	/** Nothing heard our greeting there (a closed connection, a refused port): the next one greets again. */
	forget(dest: Dest): void {
		const key = destKey(dest);
		this.greeted.delete(key);
		this.regreeted.delete(key);
		clearTimeout(this.timers.get(key));
		this.timers.delete(key);
	}

	/** A greeting is held back somewhere: --send and pipe mode over TCP wait for it before they close, so a tui-netchat learns the nick. */
	anyHeld(): boolean {
		return this.timers.size > 0;
	}

	close(): void {
		for (const timer of this.timers.values()) {
			clearTimeout(timer);
		}

		this.timers.clear();
	}

	private async sendGreeting(dest: Dest): Promise<void> {
		const greeting = this.send(dest, this.greeting()).catch(() => undefined);
		const follow = this.follow(dest);
		await (follow === undefined ? greeting : Promise.all([greeting, this.send(dest, follow).catch(() => undefined)]));
	}

	private async now(dest: Dest): Promise<void> {
		const key = destKey(dest);
		const held = this.timers.has(key);
		clearTimeout(this.timers.get(key));
		this.timers.delete(key);
		remember(this.greeted, key);
		const sent = this.sendGreeting(dest);
		if (held) {
			this.released(dest);
		}

		await sent;
	}
}
