import type {AppProps} from '../../source/ui/app.js';
import type {SendOptions} from '../../source/domain/actions.js';
import type {ConversationSummary} from '../../source/domain/conversation.js';
import type {IrcCommand} from '../../source/domain/irc-command.js';
import type {ChatLine, ChatSnapshot} from '../../source/domain/snapshot.js';
import {splitForDatagram} from '../../source/net/wire/split-datagram.js';

/** A fixed clock time (local 12:34:56) so that rendered times are predictable in any time zone. */
export const fixedTime = new Date(2024, 0, 2, 12, 34, 56).getTime();
export const fixedClock = '12:34:56';

export function snapshot(overrides: Partial<ChatSnapshot> = {}): ChatSnapshot {
	return {
		protocol: 'udp',
		nick: 'me',
		localPort: 7851,
		portNote: undefined,
		lanPeers: undefined,
		target: '127.0.0.1:7852',
		targetSource: 'peer',
		tcp: {link: 'idle', retryInMs: undefined, connections: 0},
		counts: {in: 0, out: 0},
		peers: [],
		encoding: 'utf8',
		maxDatagram: 1400,
		sealed: undefined,
		conversations: [],
		targetConversation: undefined,
		focus: undefined,
		lines: [],
		...overrides,
	};
}

let nextId = 1;

export function inLine(text: string, overrides: Partial<Extract<ChatLine, {kind: 'in'}>> = {}): ChatLine {
	return {id: nextId++, time: fixedTime, kind: 'in', transport: 'udp', from: 'peer', address: '127.0.0.1:7852', text, ...overrides};
}

export function outLine(text: string, overrides: Partial<Extract<ChatLine, {kind: 'out'}>> = {}): ChatLine {
	return {
		id: nextId++,
		time: fixedTime,
		kind: 'out',
		transport: 'udp',
		from: 'me',
		to: '127.0.0.1:7852',
		text,
		delivery: 'sent',
		...overrides,
	};
}

/** A direct peer conversation as the service lists it; number and id follow from the name unless given. */
export function conversation(id: string, name: string, overrides: Partial<ConversationSummary> = {}): ConversationSummary {
	return {
		id,
		kind: 'peer',
		name,
		address: '127.0.0.1:7852',
		protocol: 'udp',
		tnc: true,
		transports: ['udp'],
		lastHeard: fixedTime,
		members: [],
		link: 'idle',
		retryInMs: undefined,
		number: Number(id.replace(/\D/g, '')) || 1,
		...overrides,
	};
}

export function systemLine(text: string, level: 'info' | 'error' = 'info'): ChatLine {
	return {id: nextId++, time: fixedTime, kind: 'system', level, text};
}

type Service = AppProps['service'];

/**
 * Stands in for ChatService: a snapshot the test changes with update(), and a record of what the App
 * asked for. send() and toggleProtocol() only record; they do not change the snapshot.
 */
export class FakeStore implements Service {
	readonly sent: string[] = [];
	toggles = 0;
	private current: ChatSnapshot;
	private readonly listeners = new Set<() => void>();

	constructor(initial: Partial<ChatSnapshot> = {}) {
		this.current = snapshot(initial);
	}

	get listenerCount(): number {
		return this.listeners.size;
	}

	readonly subscribe = (listener: () => void): (() => void) => {
		this.listeners.add(listener);
		return () => {
			this.listeners.delete(listener);
		};
	};

	readonly getSnapshot = (): ChatSnapshot => this.current;

	/** Everything asked of the service other than send and toggleProtocol, e.g. ['setNick', 'bob']. */
	readonly calls: Array<[string, ...unknown[]]> = [];
	/** Every send: its text, whether it was /me, and the conversation it was sent to (undefined: the target). */
	readonly actions: Array<{text: string; action: boolean; conversation: string | undefined}> = [];
	/** The conversation of each Ctrl+T (undefined: the merged view's). */
	readonly toggledIn: Array<string | undefined> = [];

	readonly send = (text: string, options?: SendOptions): void => {
		this.sent.push(text);
		this.actions.push({text, action: options?.action ?? false, conversation: options?.conversation});
	};

	readonly toggleProtocol = (conversation?: string): void => {
		this.toggles++;
		this.toggledIn.push(conversation);
	};

	/** Conversation arguments are recorded only when given, so calls from buffer 1 read as before buffers. */
	readonly setProtocol = (protocol: 'udp' | 'tcp', conversation?: string): void => {
		this.calls.push(conversation === undefined ? ['setProtocol', protocol] : ['setProtocol', protocol, conversation]);
	};

	readonly setNick = (nick: string): void => {
		this.calls.push(['setNick', nick]);
	};

	readonly connectTo = (endpoint: {host: string; port: number}): void => {
		this.calls.push(['connectTo', endpoint]);
	};

	readonly query = (selector: string): boolean => {
		this.calls.push(['query', selector]);
		return true;
	};

	readonly lookup = (selector: string): string | undefined => this.current.conversations.find(conversation => String(conversation.number) === selector || conversation.name === selector || conversation.address === selector)?.id;

	readonly message = (selector: string, text: string): string | undefined => {
		this.calls.push(['message', selector, text]);
		return 'c1';
	};

	readonly who = (): void => {
		this.calls.push(['who']);
	};

	readonly showPeers = (): void => {
		this.calls.push(['showPeers']);
	};

	readonly notices: Array<{text: string; level: 'info' | 'error'; conversation?: string}> = [];

	readonly notice = (text: string, level: 'info' | 'error' = 'info', conversation?: string): void => {
		this.notices.push(conversation === undefined ? {text, level} : {text, level, conversation});
	};

	readonly clearHistory = (conversation?: string): void => {
		this.calls.push(conversation === undefined ? ['clearHistory'] : ['clearHistory', conversation]);
	};

	readonly irc = (command: IrcCommand): string | undefined => {
		this.calls.push(['irc', command]);
		return command.type === 'join' || command.type === 'query' ? 'i9' : undefined;
	};

	readonly measureDraft = (text: string): {bytes: number; datagrams: number} => ({
		bytes: Buffer.byteLength(text),
		datagrams: splitForDatagram(text, this.current.maxDatagram - 1, value => Buffer.byteLength(value)).length,
	});

	/** Replaces the snapshot (a new object, as the real service does) and notifies subscribers. */
	update(change: Partial<ChatSnapshot> | ((current: ChatSnapshot) => Partial<ChatSnapshot>)): void {
		const partial = typeof change === 'function' ? change(this.current) : change;
		this.current = {...this.current, ...partial};
		for (const listener of this.listeners) {
			listener();
		}
	}

	addLine(line: ChatLine): void {
		this.update(current => ({lines: [...current.lines, line]}));
	}
}
