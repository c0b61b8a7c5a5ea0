import {createSealer, maxPlainBytes, sealedLength, type OpenResult, type Sealer} from './seal.js';
import {splitForDatagram} from './split-datagram.js';
import {utf8Codec, type TextCodec} from './text-codec.js';

/** TCP lines longer than this are cut (transport/line-decoder.ts). */
const maxTcpLineBytes = 64 * 1024;

/**
 * One framing step, both ways: a line of text to the bytes on the wire (sealed with --secret, else in the
 * chat's encoding) and back. No sockets here.
 */
export class Framer {
	private readonly sealer: Sealer | undefined;
	private textCodec: TextCodec = utf8Codec;

	/**
	 * Deriving a key from a secret takes about 0.1 s, once. The encoding is not read here (useCodec sets the
	 * codec once it is loaded); the parameter stays only while chat-service.ts still passes it.
	 */
	constructor(secret: string | undefined) {
		this.sealer = secret === undefined ? undefined : createSealer(secret);
	}

	/** GBK and GB18030 are loaded when asked for; until then (and always when sealed) text is UTF-8. */
	/** The chat's encoding, unsealed: what IRC lines are written in. */
	get codec(): TextCodec {
		return this.textCodec;
	}

	useCodec(codec: TextCodec): void {
		this.textCodec = codec;
	}

	get encoding(): TextCodec['encoding'] {
		return this.textCodec.encoding;
	}

	get sealed(): boolean {
		return this.sealer !== undefined;
	}

	get fingerprint(): string | undefined {
		return this.sealer?.fingerprint;
	}

	/** The longest TCP line accepted, on the wire. */
	get maxLineBytes(): number | undefined {
		return this.sealer ? sealedLength(maxTcpLineBytes) : undefined;
	}

	/** The bytes text takes inside a line: what recvfrom(1024) counts, before any seal. */
	readonly byteLength = (text: string): number => (this.sealer ? utf8Codec.byteLength(text) : this.textCodec.byteLength(text));

	/** A draft's size in the chat's encoding (what recvfrom(1024) counts) and the datagrams it takes. */
	measure(text: string, maxDatagram: number): {bytes: number; datagrams: number} {
		return {bytes: this.byteLength(text), datagrams: splitForDatagram(text, this.datagramRoom(maxDatagram), this.byteLength).length};
	}

	/** Text bytes one datagram of maxDatagram bytes carries, after the newline and the seal. */
	datagramRoom(maxDatagram: number): number {
		return this.sealer ? maxPlainBytes(maxDatagram - 1) : maxDatagram - 1;
	}

	/** One outgoing line (no newline) as bytes: in the codec given (a conversation's), else the chat's; sealed, UTF-8. */
	encode(line: string, codec: TextCodec = this.textCodec): Buffer {
		return this.sealer ? Buffer.from(`${this.sealer.seal(line)}\n`) : codec.encode(`${line}\n`);
	}

	/** What text takes in a codec, before any seal (sealed text is UTF-8). */
	byteLengthIn(codec: TextCodec): (text: string) => number {
		return this.sealer ? utf8Codec.byteLength : codec.byteLength;
	}

	/** Bytes of a line (or a datagram) as text: in the codec given, else the chat's; sealed lines are UTF-8. */
	decode(bytes: Uint8Array, codec: TextCodec = this.textCodec): string {
		return (this.sealer ? utf8Codec : codec).decode(bytes);
	}

	/** A line as it came off the wire, opened when sealed; without a secret every line is plain. */
	open(raw: string): OpenResult {
		return this.sealer ? this.sealer.open(raw) : {ok: true, line: raw, sender: ''};
	}
}
