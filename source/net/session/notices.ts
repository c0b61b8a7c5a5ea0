import type {ChatHistory} from '../history/history.js';

type Window = {shown: number; more: number; readonly sources: Set<string>; readonly level: 'info' | 'error'};

/** How a kind of notice is summed up: "1,234 more <noun> from 200 addresses". */
const nouns: Record<string, string> = {
	rejected: 'rejected senders',
	connected: 'connections',
	closed: 'closed connections',
	greeting: 'tui-netchat introductions',
	flood: 'flooding senders',
	refused: 'refused ports',
	announce: 'ncat announcements',
	renamed: 'nick changes',
	presence: 'presence changes (left, away, back)',
	'turned-away': 'connections turned away',
	'lan-found': 'peers found on the LAN',
	'lan-gone': 'peers gone from the LAN',
};

/** Kinds that come in bursts when all is well (a room announces two lines a member) get more room. */
const perWindowOf: Record<string, number> = {announce: 20, 'lan-found': 20, 'lan-gone': 20};

/** Addresses counted per window for the summary; beyond that only the count of notices grows. */
const maxSources = 10_000;

/**
 * System lines that peers can cause (a rejected line, a connection, a greeting, a flood report), held to a
 * few of each kind per window; the rest become one summary line, so thousands of sources cannot fill the
 * pane with notices. Everything a user does is said as before.
 */
export class Notices {
	private readonly windows = new Map<string, Window>();
	private timer: NodeJS.Timeout | undefined;

	constructor(
		private readonly history: ChatHistory,
		private readonly perWindow = 5,
		private readonly windowMs = 10_000,
	) {}

	say(kind: string, source: string, text: string, level: 'info' | 'error' = 'info', conversation?: string): void {
		let window = this.windows.get(kind);
		if (window === undefined) {
			window = {shown: 0, more: 0, sources: new Set(), level};
			this.windows.set(kind, window);
		}

		if (window.shown < (perWindowOf[kind] ?? this.perWindow)) {
			window.shown++;
			this.history.system(text, level, conversation);
		} else {
			window.more++;
			if (window.sources.size < maxSources) {
				window.sources.add(source);
			}
		}

		this.timer ??= setTimeout(() => {
			this.timer = undefined;
			this.summarise();
		}, this.windowMs);
	}

	close(): void {
		clearTimeout(this.timer);
		this.timer = undefined;
	}

	private summarise(): void {
		for (const [kind, window] of this.windows) {
			if (window.more > 0) {
				const sources = window.sources.size >= maxSources ? `${maxSources.toLocaleString('en')} or more` : window.sources.size.toLocaleString('en');
				this.history.system(`${window.more.toLocaleString('en')} more ${nouns[kind] ?? kind} from ${sources} ${window.sources.size === 1 ? 'address' : 'addresses'} (not shown one by one).`, window.level);
			}
		}

		this.windows.clear();
	}
}
