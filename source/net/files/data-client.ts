import {randomBytes, type Hash} from 'node:crypto';
import {createWriteStream} from 'node:fs';
import {connect} from 'node:net';
import {Transform, type TransformCallback} from 'node:stream';
import {finished, pipeline} from 'node:stream/promises';
import {explainError} from '../transport/errors.js';
import {connectionKey} from './data-server.js';
import {ChunkOpener} from './data-seal.js';
import {hashFile} from './hash-file.js';
import {formatHello} from './offer-codec.js';
import {RawIntake} from './raw-intake.js';

export type Fetch = {
	readonly host: string;
	readonly port: number;
	readonly id: string;
	readonly token: string;
	readonly secret: string | undefined;
	/** The partial file: appended to from `offset`, which is its length. */
	readonly part: string;
	readonly offset: number;
	readonly size: number;
	readonly received: (bytes: number) => void;
	/** /cancel: the connection is cut. */
	readonly signal?: AbortSignal;
};

export type FetchResult =
	/** digest: the SHA-256 of the whole partial file, what was there before and what came. */
	| {readonly kind: 'complete'; readonly overrun: boolean; readonly digest: string}
	| {readonly kind: 'interrupted'; readonly why: string; readonly done: number}
	/** The disk would not take it (full, read-only): retrying will not help until someone acts. */
	| {readonly kind: 'disk'; readonly why: string; readonly done: number};

/** Lets through at most the bytes still due, hashing and counting them; a sender that sends more is cut off there. */
class SizeGuard extends Transform {
	overrun = false;
	constructor(
		private left: number,
		private readonly hash: Hash,
		private readonly counted: (bytes: number) => void,
	) {
		super();
	}

	override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
		if (this.overrun) {
			done();
			return;
		}

		const kept = chunk.length > this.left ? chunk.subarray(0, this.left) : chunk;
		this.left -= kept.length;
		if (kept.length > 0) {
			this.hash.update(kept);
			this.counted(kept.length);
			this.push(kept);
		}

		if (kept.length < chunk.length) {
			this.overrun = true;
			// Ending here, not failing: what came up to the offered size is written out whole, then the socket is cut.
			this.push(null);
			this.emit('overrun');
		}

		done();
	}
}

const idleMs = 30_000;

/** Connects to the sender's data port, asks from the offset, and writes what comes to the partial file. */
export async function fetchFile(request: Fetch): Promise<FetchResult> {
	const {host, port, id, token, secret, part, offset, size} = request;
	let done = offset;
	const counted = (bytes: number) => {
		done += bytes;
		request.received(bytes);
	};

	// What is on disk already counts towards the SHA-256: for sealed data read here first (the event loop stays
	// free between chunks), for raw data by the hash's worker thread, before the chunks that come.
	const hash = secret === undefined ? undefined : await hashFile(part, {length: offset});
	const nonce = randomBytes(16).toString('hex');
	const sink = createWriteStream(part, {flags: 'a', highWaterMark: 1024 * 1024});
	let diskError: unknown;
	sink.on('error', error => {
		diskError = error;
	});
	// Raw data goes through our own buffers (raw-intake.ts); sealed chunks are opened in a stream.
	const intake = hash === undefined ? new RawIntake(size - offset, counted, sink) : undefined;
	const prefixed = intake?.hasher.start(part, offset);
	prefixed?.catch(() => undefined);
	const socket = connect({host, port, ...(intake ? {onread: intake.onread} : {})});
	socket.on('error', () => undefined);
	request.signal?.addEventListener('abort', () => socket.destroy(new Error('cancelled')), {once: true});
	socket.setTimeout(idleMs, () => socket.destroy(new Error('nothing came for 30 s')));
	socket.write(formatHello({id, offset, token, nonce}));
	let overrun = false;
	let digest = '';
	try {
		if (intake) {
			await intake.run(socket);
			overrun = intake.overrun;
			sink.end();
			await finished(sink);
			await prefixed;
			digest = await intake.hasher.digest();
		} else {
			const guard = new SizeGuard(size - offset, hash!, counted);
			guard.once('overrun', () => sink.once('finish', () => socket.destroy()));
			try {
				await pipeline([socket, new ChunkOpener(connectionKey(secret ?? '', token, nonce)), guard, sink]);
			} finally {
				overrun = guard.overrun;
			}
		}
	} catch (error) {
		socket.destroy();
		sink.destroy();
		if (diskError !== undefined) {
			intake?.hasher.drop();
			return {kind: 'disk', why: explainError(diskError), done};
		}

		if (!overrun) {
			intake?.hasher.drop();
			return {kind: 'interrupted', why: explainError(error), done};
		}
	}

	socket.destroy();
	if (done < size || (intake && digest === '')) {
		intake?.hasher.drop();
		return {kind: 'interrupted', why: 'the sender stopped before the end', done};
	}

	return {kind: 'complete', overrun, digest: hash?.digest('hex') ?? digest};
}
