// File offers travel as tagged chat lines between tui-netchat peers (sealed with the chat under --secret):
//   @file-offer=3f9a0c12b4e7;name=report.pdf;size=12345678;sha256=<64 hex>;port=40123;ticket=<32 hex> offers report.pdf (12.3 MB)
//   @file-reject=3f9a0c12b4e7     the receiver said no (or is done with it: @file-done, @file-bad)
//   @file-cancel=3f9a0c12b4e7     either side stopped it
// The data goes over a TCP connection of its own to the sender's port; the receiver's first line there:
//   tnc-file/1 3f9a0c12b4e7 OFFSET TOKEN NONCE
// where, under --secret, TOKEN is not the offer's token but HMAC-SHA256(token, "ID|OFFSET|NONCE") in hex (64),
// so the token never crosses the wire in the clear; after which the sender writes the file from OFFSET: raw bytes, or sealed chunks (data-seal.ts) with --secret.

import {createHmac} from 'node:crypto';
import type {Tags} from '../wire/tags.js';
import {formatSize} from '../../domain/files.js';

export type FileOffer = {
	readonly id: string;
	readonly name: string;
	readonly size: number;
	readonly sha256: string;
	readonly port: number;
	readonly token: string;
};

export type FileControl = {readonly kind: 'reject' | 'cancel' | 'done' | 'bad'; readonly id: string};

export type DataHello = {readonly id: string; readonly offset: number; readonly token: string; readonly nonce: string};

const idPattern = /^[\da-f]{12}$/;
const hexOf = (length: number) => new RegExp(`^[\\da-f]{${length}}$`);
const shaPattern = hexOf(64);
const tokenPattern = hexOf(32);
/** The longest first line on a data port, newline included (139 with a 64-hex proof): anything longer is not ours. */
export const maxHelloBytes = 160;
const controlKinds = ['reject', 'cancel', 'done', 'bad'] as const;

export function isTransferId(id: string): boolean {
	return idPattern.test(id);
}

export function offerTags(offer: FileOffer): {tags: Tags; text: string} {
	const {id, name, size, sha256, port, token} = offer;
	return {tags: {'file-offer': id, name, size: String(size), sha256, port: String(port), ticket: token}, text: `offers ${name} (${formatSize(size)})`};
}

function integer(value: string | true | undefined, max: number): number | undefined {
	return typeof value === 'string' && /^\d{1,16}$/.test(value) && Number(value) <= max ? Number(value) : undefined;
}

/** The offer in a line's tags, or undefined when there is none or it is malformed (the name is still unsanitised). */
export function readOffer(tags: Tags): FileOffer | undefined {
	// Not "token": that tag is the identity token of session/identity.ts.
	const {'file-offer': id, name, sha256, ticket: token} = tags;
	const size = integer(tags['size'], Number.MAX_SAFE_INTEGER);
	const port = integer(tags['port'], 65_535);
	if (typeof id !== 'string' || !isTransferId(id) || typeof name !== 'string' || typeof sha256 !== 'string' || !shaPattern.test(sha256)) {
		return undefined;
	}

	if (typeof token !== 'string' || !tokenPattern.test(token) || size === undefined || port === undefined || port === 0) {
		return undefined;
	}

	return {id, name, size, sha256, port, token};
}

export function controlTags({kind, id}: FileControl): Tags {
	return {[`file-${kind}`]: id};
}

export function readControl(tags: Tags): FileControl | undefined {
	for (const kind of controlKinds) {
		const id = tags[`file-${kind}`];
		if (typeof id === 'string' && isTransferId(id)) {
			return {kind, id};
		}
	}

	return undefined;
}

/** Whether a line's tags are about files at all (a malformed one is dropped, not shown). */
export function isFileLine(tags: Tags): boolean {
	return Object.keys(tags).some(key => key.startsWith('file-'));
}

/** What a receiver sends under --secret in place of the token: proof it has it, bound to this hello. */
export function helloProof(token: string, {id, offset, nonce}: Pick<DataHello, 'id' | 'offset' | 'nonce'>): string {
	return createHmac('sha256', token).update(`${id}|${offset}|${nonce}`).digest('hex');
}

export function formatHello({id, offset, token, nonce}: DataHello): string {
	return `tnc-file/1 ${id} ${offset} ${token} ${nonce}\n`;
}

export function parseHello(line: string): DataHello | undefined {
	const match = /^tnc-file\/1 ([\da-f]{12}) (\d{1,16}) ([\da-f]{32}|[\da-f]{64}) ([\da-f]{32})$/.exec(line);
	return match ? {id: match[1]!, offset: Number(match[2]), token: match[3]!, nonce: match[4]!} : undefined;
}
