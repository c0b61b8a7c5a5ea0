import {createRequire} from 'node:module';

import type {Encoding} from '../../domain/encoding.js';

export type {Encoding} from '../../domain/encoding.js';

/** Text to bytes and back in the chat's encoding. Decoding never throws: bad bytes become U+FFFD. */
export type TextCodec = {
	readonly encoding: Encoding;
	readonly encode: (text: string) => Buffer;
	readonly decode: (bytes: Uint8Array) => string;
	readonly byteLength: (text: string) => number;
};

const utf8Decoder = new TextDecoder('utf-8');

const utf8: TextCodec = {
	encoding: 'utf8',
	encode: text => Buffer.from(text, 'utf8'),
	decode: bytes => utf8Decoder.decode(bytes),
	byteLength: text => Buffer.byteLength(text, 'utf8'),
};

/** GBK and GB18030 need iconv-lite to encode; it is loaded only when asked for, to keep start-up fast. */
export async function loadCodec(encoding: Encoding): Promise<TextCodec> {
	if (encoding === 'utf8') {
		return utf8;
	}

	// require(), not import(): the bundle runs as a script from a code cache, where import() is not available.
	const iconv = createRequire(import.meta.url)('iconv-lite') as typeof import('iconv-lite');
	// GB18030 is a superset of GBK, and Node's own 'gbk' decoder drops bad bytes instead of showing U+FFFD.
	const decoder = new TextDecoder('gb18030');
	return {
		encoding,
		encode: text => iconv.encode(text, encoding),
		decode: bytes => decoder.decode(bytes),
		byteLength: text => iconv.encode(text, encoding).length,
	};
}

export const utf8Codec = utf8;
