import {formatEndpoint} from '../../domain/endpoint.js';
import type {ConversationBook} from '../session/conversations.js';
import {peerName, type Peer} from '../session/peers.js';
import type {Tags} from '../wire/tags.js';
import type {FilesContext} from './context.js';
import {isFileLine, readControl, readOffer, type FileOffer} from './offer-codec.js';
import {sanitizeFileName} from './names.js';
import type {Receiving} from './receiving.js';
import type {OutgoingRecord} from './resume-store.js';
import type {Sending} from './sending.js';
import type {TransferBook} from './transfer-book.js';
import {describe, isOver, type Transfer} from './transfer.js';

/** Offers not yet accepted, per peer and in all; an offer not accepted within this long is forgotten. */
const maxPendingPerPeer = 4;
const maxPending = 16;
const offerLifetimeMs = 30 * 60_000;

export type PeerLinesParts = {
	readonly book: TransferBook;
	readonly context: FilesContext;
	readonly sending: Sending;
	readonly receiving: Receiving;
	readonly conversations: ConversationBook;
};

/**
 * Whether a peer is the one a transfer comes from: its conversation, or for a transfer restored from its
 * record (which knows no conversation yet) its host.
 */
function fromItsSender(transfer: Transfer, peer: Peer, conversationId: string): boolean {
	return transfer.conversation === undefined ? transfer.source?.host === peer.host : transfer.conversation === conversationId;
}

/** What tui-netchat peers say about files: offers, their answers (reject, cancel, done, bad), and greetings that resume. */
export class PeerLines {
	constructor(private readonly parts: PeerLinesParts) {}

	/** A line's file tags; true when it was about files (nothing else to show). */
	onLine(peer: Peer, conversationId: string, tags: Tags): boolean {
		if (!isFileLine(tags)) {
			return false;
		}

		const offer = readOffer(tags);
		if (offer) {
			this.offered(offer, peer, conversationId);
			return true;
		}

		const {book, context, sending, receiving} = this.parts;
		const control = readControl(tags);
		const transfer = control && book.all.find(candidate => candidate.id === control.id && candidate.conversation === conversationId);
		// A receiver's verdict comes after the last byte went, when the transfer is over for us.
		if (!control || !transfer || (isOver(transfer.state) && !(transfer.state === 'done' && (control.kind === 'done' || control.kind === 'bad')))) {
			return true;
		}

		if (transfer.direction === 'send' && control.kind !== 'bad' && control.kind !== 'done') {
			sending.stop(transfer);
			transfer.state = control.kind === 'reject' ? 'rejected' : 'cancelled';
			context.say(`${transfer.peer} ${control.kind === 'reject' ? 'rejected' : 'cancelled'} ${transfer.name}.`, 'info', conversationId);
		} else if (transfer.direction === 'send') {
			sending.checked(transfer, control.kind === 'done');
		} else if (control.kind === 'cancel') {
			receiving.cancel(transfer);
			context.say(`${transfer.peer} cancelled ${transfer.name}.`, 'info', conversationId);
		}

		context.changed();
		return true;
	}

	private endpointOf(conversationId: string): string | undefined {
		const conversation = this.parts.conversations.get(conversationId);
		return conversation?.endpoint ? formatEndpoint(conversation.endpoint) : undefined;
	}

	/** A tui-netchat peer greeted: our offers from before a restart go again; transfers from it that broke resume. */
	greeted(peer: Peer, conversationId: string): void {
		const endpoint = this.endpointOf(conversationId);
		for (const transfer of this.parts.book.all) {
			const record = transfer.record;
			// Ours, lost in a restart (not served since): offered again, from the data port as it is now.
			if (transfer.direction === 'send' && record?.kind === 'out' && record.endpoint === endpoint && transfer.state === 'interrupted' && !this.parts.context.server.serves(transfer.id)) {
				transfer.conversation = conversationId;
				void this.parts.sending.serve(transfer, record as OutgoingRecord, false);
			} else if (transfer.direction === 'receive' && transfer.plain === undefined && fromItsSender(transfer, peer, conversationId) && transfer.state === 'interrupted') {
				transfer.conversation ??= conversationId;
				this.parts.receiving.senderBack(transfer);
			}
		}
	}

	private offered(offer: FileOffer, peer: Peer, conversationId: string): void {
		const {book, context, receiving} = this.parts;
		const known = book.all.find(candidate => candidate.id === offer.id && candidate.direction === 'receive');
		const source = {host: peer.host, port: offer.port, token: offer.token};
		if (known) {
			// Only its sender may point a transfer at another data port (a room's others see the offer too).
			if (fromItsSender(known, peer, conversationId) && known.size === offer.size && known.sha256 === offer.sha256 && !isOver(known.state)) {
				// The sender restarted (a new port) or offers again: a partial we hold resumes.
				known.source = source;
				known.conversation = conversationId;
				receiving.resume(known);
			}

			return;
		}

		book.forgetExpired(Date.now());
		const pending = book.all.filter(transfer => transfer.direction === 'receive' && transfer.plain === undefined && transfer.state === 'offered');
		const name = peerName(peer);
		if (pending.length >= maxPending || pending.filter(transfer => transfer.conversation === conversationId).length >= maxPendingPerPeer) {
			context.say(`${name} offers ${sanitizeFileName(offer.name)}, but too many offers are waiting: /accept or /reject some first.`, 'error', conversationId);
			return;
		}

		const transfer = book.add({id: offer.id, direction: 'receive', state: 'offered', name: sanitizeFileName(offer.name), conversation: conversationId, peer: name, size: offer.size, sha256: offer.sha256});
		transfer.source = source;
		transfer.expires = Date.now() + offerLifetimeMs;
		context.say(`${name} offers ${describe(transfer.name, offer.size, offer.sha256)} — /accept ${transfer.number} or /reject ${transfer.number}`, 'info', conversationId);
		context.changed();
	}
}
