import type {Encoding} from './encoding.js';
import type {Endpoint, Protocol} from './endpoint.js';
import type {FileCommand} from './files.js';
import type {IrcCommand} from './irc-command.js';

export type SendOptions = {
	readonly action?: boolean;
	/** The conversation to send to; without it, the merged view's target (who wrote last, or who was chosen). */
	readonly conversation?: string;
};

/** What the UI may ask of the chat service; every conversation argument is a ConversationSummary id. */
export type ChatActions = {
	readonly send: (text: string, options?: SendOptions) => void;
	/** Without a conversation: the merged view's target and the default for new conversations. */
	readonly toggleProtocol: (conversation?: string) => void;
	readonly setProtocol: (protocol: Protocol, conversation?: string) => void;
	readonly setNick: (nick: string) => void;
	readonly connectTo: (endpoint: Endpoint) => void;
	/** /query: the merged view sends there from now on; false (and a line saying why) when nobody matches. */
	readonly query: (selector: string) => boolean;
	/** The conversation id of a peer chosen by number, nick or address, if known: the buffer /query opens. */
	readonly lookup: (selector: string) => string | undefined;
	/** /msg: sends text once to a peer chosen by number, nick or address, without changing the target. */
	readonly message: (selector: string, text: string) => string | undefined;
	readonly showPeers: () => void;
	/** /who: ask the LAN who is there (discovery). */
	readonly who: () => void;
	readonly notice: (text: string, level?: 'info' | 'error', conversation?: string) => void;
	/** /clear: one conversation's lines, or (without one) everything shown. */
	readonly clearHistory: (conversation?: string) => void;
	/** IRC networks: /server, /join, /part, /topic, /names, /query and /msg to a nick, /nick there, /quote, /quit. The conversation to show, if any. */
	readonly irc: (command: IrcCommand) => string | undefined;
	/**
	 * /away TEXT, or back without text: tui-netchat peers show "alice is away: TEXT" / "alice is back."
	 * Optional only so test doubles need not have it; the ChatService has it.
	 */
	readonly away?: (text?: string) => void;
	/** /quit [REASON]: tui-netchat peers show "alice left (REASON)." / "alice left."; then the service closes. */
	readonly quit?: (reason?: string) => Promise<void>;
	/**
	 * /encoding utf8|gbk|gb18030: what one conversation's text is read and written in from now on, or (without a
	 * conversation) the default for every conversation without its own. Sealed (--secret) conversations stay
	 * UTF-8, IRC networks keep --encoding (a line says so). Optional only so test doubles need not have it.
	 */
	readonly setEncoding?: (encoding: Encoding, conversation?: string) => void;
	/** /send, /accept, /reject, /cancel, /transfers, /receive. Optional only so test doubles need not have it. */
	readonly files?: (command: FileCommand) => void;
	readonly measureDraft: (text: string) => {readonly bytes: number; readonly datagrams: number};
};
