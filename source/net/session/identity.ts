import {randomBytes} from 'node:crypto';
import type {Endpoint} from '../../domain/endpoint.js';
import type {Delivery} from '../delivery/delivery.js';
import {formatTagged} from '../wire/tags.js';
import type {Conversation, ConversationBook} from './conversations.js';
import {destKey, type Dest} from './greetings.js';
import type {InboundParts} from './inbound.js';
import type {Peer, PeerBook} from './peers.js';

// Who is the same instance. A greeting names a nick and a port, which anyone on the peer's host can claim.
// So each of us gives the other a random token per conversation, right after every greeting to a known
// tui-netchat (never to a plain peer or a room), and only over our own channels to it: UDP to its address
// and connections we dialled to where it listens, which reach the real instance. We keep the token a peer
// gives us over our own channels (its UDP address); a connection to us that claims an instance whose token
// we keep joins its conversation (and gets what waits for it) only by showing that token; otherwise it is a
// different person, "bob?". A token never goes out on a connection made to us, so a claimant learns none.

const maxTokens = 4096;

/** Our tokens, one per conversation; random, for this run only. */
export class Tokens {
	private readonly ours = new Map<string, string>();

	for(conversation: string): string {
		let token = this.ours.get(conversation);
		if (token === undefined) {
			token = randomBytes(12).toString('base64url');
			this.ours.set(conversation, token);
			if (this.ours.size > maxTokens) {
				const oldest = this.ours.keys().next().value;
				if (oldest !== undefined) {
					this.ours.delete(oldest);
				}
			}
		}

		return token;
	}
}

export type TokenLookup = {readonly peers: PeerBook; readonly conversations: ConversationBook; readonly delivery: Delivery; readonly tokens: Tokens};

/** The line that follows a greeting to dest: our token, when dest is a known tui-netchat over our own channel. */
export function tokenLine(dest: Dest, {peers, conversations, delivery, tokens}: TokenLookup): string | undefined {
	const peer = peers.get(destKey(dest));
	const conversation = dest.kind === 'tcp' ? conversations.get(peer?.conversation) : conversations.at(dest.endpoint);
	if (conversation === undefined || conversation.kind === 'room' || peer?.room !== undefined || (peer !== undefined && !isOwnChannel(peer))) {
		return undefined;
	}

	const tnc = (peer?.tnc ?? false) || delivery.knows(conversation);
	return tnc ? formatTagged({tags: {token: tokens.for(conversation.id)}, text: ''}) : undefined;
}

/** UDP from its address, or a connection we dialled: what comes over it is the instance's. */
export function isOwnChannel(peer: Peer): boolean {
	return peer.transport === 'udp' || peer.direction === 'out';
}

/**
 * A direct greeting from a connection to us names where it listens, where another conversation already
 * is: it joins that conversation only if it has shown (or will show next) that instance's token.
 */
export function mustProve(peer: Peer, conversation: Conversation, existing: Conversation | undefined): existing is Conversation {
	return existing !== undefined && existing !== conversation && !isOwnChannel(peer) && existing.peerToken !== undefined;
}

/** Holds the connection apart as "nick?" until its token comes. */
export function holdClaim(peer: Peer, conversation: Conversation, existing: Conversation, nick: string): void {
	peer.claim = {conversation: existing.id, nick};
	peer.tnc = true;
	peer.nick = `${nick}?`;
	conversation.tnc = true;
	conversation.nick = `${nick}?`;
}

/** Asks the instance, over UDP to where it listens, for its token: a restarted instance has a new one. */
export const tokenRequest = '@token-please';

/** A token came: kept when it is the instance's (and then it may prove claims held); otherwise it proves a claim. */
export function onToken(parts: InboundParts, peer: Peer, conversation: Conversation, token: string, endpoint: Endpoint | undefined): void {
	if (peer.claim === undefined) {
		if (isOwnChannel(peer)) {
			conversation.peerToken = token;
			for (const claimant of parts.claimants(conversation.id)) {
				if (claimant.claim?.presented === token) {
					prove(parts, claimant);
				}
			}
		}

		return;
	}

	peer.claim.presented = token;
	const claimed = parts.conversations.get(peer.claim.conversation);
	if (claimed?.peerToken === token) {
		prove(parts, peer);
	} else if (claimed?.endpoint) {
		// Not the token we know: the instance may have restarted (or this is someone else). Ask it, where it
		// listens; its answer over UDP proves the claim, or it stays apart as "nick?".
		parts.sendControl({kind: 'udp', endpoint: claimed.endpoint}, tokenRequest);
	}
}

/** The claim is proven: the connection joins the instance's conversation, and what waits may go on it. */
function prove(parts: InboundParts, peer: Peer): void {
	const claimed = parts.conversations.get(peer.claim?.conversation);
	const conversation = parts.conversations.get(peer.conversation);
	const nick = peer.claim?.nick ?? '';
	const endpoint = claimed?.endpoint;
	peer.claim = undefined;
	if (claimed === undefined || conversation === undefined || endpoint === undefined) {
		return;
	}

	peer.proven = true;
	peer.nick = nick;
	const into = parts.conversations.settle(conversation, endpoint);
	parts.merge(conversation, into);
	into.nick = nick;
	parts.history.relabelSpeaker(into.id, `${nick}?`, nick);
	parts.flush(peer, into);
	parts.changed();
}
