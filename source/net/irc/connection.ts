import {isIP, Socket, connect as connectTcp} from 'node:net';
import type {TLSSocket} from 'node:tls';
import type {IrcServer} from '../../domain/irc-server.js';
import {inspectHook} from '../inspect/hook.js';
import {endpointLabel} from '../transport/address.js';
import {explainError} from '../transport/errors.js';
import {LineDecoder} from '../transport/line-decoder.js';
import type {TextCodec} from '../wire/text-codec.js';

/** IRCv3 allows 8191 bytes of tags before the 512 of the message itself. */
const maxLineBytes = 8191 + 512;
/**
 * Lines handled in one go before the event loop gets a turn: a server's flood of thousands of lines a
 * second then never holds up a key typed meanwhile. Past maxBacklog lines waiting, the socket is paused.
 */
const linesPerTurn = 200;
const maxBacklog = 5000;
/** A server that has not answered for this long is gone even if the socket says otherwise. */
const connectTimeoutMs = 20_000;

export type ConnectionEvents = {
	readonly open: () => void;
	readonly line: (line: string) => void;
	/** Once, however it ended: `reason` says why for the server buffer; `fatal` when retrying cannot help. */
	readonly close: (reason: string, fatal: boolean) => void;
};

/** Why a TLS handshake failed, in words, and what to do. */
function tlsFailure(error: NodeJS.ErrnoException, server: IrcServer): string | undefined {
	const code = error.code ?? '';
	if (!/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME|HOSTNAME/.test(code)) {
		return undefined;
	}

	return `TLS: the certificate of ${server.host}:${server.port} could not be verified (${error.message}); nothing was sent. If you trust it, give its CA with NODE_EXTRA_CA_CERTS=FILE.`;
}

/** One socket to an IRC server, as lines in and lines out in the chat's encoding. */
export class IrcConnection {
	private readonly socket: Socket | TLSSocket;
	private readonly decoder: LineDecoder;
	private ended = false;
	private backlog: string[] = [];
	private opened = false;
	private draining = false;
	/** The ends as the packet inspector names them (the local one read once it asks). */
	private readonly remote: string;
	private local: string | undefined;

	constructor(
		server: IrcServer,
		private readonly codec: TextCodec,
		private readonly events: ConnectionEvents,
		ca?: string | Buffer,
	) {
		this.decoder = new LineDecoder(maxLineBytes, codec.encoding === 'utf8' ? 'utf-8' : 'gb18030');
		const {host, port} = server;
		this.remote = endpointLabel(host, port);
		this.socket = server.tls
			? // Loaded at the first TLS connection: node:tls costs ~6 ms of every start-up.
			  process.getBuiltinModule('node:tls').connect({host, port, servername: isIP(host) === 0 ? host : undefined, rejectUnauthorized: true, ...(ca === undefined ? {} : {ca})})
			: connectTcp({host, port});
		this.socket.setNoDelay(true);
		this.socket.setTimeout(connectTimeoutMs);
		this.socket.once(server.tls ? 'secureConnect' : 'connect', () => {
			this.opened = true;
			this.socket.setTimeout(0);
			this.socket.setKeepAlive(true, 30_000);
			inspectHook.tap?.event('irc', 'out', this.localLabel(), this.remote, 'connect', server.tls ? 'TLS' : undefined);
			events.open();
		});
		this.socket.on('timeout', () => {
			this.finish(`no answer from ${host}:${port} in ${connectTimeoutMs / 1000} s`, false);
		});
		this.socket.on('data', chunk => {
			// After TLS: the inspector shows the lines, not the ciphertext.
			inspectHook.tap?.data('irc', 'in', this.localLabel(), this.remote, chunk);
			for (const line of this.decoder.push(chunk)) {
				if (line !== '') {
					this.backlog.push(line);
				}
			}

			if (this.backlog.length > maxBacklog) {
				this.socket.pause();
			}

			this.drain();
		});
		this.socket.on('error', (error: NodeJS.ErrnoException) => {
			const tls = server.tls ? tlsFailure(error, server) : undefined;
			if (tls !== undefined) {
				this.finish(tls, true);
			} else if (server.tls && !this.opened && /SSL|TLS/i.test(error.code ?? '')) {
				// Not TLS at all on the other end (a plain-text port): redialling will not change that.
				this.finish(`TLS: ${host}:${port} does not speak TLS (is it a plain-text port? use irc:// for those); nothing was sent.`, true);
			} else {
				this.finish(explainError(error), false);
			}
		});
		this.socket.on('close', () => {
			this.finish('the server closed the connection', false);
		});
	}

	get localPort(): number | undefined {
		return this.socket.localPort;
	}

	write(line: string): void {
		if (!this.ended) {
			const bytes = this.codec.encode(`${line}\r\n`);
			inspectHook.tap?.data('irc', 'out', this.localLabel(), this.remote, bytes);
			this.socket.write(bytes);
		}
	}

	/** Ends after what was written (a QUIT) has gone out. */
	end(): void {
		if (!this.ended) {
			this.socket.end();
			setTimeout(() => this.socket.destroy(), 1000).unref();
		}
	}

	destroy(reason: string, fatal = true): void {
		this.finish(reason, fatal);
	}

	private localLabel(): string {
		this.local ??= endpointLabel(this.socket.localAddress ?? '?', this.socket.localPort ?? 0);
		return this.local;
	}

	private drain(): void {
		if (this.draining) {
			return;
		}

		const lines = this.backlog.splice(0, linesPerTurn);
		for (const line of lines) {
			if (this.ended) {
				return;
			}

			this.events.line(line);
		}

		if (this.backlog.length > 0) {
			this.draining = true;
			setImmediate(() => {
				this.draining = false;
				this.drain();
			});
		} else if (this.socket.isPaused() && !this.ended) {
			this.socket.resume();
		}
	}

	private finish(reason: string, fatal: boolean): void {
		if (this.ended) {
			return;
		}

		// What arrived before the end is read first (the server's ERROR line says why it closed).
		for (const line of this.backlog.splice(0)) {
			this.events.line(line);
		}

		this.ended = true;
		inspectHook.tap?.event('irc', 'out', this.localLabel(), this.remote, 'close', reason);
		this.socket.destroy();
		this.events.close(reason, fatal);
	}
}
