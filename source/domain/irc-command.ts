import type {IrcServer} from './irc-server.js';

/**
 * What the UI may ask of the IRC networks. `conversation` is the buffer it was typed in: it names the
 * network (and the channel) meant, when there is more than one.
 */
export type IrcCommand =
	| {readonly type: 'server'; readonly server: IrcServer}
	| {readonly type: 'join'; readonly conversation: string | undefined; readonly channel: string; readonly key?: string}
	| {readonly type: 'part'; readonly conversation: string | undefined; readonly channel?: string; readonly reason?: string}
	| {readonly type: 'topic'; readonly conversation: string | undefined; readonly text?: string}
	| {readonly type: 'names'; readonly conversation: string | undefined}
	| {readonly type: 'query'; readonly conversation: string | undefined; readonly nick: string}
	| {readonly type: 'msg'; readonly conversation: string | undefined; readonly target: string; readonly text: string; readonly action?: boolean}
	| {readonly type: 'nick'; readonly conversation: string | undefined; readonly nick: string}
	| {readonly type: 'quote'; readonly conversation: string | undefined; readonly line: string}
	| {readonly type: 'disconnect'; readonly conversation: string | undefined; readonly reason?: string}
	| {readonly type: 'quit'; readonly reason?: string};
