import type {IrcServer} from '../../domain/irc-server.js';
import type {TextCodec} from '../wire/text-codec.js';
import type {SendRate} from './send-queue.js';
import type {IrcSink} from './sink.js';

export type IrcClientOptions = {
	readonly server: IrcServer;
	readonly nick: string;
	readonly password: string | undefined;
	readonly codec: TextCodec;
	readonly sink: IrcSink;
	readonly rate?: SendRate;
	/** First reconnect delay; it doubles up to a minute. */
	readonly retryBaseMs?: number;
	/** Extra certificate authorities for ircs:// (tests; people use NODE_EXTRA_CA_CERTS). */
	readonly ca?: string | Buffer;
	readonly version: string;
};

export type IrcState = 'connecting' | 'registered' | 'retrying' | 'closed';

/**
 * inspircd takes 10 lines at once and then one a second, and closes a client with more than 4 KiB waiting
 * ("RecvQ exceeded"); ngircd takes 3 at once, then 2-3 a second, and stops reading the rest. Five at once
 * (at most 2.5 KiB) and then one a second stays under both, as irssi's and weechat's pacing does.
 */
export const defaultRate: SendRate = {burst: 5, intervalMs: 1000};
/** A server that takes longer than this to welcome us is redialled; once we stayed this long, backoff restarts. */
export const registrationWaitMs = 60_000;
export const stayedRegisteredMs = 30_000;
export const maxRetryMs = 60_000;
/** Silence after which we ask the server if it is there, and after which we give up on it. */
export const pingAfterMs = 90_000;
export const deadAfterMs = 180_000;
