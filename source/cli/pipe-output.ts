import {conversationLabel} from '../domain/conversation.js';
import type {ChatService} from '../net/index.js';
import {formatLine, type InLine, type LineFormat} from './line-format.js';

/**
 * A tui-netchat writing to us for the first time sends its message, then the greeting that names it: a
 * message from a sender known only by its address waits this long for its name (a plain peer's, for nothing).
 */
export const unnamedGraceMs = 100;

type Pending = {readonly line: InLine; readonly at: number};

/** Pipe mode's stdout: received messages, formatted, written once per turn of the event loop (a flood is one write). */
export class PipeOutput {
	private pending: Pending[] = [];
	private timer: NodeJS.Timeout | undefined;
	/** A message from someone new can come before the snapshot knows their conversation: wait a frame for it. */
	private waitingForNames = false;
	private readonly wantsNames: boolean;
	private readonly unsubscribe: () => void;

	constructor(
		private readonly service: Pick<ChatService, 'getSnapshot' | 'subscribe' | 'flushLog'>,
		private readonly stdout: NodeJS.WritableStream,
		private readonly format: LineFormat,
	) {
		this.wantsNames = format.kind === 'json' || format.template.includes('{conversation}');
		this.unsubscribe = service.subscribe(() => {
			if (this.waitingForNames) {
				this.print(true);
			}
		});
	}

	add(line: InLine): void {
		if (this.pending.length === 0) {
			setImmediate(() => {
				this.print();
			});
		}

		this.pending.push({line, at: Date.now()});
	}

	/** Writes what is left, names or not. */
	close(): void {
		this.unsubscribe();
		clearTimeout(this.timer);
		this.timer = undefined;
		this.print(true);
	}

	private print(force = false): void {
		if (this.pending.length === 0 || (!force && this.timer !== undefined)) {
			return;
		}

		const unnamed = this.pending.find(({line}) => line.from === line.address);
		const wait = unnamed === undefined ? 0 : unnamed.at + unnamedGraceMs - Date.now();
		if (!force && wait > 0) {
			this.timer = setTimeout(() => {
				this.timer = undefined;
				this.print();
			}, wait);
			return;
		}

		const {conversations} = this.service.getSnapshot();
		const names = new Map(conversations.map(summary => [summary.id, summary.kind === 'room' ? conversationLabel(summary) : summary.name]));
		if (!force && this.wantsNames && this.pending.some(({line}) => line.conversation !== undefined && !names.has(line.conversation))) {
			this.waitingForNames = true;
			return;
		}

		this.waitingForNames = false;
		// By now the conversation of a tui-netchat knows its nick from the greeting.
		const nicks = new Map(conversations.filter(summary => summary.kind === 'peer' && summary.tnc).map(summary => [summary.id, summary.name]));
		const named = (line: InLine): InLine => {
			const nick = line.from === line.address && line.conversation !== undefined ? nicks.get(line.conversation) : undefined;
			return nick === undefined ? line : {...line, from: nick};
		};

		this.service.flushLog();
		this.stdout.write(this.pending.map(({line}) => formatLine(this.format, named(line), id => (id === undefined ? undefined : names.get(id)))).join(''));
		this.pending = [];
	}
}
