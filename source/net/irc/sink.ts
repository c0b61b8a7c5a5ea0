/** Where a line about the network belongs: a channel's buffer, a query's, or (neither) the network's own. */
export type IrcPlace = {readonly channel?: string; readonly query?: string; readonly onlyIfOpen?: true};

/** A PRIVMSG or NOTICE someone (or we, echoed or replayed) sent to a channel or to us. */
export type IrcChatEvent = {
	/** The channel, or for a private message the other person's nick. */
	readonly place: IrcPlace;
	readonly from: string;
	readonly text: string;
	readonly action: boolean;
	readonly notice: boolean;
	/** The server's time when it gave one (server-time), else when it arrived. */
	readonly time: number;
	/** Our own message, echoed (from another client of ours) or replayed from history. */
	readonly self: boolean;
	/** Replayed from the server's history (chathistory), not new. */
	readonly history: boolean;
	readonly msgid: string | undefined;
};

/** What an IRC client tells the rest of the service: it never touches the history itself. */
export type IrcSink = {
	readonly message: (event: IrcChatEvent) => void;
	readonly info: (text: string, level: 'info' | 'error', place?: IrcPlace, time?: number) => void;
	readonly delivery: (lineId: number, delivery: 'sent' | 'delivered' | 'failed') => void;
	/** The server confirmed we are in the channel. */
	readonly joined: (channel: string) => void;
	/** Someone changed nick: a query with them follows. */
	readonly renamed: (from: string, to: string) => void;
	/** The server's CASEMAPPING changed: names are folded anew. */
	readonly refolded: () => void;
	/** Connection state, members, topic or nick changed. */
	readonly changed: () => void;
};
