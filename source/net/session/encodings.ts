import type {Encoding} from '../../domain/encoding.js';
import type {ChatHistory} from '../history/history.js';
import type {TcpConnection} from '../transport/tcp-transport.js';
import type {Framer} from '../wire/framer.js';
import {codecFor, readsAsGbk, utf8Codec, type TextCodec} from '../wire/text-codec.js';
import type {Dest} from './greetings.js';
import {conversationName, type Conversation, type ConversationBook} from './conversations.js';
import {tcpPeerKey, udpPeerKey, type Peer, type PeerBook} from './peers.js';
import {formatEndpoint} from '../../domain/endpoint.js';

export type EncodingParts = {
	readonly framer: Framer;
	readonly conversations: ConversationBook;
	readonly peers: PeerBook;
	readonly history: () => ChatHistory;
};

const names: Record<Encoding, string> = {utf8: 'UTF-8', gbk: 'GBK', gb18030: 'GB18030'};

/**
 * What each conversation's text is read and written in: its own encoding (/encoding in its buffer), else the
 * default (--encoding, or /encoding elsewhere); sealed lines are always UTF-8. Text from a peer that is not
 * UTF-8 but reads as GBK gets one hint per conversation.
 */
export class Encodings {
	/** Peers whose last text was not UTF-8 but read as GBK: the hint is due once their line is handled. */
	private readonly suspects = new Set<string>();

	constructor(private readonly parts: EncodingParts) {}

	/** A conversation's encoding as it is used; sealed conversations stay UTF-8. */
	encodingOf(id: string | undefined): Encoding {
		return this.codecOf(id).encoding;
	}

	/** What a conversation's text is written in, and read in. */
	readonly codecOf = (id: string | undefined): TextCodec => {
		const {framer, conversations} = this.parts;
		if (framer.sealed) {
			return utf8Codec;
		}

		const own = conversations.get(id)?.encoding;
		return own === undefined ? framer.codec : codecFor(own);
	};

	/** Where a control line goes (a greeting, an acknowledgement): written in that conversation's encoding. */
	codecOfDest(dest: Dest): TextCodec {
		const {peers, conversations} = this.parts;
		const peer = dest.kind === 'tcp' ? peers.get(tcpPeerKey(dest.connectionId)) : peers.get(udpPeerKey(formatEndpoint(dest.endpoint)));
		return this.codecOf(peer?.conversation ?? (dest.kind === 'udp' ? conversations.at(dest.endpoint)?.id : undefined));
	}

	/** One TCP line's bytes as text, in the encoding of the conversation its connection belongs to. */
	readonly decodeTcp = (bytes: Buffer, connection: TcpConnection): string => this.decode(bytes, this.parts.peers.get(tcpPeerKey(connection.id)));

	/** A datagram's lines, in the sender's conversation's encoding, without the final newline. */
	datagramLines(data: Buffer, peer: Peer): string[] {
		return this.decode(data, peer).replace(/\r?\n$/, '').split(/\r?\n/);
	}

	/** After a peer's line was handled (its conversation is known by then): the GBK hint, once per conversation. */
	hint(peer: Peer): void {
		if (!this.suspects.delete(peer.key)) {
			return;
		}

		const conversation = this.parts.conversations.get(peer.conversation);
		if (conversation === undefined || conversation.encodingHinted || this.encodingOf(conversation.id) !== 'utf8') {
			return;
		}

		conversation.encodingHinted = true;
		this.parts.history().system(`${conversationName(conversation)}'s text is not UTF-8; it reads as GBK: /encoding gbk (or --encoding gbk).`, 'info', conversation.id);
	}

	/** /encoding: for one conversation, or (without one) the default for every conversation without its own. */
	set(encoding: Encoding, id?: string): void {
		const {framer, conversations} = this.parts;
		const history = this.parts.history();
		if (framer.sealed) {
			history.system('Sealed conversations (--secret) are always UTF-8.', 'error', id);
			return;
		}

		let codec: TextCodec;
		try {
			codec = codecFor(encoding);
		} catch (error) {
			history.system(`Cannot use ${names[encoding]}: ${(error as Error).message}`, 'error', id);
			return;
		}

		if (id === undefined) {
			framer.useCodec(codec);
			history.system(`Text is now read and written as ${names[encoding]} in every conversation without an /encoding of its own (IRC networks already open keep theirs).`);
			return;
		}

		const conversation: Conversation | undefined = conversations.get(id);
		if (conversation === undefined) {
			history.system('That conversation is over: /peers lists who is known.', 'error');
			return;
		}

		conversation.encoding = encoding;
		history.system(`${conversationName(conversation)}: text is now read and written as ${names[encoding]}.`, 'info', id);
		history.changed();
	}

	private decode(bytes: Buffer, peer: Peer | undefined): string {
		const known = this.parts.conversations.get(peer?.conversation);
		const conversation = known ?? (peer?.transport === 'udp' ? this.parts.conversations.at({host: peer.host, port: peer.port}) : undefined);
		const codec = this.codecOf(conversation?.id);
		const text = this.parts.framer.decode(bytes, codec);
		if (peer && codec.encoding === 'utf8' && !this.parts.framer.sealed && text.includes('\uFFFD') && !conversation?.encodingHinted && readsAsGbk(bytes)) {
			this.suspects.add(peer.key);
		}

		return text;
	}
}
