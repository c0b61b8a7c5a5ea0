import {randomBytes, type Hash} from 'node:crypto';
import {constants, createWriteStream} from 'node:fs';
import {open, type FileHandle} from 'node:fs/promises';
import {connect} from 'node:net';
import {Transform, type TransformCallback} from 'node:stream';
import {finished, pipeline} from 'node:stream/promises';
import {errorCode, explainError} from '../transport/errors.js';
import {connectionKey} from './data-server.js';
import {ChunkOpener} from './data-seal.js';
import {hashFile} from './hash-file.js';
import {formatHello, helloProof} from './offer-codec.js';
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
	| {readonly kind: 'disk'; readonly why: string; readonly done: number}
	/** The partial file cannot be written safely (a symbolic link in its place): nothing was fetched. */
	| {readonly kind: 'unsafe'; readonly why: string};

const newPart = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
const oldPart = constants.O_WRONLY | constants.O_APPEND | constants.O_NOFOLLOW;

/** The partial file, opened to append to, never through a symbolic link; a new one only if nothing is there. */
async function openPart(part: string, offset: number): Promise<FileHandle> {
	if (offset === 0) {
		try {
			return await open(part, newPart, 0o600);
		} catch (error) {
			if (errorCode(error) !== 'EEXIST') {
				throw error;
			}
		}
	}

	return open(part, oldPart);
}

/** Lets through at most the bytes still due, hashing and counting them; a sender that sends more is cut off there. */
class SizeGuard extends Transform {
	overrun = false;
	/** Every byte offered came. */
	full = false;
	constructor(
		private left: number,
		private readonly hash: Hash,
		private readonly counted: (bytes: number) => void,
	) {
		super();
	}

	override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
		if (this.full) {
			this.overrun ||= chunk.length > 0;
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

		if (this.left === 0 && !this.full) {
			// All here (or more: cut off there): the file is written out whole, then the socket is cut; the
			// sender need not close first.
			this.full = true;
			this.push(null);
			this.emit('full');
		}

		if (kept.length < chunk.length) {
			this.overrun = true;
			this.emit('overrun');
		}

		done();
	}
}

const idleMs = 30_000;

/** Connects to the sender's data port, asks from the offset, and writes what comes to the partial file. */
export async function fetchFile(request: Fetch): Promise<FetchResult> {
	const {host, port, id, token, secret, part, offset, size, signal} = request;
	let done = offset;
	const counted = (bytes: number) => {
		done += bytes;
		request.received(bytes);
	};

	const cancelled = (): FetchResult => ({kind: 'interrupted', why: 'cancelled', done});
	let handle: FileHandle;
	try {
		handle = await openPart(part, offset);
	} catch (error) {
		if (signal?.aborted) {
			return cancelled();
		}

		if (errorCode(error) === 'ELOOP') {
			return {kind: 'unsafe', why: `${part} is a symbolic link: not written through`};
		}

		return {kind: 'disk', why: explainError(error), done};
	}

	if (signal?.aborted) {
		await handle.close();
		return cancelled();
	}

	// What is on disk already counts towards the SHA-256, hashed before connecting (the idle timer does not
	// run meanwhile): for sealed data read here (the event loop stays free between chunks), for raw data by
	// the hash's worker thread.
	const sink = createWriteStream(part, {fd: handle, highWaterMark: 1024 * 1024});
	let diskError: unknown;
	sink.on('error', error => {
		diskError = error;
	});
	const intake = secret === undefined ? new RawIntake(size - offset, counted, sink) : undefined;
	let hash: Hash | undefined;
	try {
		hash = secret === undefined ? undefined : await hashFile(part, {length: offset});
		await intake?.hasher.start(part, offset);
	} catch (error) {
		sink.destroy();
		intake?.hasher.drop();
		return signal?.aborted ? cancelled() : {kind: 'interrupted', why: explainError(error), done};
	}

	if (signal?.aborted) {
		sink.destroy();
		intake?.hasher.drop();
		return cancelled();
	}

	const nonce = randomBytes(16).toString('hex');
	const socket = connect({host, port, ...(intake ? {onread: intake.onread} : {})});
	socket.on('error', () => undefined);
	signal?.addEventListener('abort', () => socket.destroy(new Error('cancelled')), {once: true});
	socket.setTimeout(idleMs, () => socket.destroy(new Error('nothing came for 30 s')));
	socket.write(formatHello({id, offset, token: secret === undefined ? token : helloProof(token, {id, offset, nonce}), nonce}));
	let overrun = false;
	let full = false;
	let digest = '';
	try {
		if (intake) {
			await intake.run(socket);
			overrun = intake.overrun;
			sink.end();
			await finished(sink);
			digest = await intake.hasher.digest();
		} else {
			const guard = new SizeGuard(size - offset, hash!, counted);
			const cut = () => sink.once('finish', () => socket.destroy());
			guard.once('full', cut);
			try {
				await pipeline([socket, new ChunkOpener(salt => connectionKey(secret ?? '', token, nonce, salt)), guard, sink]);
			} finally {
				overrun = guard.overrun;
				full = guard.full && sink.writableFinished;
			}
		}
	} catch (error) {
		socket.destroy();
		sink.destroy();
		if (diskError !== undefined) {
			intake?.hasher.drop();
			return {kind: 'disk', why: explainError(diskError), done};
		}

		if (!overrun && !full) {
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
