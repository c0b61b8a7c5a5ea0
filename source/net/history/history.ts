import type {ChatLog} from './chat-log.js';
import type {ChatLine, ChatSnapshot, Delivery} from '../../domain/snapshot.js';
import {sanitize} from '../wire/sanitize.js';
import {BurstCollector} from './burst-collector.js';

/** A frame with more new messages than this is a flood: the next frames come about 7 a second (a key typed meanwhile is drawn sooner). */
const floodLinesPerFrame = 20;
const floodFrameMs = 150;

export type StatusFields = Omit<ChatSnapshot, 'lines' | 'counts'>;

type InLine = Extract<ChatLine, {kind: 'in'}>;

/** A line from a sender known by its address alone, once its greeting names it: "* NICK text" was its /me. */
function named(line: InLine, nick: string): InLine {
	const action = `* ${nick} `;
	return line.action !== true && line.text.startsWith(action) && line.text.length > action.length
		? {...line, from: nick, text: line.text.slice(action.length), action: true}
		: {...line, from: nick};
}

/**
 * The history and its readers: lines are logged before they are kept, kept up to a limit, and announced
 * to subscribers at most once a frame, however fast they arrive.
 */
export class ChatHistory {
	private lines: ChatLine[] = [];
	private nextLineId = 1;
	private countIn = 0;
	private countOut = 0;
	private failed = 0;
	/** Built on first use: the status callback may need parts made after the history. */
	private snapshot: ChatSnapshot | undefined;
	private flushTimer: NodeJS.Timeout | undefined;
	private lastFlush = 0;
	private closed = false;
	/** Messages received since the last frame; many means a flood, and frames slow down to save the CPU. */
	private addedSinceFlush = 0;
	private flooded = false;
	private readonly listeners = new Set<() => void>();
	private readonly lineListeners = new Set<(line: ChatLine) => void>();
	private readonly collector = new BurstCollector();

	constructor(
		private readonly status: () => StatusFields,
		private readonly historyLimit: number,
		private readonly frameMs: number,
		public log: ChatLog | undefined = undefined,
	) {
	}

	subscribe = (listener: () => void): (() => void) => {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	};

	getSnapshot = (): ChatSnapshot => {
		this.snapshot ??= this.build();
		return this.snapshot;
	};

	onLineAdded(listener: (line: ChatLine) => void): () => void {
		this.lineListeners.add(listener);
		return () => this.lineListeners.delete(listener);
	}

	newId(): number {
		return this.nextLineId++;
	}

	/** Every received message, shown or held back by the flood limit, counts towards the frame rate. */
	countIncoming(): void {
		this.countIn++;
		this.addedSinceFlush++;
		this.collector.added();
	}

	/** A system line; with a conversation it shows in that conversation's buffer too. */
	system(text: string, level: 'info' | 'error' = 'info', conversation?: string): void {
		this.append({id: this.newId(), time: Date.now(), conversation, kind: 'system', level, text: sanitize(text)});
	}

	/** The log gets the line (with its whole text, when the pane shows it cut) before the screen does. */
	append(line: ChatLine, fullText?: string): void {
		this.log?.write(fullText === undefined || line.kind === 'system' ? line : {...line, text: fullText});
		this.lines.push(line);
		if (this.lines.length > this.historyLimit * 1.25) {
			this.lines = this.lines.slice(-this.historyLimit);
		}

		for (const listener of this.lineListeners) {
			listener(line);
		}

		this.changed();
	}

	setDelivery(id: number, delivery: Delivery): void {
		for (let index = this.lines.length - 1; index >= 0; index--) {
			const line = this.lines[index];
			if (line?.id === id) {
				if (line.kind === 'out' && line.delivery !== delivery) {
					if ((delivery === 'sent' || delivery === 'delivered') && (line.delivery === 'pending' || line.delivery === 'failed')) {
						this.countOut++;
					}

					if (delivery === 'failed') {
						this.failed++;
					}

					this.lines[index] = {...line, delivery};
					this.changed();
				}

				return;
			}
		}
	}

	/**
	 * Relabels the recent lines a peer sent before its greeting told us its nick (pipe mode holds such lines
	 * a moment and prints them from the next snapshot, so they print named too). The peer did not know us
	 * then either, and wrote its /me in the plain form, "* NICK text": that line is its action.
	 */
	relabel(address: string, nick: string): void {
		let changed = false;
		for (let index = this.lines.length - 1; index >= Math.max(0, this.lines.length - 100); index--) {
			const line = this.lines[index];
			if (line?.kind === 'in' && line.address === address && line.from === address) {
				this.lines[index] = named(line, nick);
				changed = true;
			}
		}

		if (changed) {
			this.changed();
		}
	}

	/** Relabels a room's recent lines from a speaker ("user5") once its greeting says who that is. */
	relabelSpeaker(conversation: string, speaker: string, nick: string): void {
		for (let index = this.lines.length - 1; index >= Math.max(0, this.lines.length - 200); index--) {
			const line = this.lines[index];
			if (line?.kind === 'in' && line.conversation === conversation && line.from === speaker) {
				this.lines[index] = {...line, from: nick};
			}
		}
	}

	/** One conversation turned out to be another (the same instance over a new connection): its lines move. */
	moveConversation(from: string, to: string): void {
		this.lines = this.lines.map(line => (line.conversation === from ? {...line, conversation: to} : line));
		this.changed();
	}

	/** Own messages that failed since the start, whether or not the pane still shows them. */
	failures(): number {
		return this.failed;
	}

	/** /clear: one conversation's lines, or all of them. */
	clear(conversation?: string): void {
		this.lines = conversation === undefined ? [] : this.lines.filter(line => line.conversation !== conversation);
		this.changed();
	}

	close(): void {
		this.closed = true;
		if (this.flushTimer) {
			clearTimeout(this.flushTimer);
			this.flushTimer = undefined;
		}

		this.log?.close();
		this.collector.close();
		this.listeners.clear();
		this.lineListeners.clear();
	}

	changed(): void {
		if (this.closed || this.flushTimer) {
			return;
		}

		const interval = this.flooded ? floodFrameMs : this.frameMs;
		const wait = this.lastFlush + interval - Date.now();
		if (wait <= 0) {
			this.flush();
			return;
		}

		this.flushTimer = setTimeout(() => {
			this.flushTimer = undefined;
			this.flush();
		}, wait);
	}

	flush(): void {
		// Nothing is shown before it is in the log.
		this.log?.flush();
		this.lastFlush = Date.now();
		this.flooded = this.addedSinceFlush > floodLinesPerFrame;
		this.addedSinceFlush = 0;
		this.snapshot = this.build();
		for (const listener of this.listeners) {
			listener();
		}
	}

	private build(): ChatSnapshot {
		return {...this.status(), counts: {in: this.countIn, out: this.countOut}, lines: this.lines.slice()};
	}
}
