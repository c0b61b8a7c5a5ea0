import {aliveLine, type IncomingLine} from '../wire/incoming.js';
import {conversationName, type Conversation, type ConversationBook} from './conversations.js';
import {destKey, type Dest} from './greetings.js';
import type {Notices} from './notices.js';
import {controlRoutes, destOf, type Peer, type PeerBook} from './peers.js';

// Liveness between tui-netchat peers that talked (a message went either way in this run), so that one that
// stops answering (its machine sleeps, the network drops, it was killed) is said to be gone:
//   @alive;ack=    "still here", when nothing else went to that peer for an interval (30 s by default);
//                  11 bytes before the newline (and the seal, with --secret); see wire/incoming.ts

export const defaultLivenessMs = 30_000;

/** Nothing heard for this many intervals: "not answering". */
const silentAfter = 3;
/** While it is not answering, a keepalive every this many intervals... */
const slowEvery = 4;
/** ...until nothing was heard for this many (10 min at 30 s); then none until it is heard again. */
const giveUpAfter = 20;
/** Timer ticks per interval: a keepalive goes between 1 and 1 1/3 intervals after the last line sent. */
const ticksPerInterval = 3;

export type LivenessState = {
	/** A message went either way in this run: only then are keepalives worth sending. */
	talked: boolean;
	/** It sent "@alive": a tui-netchat that keeps alive, so its silence means something. */
	keepsAlive: boolean;
	/** It said @quit and nothing since: no keepalives, no "not answering". */
	quit: boolean;
	/** "not answering" was said, and "answering again" not yet. */
	silent: boolean;
	/** When it last heard from us, as far as we know (a line sent, or an acknowledgement of ours came). */
	lastSent: number;
};

export type LivenessStep = {readonly send: boolean; readonly sayGone: boolean};

/**
 * What is due for one conversation at `now`, nothing having been heard from it since `heardAt`: a
 * keepalive after an interval without sending, only every few intervals once it does not answer, and
 * none after a while (nor any to a peer that never kept alive, past the first few); "not answering"
 * once, after 3 intervals of silence, only of a peer that keeps alive (an older one is silent when idle).
 */
export function livenessStep(state: LivenessState, heardAt: number, now: number, intervalMs: number): LivenessStep {
	if (state.quit || !state.talked) {
		return {send: false, sayGone: false};
	}

	const quiet = now - heardAt;
	const answering = quiet < silentAfter * intervalMs;
	const every = answering ? 1 : state.keepsAlive && quiet < giveUpAfter * intervalMs ? slowEvery : Number.POSITIVE_INFINITY;
	return {send: now - state.lastSent >= every * intervalMs, sayGone: state.keepsAlive && !state.silent && !answering};
}

/** 90000 -> "90 s", 600 -> "0.6 s". */
export function formatSeconds(ms: number): string {
	return `${Number((ms / 1000).toFixed(1))} s`;
}

export type LivenessParts = {
	readonly peers: PeerBook;
	readonly conversations: ConversationBook;
	/** Lines peers cause, held to a few a window. */
	readonly notices: Notices;
	readonly send: (dest: Dest, line: string) => Promise<void>;
	readonly intervalMs: number;
};

/** Keepalives to tui-netchat peers we talked with, and a line when one stops (and starts again) answering. */
export class Liveness {
	/** By conversation id; only conversations that talked or kept alive, and only while they exist. */
	private readonly states = new Map<string, LivenessState>();
	private timer: NodeJS.Timeout | undefined;
	private stopped = false;
	/** When the timer last fired, to see that it fired far too late: this process was not running. */
	private lastFired = 0;
	/** When this process ran again after it was suspended (Ctrl+Z, a machine asleep): silence counts from then. */
	private awakeSince = 0;

	constructor(private readonly parts: LivenessParts) {}

	/** A message went either way: one of its own, or an acknowledgement of ours (so it heard us just now). */
	talked(conversation: Conversation, acknowledgedOurs: boolean): void {
		const state = this.state(conversation.id);
		state.talked = true;
		if (acknowledgedOurs) {
			state.lastSent = Date.now();
		} else {
			// A new message of its own: here again, if it had quit (acknowledgements may trail a quit).
			state.quit = false;
		}
	}

	/**
	 * Any line from the conversation: it answers. A keepalive says it keeps alive, and is answered unless
	 * something went there lately (so a peer that talked with us keeps hearing from us even when we do not
	 * remember talking, as after a restart); a quit says it left.
	 */
	heard(conversation: Conversation, line: IncomingLine): void {
		const tags = line.kind === 'tagged' ? line.tags : undefined;
		const alive = tags?.['alive'] === true;
		const state = alive ? this.state(conversation.id) : this.states.get(conversation.id);
		if (state === undefined) {
			return;
		}

		if (state.silent && tags?.['quit'] === undefined) {
			this.say(conversation, `${conversationName(conversation)} is answering again.`);
		}

		state.silent = false;
		state.keepsAlive ||= alive;
		if (tags?.['quit'] !== undefined) {
			state.quit = true;
		} else if (alive || line.kind === 'greeting') {
			// Here again (a restarted instance greets first); acknowledgements that trail a quit are not.
			state.quit = false;
		}

		const now = Date.now();
		if (alive && !this.stopped && now - state.lastSent >= this.parts.intervalMs / 2 && conversation.tnc && conversation.kind === 'peer') {
			// At most one answer per half interval, however many keepalives come: never more than it sends.
			this.keepAlive(controlRoutes(this.parts.peers.of(conversation.id)).get(conversation.id), state, now);
		}
	}

	/** A line went to dest. */
	sent(dest: Dest): void {
		if (this.states.size === 0) {
			return;
		}

		const id = this.parts.peers.get(destKey(dest))?.conversation ?? (dest.kind === 'udp' ? this.parts.conversations.at(dest.endpoint)?.id : undefined);
		const state = id === undefined ? undefined : this.states.get(id);
		if (state) {
			state.lastSent = Date.now();
		}
	}

	/** Two conversations are one instance: what is known of `from` goes to `into`. */
	merged(from: Conversation, into: Conversation): void {
		const old = this.states.get(from.id);
		if (old === undefined) {
			return;
		}

		this.states.delete(from.id);
		const state = this.state(into.id);
		state.talked ||= old.talked;
		state.keepsAlive ||= old.keepsAlive;
		state.lastSent = Math.max(state.lastSent, old.lastSent);
	}

	/** Closed (or we are leaving): nothing more goes out. */
	get closed(): boolean {
		return this.stopped;
	}

	close(): void {
		this.stopped = true;
		clearInterval(this.timer);
		this.timer = undefined;
		this.states.clear();
	}

	/** Exposed for tests: one round of keepalives and silences at `now`. */
	tick(now = Date.now()): void {
		const peers = this.parts.peers.list();
		// A conversation with no peer left (its only connection closed, which was said) is not said silent too.
		const reachable = new Set(peers.map(peer => peer.conversation));
		let routes: Map<string, Peer> | undefined;
		for (const [id, state] of this.states) {
			const conversation = this.parts.conversations.get(id);
			if (conversation === undefined) {
				this.states.delete(id);
				continue;
			}

			if (!conversation.tnc || conversation.kind !== 'peer' || !reachable.has(id)) {
				continue;
			}

			// What the peer sent while we were stopped is read after this tick: its silence counts from our wake-up.
			const step = livenessStep(state, Math.max(conversation.lastHeard, this.awakeSince), now, this.parts.intervalMs);
			if (step.sayGone) {
				state.silent = true;
				this.say(conversation, `${conversationName(conversation)} is not answering: nothing heard for ${formatSeconds(silentAfter * this.parts.intervalMs)}.`);
			}

			if (step.send) {
				routes ??= controlRoutes(peers);
				this.keepAlive(routes.get(id), state, now);
			}
		}
	}

	private keepAlive(peer: Peer | undefined, state: LivenessState, now: number): void {
		if (peer) {
			state.lastSent = now;
			void this.parts.send(destOf(peer), aliveLine).catch(() => undefined);
		}
	}

	private say(conversation: Conversation, text: string): void {
		this.parts.notices.say('presence', conversation.endpoint?.host ?? conversation.address, text, 'info', conversation.id);
	}

	private state(id: string): LivenessState {
		let state = this.states.get(id);
		if (state === undefined) {
			state = {talked: false, keepsAlive: false, quit: false, silent: false, lastSent: Date.now()};
			this.states.set(id, state);
			this.start();
		}

		return state;
	}

	private start(): void {
		if (this.timer === undefined && !this.stopped) {
			const every = Math.max(1, Math.round(this.parts.intervalMs / ticksPerInterval));
			this.lastFired = Date.now();
			this.timer = setInterval(() => {
				const now = Date.now();
				// Due `every` ms after the last, it fires much later only when this process did not run: it was
				// suspended or the machine slept, and the timer comes before what peers sent meanwhile is read.
				if (now - this.lastFired > 2 * every) {
					this.awakeSince = now;
				}

				this.lastFired = now;
				this.tick(now);
			}, every);
			this.timer.unref();
		}
	}
}
