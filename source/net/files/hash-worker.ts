import {Worker} from 'node:worker_threads';

// One worker thread for every transfer's SHA-256 (a Map of them by id), fed the partial file's first bytes
// from disk, then chunks of the receiver's shared buffer pool, in order. At loopback speed the hash was as
// long as the whole transfer on the main thread; beside it the reads and the disk's writes go on.
const workerCode = `
const {parentPort} = require('node:worker_threads');
const {createHash} = require('node:crypto');
const {openSync, readSync, closeSync, constants} = require('node:fs');
const hashes = new Map();
function prefix(hash, path, length) {
	const fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
	const buffer = Buffer.allocUnsafe(1 << 20);
	try {
		for (let at = 0; at < length; ) {
			const read = readSync(fd, buffer, 0, Math.min(buffer.length, length - at), at);
			if (read === 0) throw new Error('the partial file got shorter');
			hash.update(buffer.subarray(0, read));
			at += read;
		}
	} finally {
		closeSync(fd);
	}
}
parentPort.on('message', ([kind, id, a, b, c]) => {
	try {
		if (kind === 'start') {
			const hash = createHash('sha256');
			if (c > 0) prefix(hash, b, c);
			hashes.set(id, {hash, pool: new Uint8Array(a)});
			parentPort.postMessage(['started', id]);
		} else if (kind === 'chunk') {
			const entry = hashes.get(id);
			entry.hash.update(entry.pool.subarray(a, a + b));
			parentPort.postMessage(['hashed', id, a]);
		} else if (kind === 'bytes') {
			hashes.get(id).hash.update(a);
			parentPort.postMessage(['hashed', id, -1]);
		} else if (kind === 'digest') {
			const entry = hashes.get(id);
			hashes.delete(id);
			parentPort.postMessage(['digest', id, entry.hash.digest('hex')]);
		} else {
			hashes.delete(id);
		}
	} catch (error) {
		hashes.delete(id);
		parentPort.postMessage(['error', id, String((error && error.message) || error)]);
	}
});
`;

type Reply = readonly [kind: string, id: number, value?: number | string];
let shared: Worker | undefined;
const owners = new Map<number, (reply: Reply) => void>();
let nextId = 1;

function worker(): Worker {
	if (shared === undefined) {
		const created = new Worker(workerCode, {eval: true});
		created.unref();
		created.on('message', (reply: Reply) => owners.get(reply[1])?.(reply));
		created.on('error', error => {
			shared = undefined;
			for (const [id, owner] of owners) {
				owner(['error', id, error.message]);
			}
		});
		shared = created;
	}

	return shared;
}

/** One transfer's SHA-256 in the worker; chunks are views of `pool`, named by their offset in it. */
export class PoolHasher {
	private readonly id = nextId++;
	private readonly pending: Array<() => void> = [];
	private failure: Error | undefined;
	private waiting: {resolve: (value: string) => void; reject: (error: Error) => void} | undefined;

	constructor(private readonly pool: SharedArrayBuffer) {
		owners.set(this.id, reply => {
			this.heard(reply);
		});
	}

	/** Hashes the first `length` bytes of the file at `path` (what an earlier connection wrote). */
	async start(path: string, length: number): Promise<void> {
		await this.ask(['start', this.id, this.pool, path, length]);
	}

	/** `done` runs once the worker has hashed the chunk (or failed): the buffer can be read into again. */
	update(chunk: Buffer, done: () => void): void {
		this.pending.push(done);
		if (this.failure) {
			this.settle();
		} else if (chunk.buffer === this.pool) {
			worker().postMessage(['chunk', this.id, chunk.byteOffset, chunk.length]);
		} else {
			worker().postMessage(['bytes', this.id, chunk]);
		}
	}

	async digest(): Promise<string> {
		const digest = await this.ask(['digest', this.id]);
		owners.delete(this.id);
		return digest;
	}

	/** The transfer ended without a digest. */
	drop(): void {
		owners.delete(this.id);
		shared?.postMessage(['drop', this.id]);
	}

	private async ask(message: readonly unknown[]): Promise<string> {
		if (this.failure) {
			throw this.failure;
		}

		return new Promise((resolve, reject) => {
			this.waiting = {resolve, reject};
			worker().postMessage(message);
		});
	}

	private heard([kind, , value]: Reply): void {
		if (kind === 'hashed') {
			this.pending.shift()?.();
		} else if (kind === 'error') {
			this.failure = new Error(`the SHA-256 could not be computed: ${String(value)}`);
			this.settle();
			this.waiting?.reject(this.failure);
			this.waiting = undefined;
		} else {
			this.waiting?.resolve(String(value ?? ''));
			this.waiting = undefined;
		}
	}

	private settle(): void {
		for (const done of this.pending.splice(0)) {
			done();
		}
	}
}
