import {createHash} from 'node:crypto';
import {createReadStream, createWriteStream, renameSync} from 'node:fs';
import {createServer, type Server, type Socket} from 'node:net';
import {networkInterfaces} from 'node:os';
import {join} from 'node:path';
import {Transform, type TransformCallback} from 'node:stream';
import {pipeline} from 'node:stream/promises';
import {explainError} from '../transport/errors.js';
import {uniqueName} from './names.js';

// A plain peer (nc, ncat, anything) has no offers: we open a port for one connection and print the nc
// command that sends or receives over it.

/** The address a peer at peerHost would reach us at: loopback for loopback, else --bind, else our first LAN address. */
export function addressFor(peerHost: string | undefined, bind: string | undefined): string {
	if (peerHost !== undefined && (/^127\./.test(peerHost) || peerHost === '::1' || peerHost === 'localhost')) {
		return peerHost === '::1' ? '::1' : '127.0.0.1';
	}

	if (bind !== undefined && bind !== '0.0.0.0' && bind !== '::') {
		return bind;
	}

	const addresses = Object.values(networkInterfaces()).flat();
	return addresses.find(address => address && !address.internal && address.family === 'IPv4')?.address ?? '127.0.0.1';
}

export type OneShot = {readonly port: number; readonly done: Promise<{readonly bytes: number; readonly path?: string; readonly sha256?: string}>; readonly close: () => void};

/** What a one-shot port tells as it goes: who connected, and each chunk's bytes. */
export type OneShotProgress = {readonly connected: (from: string) => void; readonly moved: (bytes: number) => void};

const silent: OneShotProgress = {connected: () => undefined, moved: () => undefined};

async function listenOnce(bind: string | undefined, progress: OneShotProgress, serve: (socket: Socket) => Promise<{bytes: number; path?: string; sha256?: string}>): Promise<OneShot> {
	const server: Server = createServer();
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, bind ?? '0.0.0.0', () => {
			server.off('error', reject);
			resolve();
		});
	});
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : 0;
	let current: Socket | undefined;
	const done = new Promise<{bytes: number; path?: string; sha256?: string}>((resolve, reject) => {
		server.once('connection', socket => {
			// Once: nobody else gets in after the first.
			server.close();
			current = socket;
			socket.on('error', () => undefined);
			progress.connected(`${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`);
			serve(socket).then(resolve, reject);
		});
		server.once('close', () => {
			if (current === undefined) {
				reject(new Error('closed before anyone connected'));
			}
		});
	});
	return {
		port,
		done,
		close() {
			server.close();
			current?.destroy();
		},
	};
}

/** Serves the file to the first connection, then closes: the peer runs `nc HOST PORT > name`. */
export async function serveOnce(path: string, bind: string | undefined, progress = silent): Promise<OneShot> {
	return listenOnce(bind, progress, async socket => {
		let bytes = 0;
		const source = createReadStream(path, {highWaterMark: 256 * 1024});
		source.on('data', chunk => {
			bytes += chunk.length;
			progress.moved(chunk.length);
		});
		await pipeline(source, socket);
		return {bytes};
	});
}

class Digest extends Transform {
	readonly hash = createHash('sha256');
	bytes = 0;
	constructor(private readonly moved: (bytes: number) => void) {
		super();
	}

	override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
		this.hash.update(chunk);
		this.bytes += chunk.length;
		this.moved(chunk.length);
		done(null, chunk);
	}
}

/** Saves what the first connection sends until EOF as directory/name (never overwriting): the peer runs `nc HOST PORT < file`. */
export async function receiveOnce(directory: string, name: string, bind: string | undefined, progress = silent): Promise<OneShot> {
	return listenOnce(bind, progress, async socket => {
		const final = uniqueName(directory, name, ['.part']);
		const part = join(directory, `${final}.part`);
		const digest = new Digest(progress.moved);
		try {
			await pipeline(socket, digest, createWriteStream(part, {flags: 'wx'}));
		} catch (error) {
			throw new Error(`${explainError(error)}; what came (${digest.bytes} bytes) is kept in ${part}`);
		}

		const path = join(directory, uniqueName(directory, final));
		renameSync(part, path);
		return {bytes: digest.bytes, path, sha256: digest.hash.digest('hex')};
	});
}
