import {formatEndpoint, type Endpoint, type Protocol} from '../../domain/endpoint.js';
import {conversationLabel} from '../../domain/conversation.js';
import type {PeerSummary} from '../../domain/snapshot.js';
import type {Outbound} from '../delivery/outbound.js';
import type {LanDiscovery} from '../discovery/lan.js';
import type {ChatHistory} from '../history/history.js';
import {sanitize} from '../wire/sanitize.js';
import {conversationName, type Conversation, type ConversationBook} from './conversations.js';
import type {Greetings} from './greetings.js';
import {destOf} from './inbound.js';
import type {PeerBook} from './peers.js';
import {protocolOf} from './router.js';
import type {Targeting} from './target.js';

/** What the user chose and can change while the program runs. */
export type Settings = {protocol: Protocol; nick: string; localPort: number};

export type ControlParts = {
	readonly settings: Settings;
	readonly conversations: ConversationBook;
	readonly peers: PeerBook;
	readonly targeting: Targeting;
	readonly history: ChatHistory;
	readonly outbound: Outbound;
	readonly greetings: Greetings;
	readonly peerSummaries: () => readonly PeerSummary[];
	/** Discovery, when it runs: its peers are listed and picked here. */
	readonly lan: () => LanDiscovery | undefined;
	/** A peer named in the config file. */
	readonly named: (name: string) => Endpoint | undefined;
};

const upper = (protocol: Protocol) => protocol.toUpperCase();

/** The user's choices: protocol (for everyone, or one conversation), nick, and who the merged view talks to. */
export class Controls {
	constructor(private readonly parts: ControlParts) {}

	toggleProtocol(id?: string): void {
		const conversation = this.parts.conversations.get(id ?? this.parts.targeting.current()?.conversation);
		this.setProtocol(protocolOf(conversation, this.parts.settings.protocol) === 'udp' ? 'tcp' : 'udp', id);
	}

	setProtocol(protocol: Protocol, id?: string): void {
		const {settings, conversations, targeting, history, outbound} = this.parts;
		if (id !== undefined) {
			const conversation = conversations.get(id);
			if (conversation?.kind === 'room') {
				history.system(`Room ${conversation.address} is TCP only: everyone there is on the relay's connection.`, 'info', id);
			} else if (conversation) {
				conversation.protocol = protocol;
				history.system(`Protocol for ${conversationName(conversation)} is now ${upper(protocol)}.`, 'info', id);
				outbound.prepare(conversation);
			}

			history.changed();
			return;
		}

		const target = conversations.get(targeting.current()?.conversation);
		if (target?.kind === 'room') {
			history.system(`Room ${target.address} is TCP only: everyone there is on the relay's connection. /query someone else first to switch.`);
			return;
		}

		if (protocol === protocolOf(target, settings.protocol)) {
			history.system(`Protocol is already ${upper(protocol)}.`);
			return;
		}

		settings.protocol = protocol;
		if (target) {
			target.protocol = undefined;
		}

		history.system(`Protocol is now ${upper(protocol)}.`);
		outbound.prepare(target);
		history.changed();
	}

	setNick(nick: string): void {
		const old = this.parts.settings.nick;
		this.parts.settings.nick = nick;
		this.parts.history.system(`You are now known as ${nick} (was ${old}).`);
		this.parts.greetings.renamed(this.parts.peers.list().filter(peer => peer.tnc && peer.room === undefined).map(peer => destOf(peer)));
		this.parts.history.changed();
	}

	/** /connect: messages go to this endpoint from now on. */
	connectTo(endpoint: Endpoint): void {
		const conversation = this.parts.conversations.forEndpoint(endpoint);
		const previous = this.parts.conversations.get(this.parts.targeting.current()?.conversation);
		this.choose(conversation);
		if (previous && previous !== conversation) {
			// The chat moves: the connection we dialled for the old target is closed.
			this.parts.outbound.hangUp(previous);
		}

		const protocol = protocolOf(conversation, this.parts.settings.protocol);
		this.parts.history.system(`Messages now go to ${formatEndpoint(endpoint)} over ${upper(protocol)}.`);
		this.parts.outbound.prepare(conversation);
		this.parts.history.changed();
	}

	/** /query: messages go to a known conversation, chosen by number, nick or address. */
	query(selector: string): boolean {
		const conversation = this.find(selector);
		if (conversation === undefined) {
			return false;
		}

		this.choose(conversation);
		this.parts.history.system(`Messages now go to ${conversationLabel({...conversation, name: conversationName(conversation)})}.`);
		this.parts.history.changed();
		return true;
	}

	lookup(selector: string): string | undefined {
		const endpoint = this.parts.named(selector.trim());
		return (this.parts.conversations.find(selector) ?? (endpoint ? this.parts.conversations.at(endpoint) : undefined))?.id;
	}

	/** /msg: one message to someone, without changing who the merged view talks to. */
	message(selector: string, text: string): string | undefined {
		const conversation = this.find(selector);
		if (conversation) {
			this.parts.outbound.send(text, {conversation: conversation.id});
		}

		return conversation?.id;
	}

	showPeers(): void {
		const {history} = this.parts;
		const peers = this.parts.peerSummaries();
		const lan = this.parts.lan()?.lines() ?? [];
		if (peers.length === 0 && (this.parts.lan()?.count ?? 0) === 0) {
			history.system(`No peers yet. Someone who writes to you, or a --peer you write to, shows up here.${lan.length > 0 ? '' : ' LAN discovery is off.'}`);
		}

		const now = Date.now();
		if (peers.length > 0) {
			history.system(`${peers.length} ${peers.length === 1 ? 'peer' : 'peers'} (/query N chooses who gets your messages):`);
		}

		for (const peer of peers) {
			const ago = Math.round((now - peer.lastHeard) / 1000);
			const conversation = this.parts.conversations.find(String(peer.number));
			const kind = conversation?.kind === 'room' ? `room of ${Math.max(conversation.members.size, 1)}` : peer.tnc ? 'tui-netchat' : 'plain';
			const name = peer.name === peer.address ? peer.address : `${peer.name} ${peer.address}`;
			history.system(`  ${peer.number}. ${name} ${peer.transport} ${kind}, last heard ${ago}s ago`);
		}

		for (const line of lan) {
			history.system(line);
		}
	}

	/** A known conversation, or else a LAN peer, which picking makes one. */
	private find(selector: string): Conversation | undefined {
		const endpoint = this.parts.named(selector.trim());
		const conversation = this.parts.conversations.find(selector) ?? (endpoint ? this.parts.conversations.forEndpoint(endpoint) : this.parts.lan()?.pick(selector));
		if (conversation === undefined) {
			this.parts.history.system(`No peer "${sanitize(selector)}": /peers lists who is known.`, 'error');
		}

		return conversation;
	}

	private choose(conversation: Conversation): void {
		const {targeting, conversations, outbound} = this.parts;
		outbound.abandonUnanswered(conversations.get(targeting.current()?.conversation), conversation);
		targeting.choose(conversation.id, 'chosen');
	}
}
