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

const loaded = new Map<Encoding, TextCodec>([['utf8', utf8]]);

/**
 * GBK and GB18030 need iconv-lite to encode; it is loaded only when asked for (at start with --encoding, or
 * by /encoding), to keep start-up fast.
 */
export function codecFor(encoding: Encoding): TextCodec {
	const known = loaded.get(encoding);
	if (known) {
		return known;
	}

	// require(), not import(): the bundle runs as a script from a code cache, where import() is not available.
	const iconv = createRequire(import.meta.url)('iconv-lite') as typeof import('iconv-lite');
	// GB18030 is a superset of GBK, and Node's own 'gbk' decoder drops bad bytes instead of showing U+FFFD.
	const decoder = new TextDecoder('gb18030');
	const codec: TextCodec = {
		encoding,
		encode: text => iconv.encode(text, encoding),
		decode: bytes => decoder.decode(bytes),
		byteLength: text => iconv.encode(text, encoding).length,
	};
	loaded.set(encoding, codec);
	return codec;
}

export async function loadCodec(encoding: Encoding): Promise<TextCodec> {
	return codecFor(encoding);
}

export const utf8Codec = utf8;

const strictUtf8 = new TextDecoder('utf-8', {fatal: true});
const strictGb = new TextDecoder('gb18030', {fatal: true});
/** Han characters, CJK punctuation and full-width forms: what GBK text is made of beyond ASCII. */
const chinese = /[\p{Script=Han}\u3000-\u303F\uFF00-\uFFEF]/u;

/**
 * Bytes that are not UTF-8 but read as GBK/GB18030 with Chinese in them (Latin-1 bytes almost never do):
 * worth a hint that the peer writes GBK. Only asked of text that decoded with U+FFFD in it.
 */
export function readsAsGbk(bytes: Uint8Array): boolean {
	try {
		strictUtf8.decode(bytes);
		return false;
	} catch {}

	try {
		return chinese.test(strictGb.decode(bytes));
	} catch {
		return false;
	}
}
