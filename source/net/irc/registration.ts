import {capsToRequest, parseCapList, saslPlainChunks} from './capabilities.js';
import type {IrcClientOptions} from './client-options.js';
import type {IrcMessage} from './message.js';

export type RegistrationParts = {
	readonly send: (line: string) => void;
	readonly notice: (text: string, level: 'info' | 'error') => void;
	/** SASL PLAIN when set: the account (the nick) and its password. */
	readonly sasl: {readonly account: string; readonly password: string} | undefined;
	readonly realname: string;
};

/** A server that offers no CAP (or never answers it) still registers: we stop waiting after this long. */
const capWaitMs = 5000;

/** Longest nick tried with underscores appended. */
const maxNickLength = 30;
/**
 * RFC 1459's NICKLEN, which every server allows. The numbered tries fit in it: a server with a shorter
 * NICKLEN (not known before RPL_ISUPPORT) cuts a longer nick back to the one that is taken, again and again.
 */
const safeNickLength = 9;

/** Capabilities remembered from CAP LS: a server listing more is not followed further. */
const maxOffered = 200;

/** nick, nick_, nick__, then nick1, nick2...: what is tried when a nick is taken, as irssi does. */
export function alternateNick(wanted: string, attempt: number): string {
	if (attempt <= 2) {
		return `${wanted.slice(0, maxNickLength - attempt)}${'_'.repeat(attempt)}`;
	}

	const number = String(attempt - 2);
	return `${wanted.slice(0, safeNickLength - number.length)}${number}`;
}

/** A nick every server accepts, for when the one wanted is not a valid nick there (ERR_ERRONEUSNICKNAME). */
function fallbackNick(): string {
	return `tnc${Math.floor(Math.random() * 10_000)}`;
}

function ident(nick: string): string {
	const cleaned = nick.toLowerCase().replace(/[^a-z\d]/g, '');
	return (cleaned === '' ? 'tnc' : cleaned).slice(0, 9);
}

/**
 * From connect to RPL_WELCOME: CAP LS 302 / REQ / END, SASL PLAIN, NICK and USER, and a taken nick answered
 * with another. Pure of sockets: it reads messages and writes lines through `send`.
 */
export class Registration {
	/** Capabilities the server acknowledged. */
	readonly enabled = new Set<string>();
	nick: string;
	private readonly offered = new Map<string, string>();
	private attempt = 0;
	private capOpen = true;
	private capTimer: NodeJS.Timeout | undefined;
	private done = false;
	private saslAsked = false;

	constructor(
		private readonly wanted: string,
		private readonly parts: RegistrationParts,
	) {
		this.nick = wanted;
	}

	get registered(): boolean {
		return this.done;
	}

	start(): void {
		const {send, realname} = this.parts;
		send('CAP LS 302');
		send(`NICK ${this.nick}`);
		send(`USER ${ident(this.wanted)} 0 * :${realname}`);
		this.capTimer = setTimeout(() => {
			this.endCap();
		}, capWaitMs);
	}

	stop(): void {
		clearTimeout(this.capTimer);
	}

	/** True when the message was registration's to handle. */
	handle(message: IrcMessage): boolean {
		const {command, params} = message;
		switch (command) {
			case 'CAP': {
				this.onCap(params);
				return true;
			}

			case 'AUTHENTICATE': {
				// Answered once, and only after we asked: a server repeating "+" gets no more copies of the password.
				if (params[0] === '+' && this.parts.sasl && this.saslAsked) {
					this.saslAsked = false;
					for (const chunk of saslPlainChunks(this.parts.sasl.account, this.parts.sasl.password)) {
						this.parts.send(`AUTHENTICATE ${chunk}`);
					}
				}

				return true;
			}

			case '900': {
				return true;
			}

			case '903': {
				this.parts.notice('SASL: logged in.', 'info');
				this.endCap();
				return true;
			}

			case '908': {
				// RPL_SASLMECHS: the mechanisms the server has; the 904 that follows it says the login failed.
				return true;
			}

			case '902':
			case '904':
			case '905':
			case '906': {
				this.parts.notice(`SASL login failed (${params.at(-1) ?? command}): going on without it; check TUI_NETCHAT_IRC_PASSWORD.`, 'error');
				this.endCap();
				return true;
			}

			case '907': {
				this.endCap();
				return true;
			}

			case '001': {
				this.done = true;
				this.nick = params[0] ?? this.nick;
				this.stop();
				return false;
			}

			case '432':
			case '433':
			case '436':
			case '437': {
				if (this.done) {
					return false;
				}

				this.attempt++;
				// A nick the server finds erroneous stays so with _ or a number added: every 432 falls back to one that is not.
				const next = command === '432' ? fallbackNick() : alternateNick(this.wanted, this.attempt);
				this.parts.notice(`The nick ${params[1] ?? this.nick} cannot be used (${params.at(-1) ?? command}): trying ${next}.`, 'info');
				this.nick = next;
				this.parts.send(`NICK ${next}`);
				return true;
			}

			case '421': {
				// A server that does not know CAP registers us without it.
				if (params[1]?.toUpperCase() === 'CAP') {
					this.capOpen = false;
					this.stop();
					return true;
				}

				return false;
			}

			default: {
				return false;
			}
		}
	}

	private onCap(params: readonly string[]): void {
		const sub = params[1]?.toUpperCase();
		const more = params[2] === '*';
		const list = (more ? params[3] : params[2]) ?? '';
		switch (sub) {
			case 'LS': {
				for (const [name, value] of parseCapList(list)) {
					if (this.offered.size < maxOffered) {
						this.offered.set(name, value);
					}
				}

				if (!more && this.parts.sasl && !this.offered.has('sasl')) {
					this.parts.notice('This server offers no SASL: connecting without logging in (the password is not sent).', 'error');
				}

				if (!more && this.capOpen) {
					// The server speaks CAP: from here it answers every step, and SASL may take its time.
					this.stop();
					const wanted = capsToRequest(this.offered, this.parts.sasl !== undefined);
					if (wanted.length === 0) {
						this.endCap();
					} else {
						this.parts.send(`CAP REQ :${wanted.join(' ')}`);
					}
				}

				break;
			}

			case 'ACK': {
				for (const name of parseCapList(list).keys()) {
					if (name.startsWith('-')) {
						this.enabled.delete(name.slice(1));
					} else {
						this.enabled.add(name);
					}
				}

				if (!more && this.capOpen) {
					if (this.enabled.has('sasl') && this.parts.sasl) {
						this.saslAsked = true;
						this.parts.send('AUTHENTICATE PLAIN');
					} else {
						this.endCap();
					}
				}

				break;
			}

			case 'NAK': {
				this.endCap();
				break;
			}

			case 'NEW':
			case 'DEL': {
				// Capabilities offered or withdrawn later: a withdrawn one is no longer used.
				if (sub === 'DEL') {
					for (const name of parseCapList(list).keys()) {
						this.enabled.delete(name);
					}
				}

				break;
			}

			default: {
				break;
			}
		}
	}

	private endCap(): void {
		if (this.capOpen) {
			this.capOpen = false;
			this.stop();
			this.parts.send('CAP END');
		}
	}
}

/** The registration a client's options call for: SASL with the configured nick as the account, when a password is given. */
export function registrationFor(options: IrcClientOptions, nick: string, send: (line: string) => void): Registration {
	const {password, sink} = options;
	return new Registration(nick, {
		send,
		notice(text, level) {
			sink.info(text, level);
		},
		// The account is the nick configured, not a fallback like alice_ taken after a clash.
		sasl: password === undefined ? undefined : {account: options.nick, password},
		realname: `tui-netchat ${options.version}`,
	});
}
