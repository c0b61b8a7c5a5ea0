import {conversationLabel} from '../domain/conversation.js';
import type {ChatSnapshot, LineTransport} from '../domain/snapshot.js';
import type {ChatService} from '../net/index.js';
import {formatLine, type InLine, type LineFormat} from './line-format.js';

/**
 * How long a message from a sender known only by its address waits for the greeting that may name it. A
 * tui-netchat writing to us first sends its message, then its greeting: over UDP at once, over TCP 250 ms
 * later (net/session/greetings.ts). A plain peer's message waits for nothing, so never longer than 0.3 s.
 */
export const nameWaitMs: Readonly<Record<LineTransport, number>> = {udp: 150, tcp: 300, irc: 0};

/** A new conversation is in the snapshot a frame after its first message: a name waits at most this long. */
const conversationWaitMs = 300;

/** Senders found to be plain peers (no greeting came in time): their next messages print at once. */
const maxPlainSenders = 1024;

/** The relabelled lines are among the snapshot's last ones. */
const snapshotTail = 500;

type Held = {line: InLine; readonly at: number};

function unnamed(line: InLine): boolean {
	return line.from === line.address;
}

/**
 * Pipe mode's stdout: received messages, formatted, in the order they came, written once per turn of the
 * event loop (a flood is one write). A message from a sender not yet named waits, and the ones after it
 * with it, until the greeting names the sender (the history relabels the line: ChatHistory.relabel) or
 * nameWaitMs has passed; on close everything still waiting is written.
 */
export class PipeOutput {
	private held: Held[] = [];
	private timer: NodeJS.Timeout | undefined;
	private immediate: NodeJS.Immediate | undefined;
	private readonly plainSenders = new Set<string>();
	private readonly wantsNames: boolean;
	private readonly unsubscribe: () => void;

	constructor(
		private readonly service: Pick<ChatService, 'getSnapshot' | 'subscribe' | 'flushLog'>,
		private readonly stdout: NodeJS.WritableStream,
		private readonly format: LineFormat,
		private readonly waitMs: Readonly<Record<LineTransport, number>> = nameWaitMs,
	) {
		this.wantsNames = format.kind === 'json' || format.template.includes('{conversation}');
		// Each frame may have named a sender or brought a conversation's name.
		this.unsubscribe = service.subscribe(() => {
			this.print();
		});
	}

	add(line: InLine): void {
		this.held.push({line, at: Date.now()});
		this.soon();
	}

	/** Writes what is left, named or not. */
	close(): void {
		this.unsubscribe();
		clearTimeout(this.timer);
		this.timer = undefined;
		clearImmediate(this.immediate);
		this.immediate = undefined;
		this.print(true);
	}

	private print(force = false): void {
		if (this.held.length === 0) {
			return;
		}

		const snapshot = this.service.getSnapshot();
		this.takeRelabelled(snapshot);
		const names = new Map(snapshot.conversations.map(summary => [summary.id, summary.kind === 'room' ? conversationLabel(summary) : summary.name]));
		const now = Date.now();
		let ready = this.held.length;
		if (!force) {
			for (const [index, held] of this.held.entries()) {
				const until = this.waitsUntil(held, names);
				if (until > now) {
					ready = index;
					this.wake(until - now);
					break;
				}
			}
		}

		if (ready === 0) {
			return;
		}

		const out = this.held.slice(0, ready);
		this.held = this.held.slice(ready);
		for (const {line} of out) {
			if (unnamed(line)) {
				this.rememberPlain(line.address);
			}
		}

		this.service.flushLog();
		this.stdout.write(out.map(({line}) => formatLine(this.format, line, id => (id === undefined ? undefined : names.get(id)))).join(''));
	}

	/** When a held line may be written even without its sender's name or its conversation's: now or later. */
	private waitsUntil({line, at}: Held, names: ReadonlyMap<string, string>): number {
		const nick = unnamed(line) && !this.plainSenders.has(line.address) ? at + this.waitMs[line.transport] : 0;
		const name = this.wantsNames && line.conversation !== undefined && !names.has(line.conversation) ? at + conversationWaitMs : 0;
		return Math.max(nick, name);
	}

	/** The history's own version of a held line: named by a greeting since, or moved to another conversation. */
	private takeRelabelled(snapshot: ChatSnapshot): void {
		const wanted = new Map<number, number>();
		for (const [index, {line}] of this.held.entries()) {
			if (unnamed(line)) {
				wanted.set(line.id, index);
			}
		}

		const {lines} = snapshot;
		for (let index = lines.length - 1; index >= Math.max(0, lines.length - snapshotTail) && wanted.size > 0; index--) {
			const line = lines[index];
			const at = line === undefined ? undefined : wanted.get(line.id);
			const held = at === undefined ? undefined : this.held[at];
			if (line?.kind === 'in' && held !== undefined) {
				held.line = line;
				wanted.delete(line.id);
			}
		}
	}

	/** At the end of this turn of the event loop: what else came in it (a flood) goes in the same write. */
	private soon(): void {
		this.immediate ??= setImmediate(() => {
			this.immediate = undefined;
			this.print();
		});
	}

	private wake(ms: number): void {
		clearTimeout(this.timer);
		this.timer = setTimeout(() => {
			this.timer = undefined;
			// After the socket reads of this turn: a greeting that came while the loop was busy names the line first.
			this.soon();
		}, ms);
	}

	private rememberPlain(address: string): void {
		this.plainSenders.delete(address);
		this.plainSenders.add(address);
		if (this.plainSenders.size > maxPlainSenders) {
			const oldest = this.plainSenders.values().next().value;
			if (oldest !== undefined) {
				this.plainSenders.delete(oldest);
			}
		}
	}
}
