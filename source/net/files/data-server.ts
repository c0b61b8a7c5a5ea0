import {randomBytes, timingSafeEqual} from 'node:crypto';
import {createReadStream} from 'node:fs';
import {createServer, type Server, type Socket} from 'node:net';
import {pipeline} from 'node:stream/promises';
import {deriveTransferKey} from '../wire/seal.js';
import {ChunkSealer} from './data-seal.js';
import {helloProof, maxHelloBytes, parseHello, type DataHello} from './offer-codec.js';
import {sendRange} from './raw-output.js';
import {fileRate, Pacer, Throttle} from './throttle.js';

/** What the sender serves under one offer id. */
export type ServedFile = {
	readonly id: string;
	readonly path: string;
	readonly size: number;
	readonly token: string;
	/** A receiver connected and asked from this offset. */
	readonly started: (offset: number) => void;
	readonly sent: (bytes: number) => void;
	/** The connection ended: every byte was handed to the socket (complete; the receiver's verdict is still to come), or it broke. */
	readonly ended: (result: {readonly complete: true} | {readonly complete: false; readonly why: string}) => void;
};

const helloTimeoutMs = 5000;
/** Connections at once (each waiting receiver holds one): beyond, the listener refuses more. */
const maxConnections = 32;
/** Connections from one address that have not named an offer yet: one host cannot take all the others' places. */
const maxWaitingPerAddress = 4;
/** A receiver that reads nothing for this long has stopped: its connection goes (it can ask again). */
const defaultIdleMs = 120_000;

export function newToken(): string {
	return randomBytes(16).toString('hex');
}

export function sameToken(a: string, b: string): boolean {
	return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/** The key of one data connection under --secret (see data-seal.ts): the sender's salt makes it its own. */
export function connectionKey(secret: string, token: string, nonce: string, salt: Buffer): Buffer {
	return deriveTransferKey(secret, Buffer.concat([Buffer.from(token + nonce, 'hex'), salt]));
}

/** Whether a hello names the offer's token: itself in the clear, or under --secret the proof of it (offer-codec.ts). */
function knowsToken(hello: DataHello, token: string, sealed: boolean): boolean {
	return sameToken(hello.token, sealed ? helloProof(token, hello) : token);
}

/** Reads the first line of a data connection: bounded, with a deadline; anything else and the socket is dropped. */
async function readHello(socket: Socket): Promise<string | undefined> {
	return new Promise(resolve => {
		let seen = Buffer.alloc(0);
		const finish = (line: string | undefined, rest?: Buffer) => {
			clearTimeout(timer);
			socket.off('data', onData);
			socket.off('close', onClose);
			if (rest && rest.length > 0) {
				// A receiver sends nothing after its first line.
				resolve(undefined);
				return;
			}

			resolve(line);
		};

		const onData = (chunk: Buffer) => {
			seen = Buffer.concat([seen, chunk]);
			const end = seen.indexOf(10);
			if (end !== -1) {
				finish(seen.subarray(0, end).toString('latin1'), seen.subarray(end + 1));
			} else if (seen.length > maxHelloBytes) {
				finish(undefined);
			}
		};

		const onClose = () => {
			finish(undefined);
		};

		const timer = setTimeout(() => {
			finish(undefined);
		}, helloTimeoutMs);
		socket.on('data', onData);
		socket.on('close', onClose);
	});
}

/**
 * The sender's data port: one listener for every offer, on an ephemeral port; each connection names an offer,
 * its token and an offset, and gets the file from there (raw, or sealed chunks with --secret), with backpressure.
 */
export class DataServer {
	private server: Server | undefined;
	private listening: Promise<number> | undefined;
	private readonly served = new Map<string, ServedFile>();
	private readonly active = new Map<string, Socket>();
	private readonly open = new Set<Socket>();
	/** Connections still to send their first line, by remote address. */
	private readonly waiting = new Map<string, number>();
	/** Under TUI_NETCHAT_FILE_RATE, each offer's pace, across its connections. */
	private readonly pacers = new Map<string, Pacer>();

	constructor(
		private readonly bind: string | undefined,
		private readonly secret: string | undefined,
		private readonly idleMs = defaultIdleMs,
	) {}

	/** Listens on first use; the port goes into offers. */
	async port(): Promise<number> {
		this.listening ??= new Promise((resolve, reject) => {
			const server = createServer(socket => {
				void this.handle(socket);
			});
			this.server = server;
			server.maxConnections = maxConnections;
			server.once('error', reject);
			server.listen(0, this.bind ?? '0.0.0.0', () => {
				server.off('error', reject);
				server.on('error', () => undefined);
				const address = server.address();
				resolve(typeof address === 'object' && address ? address.port : 0);
			});
		});
		return this.listening;
	}

	/** Connections open now, a first line awaited or a file flowing. */
	connections(): number {
		return this.open.size;
	}

	/** Whether connections for this offer are taken (it was not withdrawn, nor lost in a restart). */
	serves(id: string): boolean {
		return this.served.has(id);
	}

	serve(file: ServedFile): void {
		this.served.set(file.id, file);
	}

	/** No more connections for it; one running is cut. */
	withdraw(id: string): void {
		this.served.delete(id);
		this.pacers.delete(id);
		this.active.get(id)?.destroy();
		this.active.delete(id);
	}

	close(): void {
		for (const socket of this.open) {
			socket.destroy();
		}

		this.open.clear();
		this.active.clear();
		this.served.clear();
		this.pacers.clear();
		this.server?.close();
	}

	private pacerOf(id: string, rate: number): Pacer {
		let pacer = this.pacers.get(id);
		if (pacer?.rate !== rate) {
			pacer = new Pacer(rate);
			this.pacers.set(id, pacer);
		}

		return pacer;
	}

	private async handle(socket: Socket): Promise<void> {
		this.open.add(socket);
		socket.once('close', () => this.open.delete(socket));
		socket.on('error', () => undefined);
		socket.setNoDelay(true);
		const address = socket.remoteAddress ?? '?';
		const waiting = this.waiting.get(address) ?? 0;
		if (waiting >= maxWaitingPerAddress) {
			socket.destroy();
			return;
		}

		this.waiting.set(address, waiting + 1);
		const line = await readHello(socket);
		const left = (this.waiting.get(address) ?? 1) - 1;
		if (left > 0) {
			this.waiting.set(address, left);
		} else {
			this.waiting.delete(address);
		}

		const hello = parseHello(line ?? '');
		const file = hello ? this.served.get(hello.id) : undefined;
		if (!hello || !file || !knowsToken(hello, file.token, this.secret !== undefined) || hello.offset > file.size) {
			socket.destroy();
			return;
		}

		// A receiver that asks again (it lost its connection, or restarted) replaces the connection it had.
		this.active.get(file.id)?.destroy();
		this.active.set(file.id, socket);
		file.started(hello.offset);
		let sent = 0;
		const counted = (bytes: number) => {
			sent += bytes;
			file.sent(bytes);
		};
		// A receiver that stopped reading holds the connection with nothing moving: whether bytes went since
		// the last look, every idleMs.
		let seen = -1;
		const watchdog = setInterval(() => {
			if (sent === seen) {
				socket.destroy(new Error(`nothing read for ${this.idleMs >= 1000 ? `${Math.round(this.idleMs / 1000)} s` : `${this.idleMs} ms`}`));
			}

			seen = sent;
		}, this.idleMs);
		watchdog.unref();
		socket.once('close', () => {
			clearInterval(watchdog);
		});

		try {
			const rate = fileRate();
			if (hello.offset >= file.size) {
				socket.end();
			} else if (rate === undefined && this.secret === undefined) {
				await sendRange(socket, file.path, hello.offset, file.size, counted);
			} else {
				const source = createReadStream(file.path, {start: hello.offset, end: file.size - 1, highWaterMark: 1024 * 1024});
				const pacer = rate === undefined ? undefined : this.pacerOf(file.id, rate);
				const {secret} = this;
				const stages = [source, ...(pacer === undefined ? [] : [new Throttle(pacer)]), ...(secret === undefined ? [] : [new ChunkSealer(salt => connectionKey(secret, file.token, hello.nonce, salt))])];
				// Counted as they leave the throttle (or the file), not as they are read ahead.
				(stages[pacer === undefined ? 0 : 1] as NodeJS.ReadableStream).on('data', (chunk: Buffer) => {
					counted(chunk.length);
				});
				await pipeline([...stages, socket]);
			}

			if (this.active.get(file.id) === socket) {
				file.ended(hello.offset + sent >= file.size ? {complete: true} : {complete: false, why: 'the file is shorter than it was when offered'});
			}
		} catch (error) {
			// A connection replaced by a newer one, or withdrawn, has nothing to report; one the receiver cut
			// after the last byte (it has them all) is complete: its verdict comes on the chat.
			if (this.active.get(file.id) === socket) {
				file.ended(hello.offset + sent >= file.size ? {complete: true} : {complete: false, why: error instanceof Error ? error.message : String(error)});
			}
		} finally {
			if (this.active.get(file.id) === socket) {
				this.active.delete(file.id);
			}
		}
	}
}
