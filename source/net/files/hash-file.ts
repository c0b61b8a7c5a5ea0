import {createHash, type Hash} from 'node:crypto';
import {createReadStream} from 'node:fs';

/**
 * Feeds the first `length` bytes of a file (all of it without a length) into a SHA-256, 1 MiB at a time with the
 * event loop free between chunks; `progress` hears the bytes read so far.
 */
export async function hashFile(path: string, options: {readonly length?: number; readonly hash?: Hash; readonly progress?: (bytes: number) => void} = {}): Promise<Hash> {
	const hash = options.hash ?? createHash('sha256');
	if (options.length === 0) {
		return hash;
	}

	let read = 0;
	const stream = createReadStream(path, {highWaterMark: 1024 * 1024, ...(options.length === undefined ? {} : {end: options.length - 1})});
	for await (const chunk of stream as AsyncIterable<Buffer>) {
		hash.update(chunk);
		read += chunk.length;
		options.progress?.(read);
	}

	return hash;
}
