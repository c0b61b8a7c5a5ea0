import {formatEndpoint} from '../../domain/endpoint.js';
import {isActive, type FileCommand, type TransferSummary} from '../../domain/files.js';
import type {ChatHistory} from '../history/history.js';
import {stateDirectory} from '../delivery/outbox-store.js';
import {conversationName, type ConversationBook} from '../session/conversations.js';
import type {Dest} from '../session/greetings.js';
import {controlRoutes, destOf, peerName, type Peer, type PeerBook} from '../session/peers.js';
import type {Targeting} from '../session/target.js';
import {formatTagged, type Tags} from '../wire/tags.js';
import type {FilesContext} from './context.js';
import {DataServer} from './data-server.js';
import {downloadsDirectory} from './downloads.js';
import {isFileLine, readControl, readOffer, type FileOffer} from './offer-codec.js';
import {sanitizeFileName} from './names.js';
import {ResumeStore, type OutgoingRecord} from './resume-store.js';
import {Receiving} from './receiving.js';
import {checkFile, newTransferId, offeredName, Sending} from './sending.js';
import {describe, isOver, newTransfer, summarise, transferLine, type Transfer} from './transfer.js';
import {PlainTransfers} from './plain-transfers.js';

export type FileParts = {
	readonly history: Pick<ChatHistory, 'system' | 'changed'>;
	readonly conversations: ConversationBook;
	readonly peers: PeerBook;
	readonly targeting: Targeting;
	readonly send: (dest: Dest, line: string) => void;
	readonly stateDir: string | false | undefined;
	readonly downloads: string | undefined;
	readonly bind: string | undefined;
	readonly secret: string | undefined;
	/** A peer named by number, nick or address (as /query takes it): its conversation. */
	readonly lookup: (selector: string) => string | undefined;
};

/** Offers not yet accepted, per peer and in all; an offer not accepted within this long is forgotten. */
const maxPendingPerPeer = 4;
const maxPending = 16;
const offerLifetimeMs = 30 * 60_000;
/** Transfers that are over, still listed by /transfers. */
const keptFinished = 50;
const tickMs = 250;

/** Files between peers: /send, /accept, /reject, /cancel, /transfers, /receive; the offers' tags; progress for the snapshot. */
export class FileTransfers {
	private readonly transfers: Transfer[] = [];
	private readonly context: FilesContext;
	private readonly sending: Sending;
	private readonly receiving: Receiving;
	private readonly server: DataServer;
	private next = 1;
	private ticker: NodeJS.Timeout | undefined;
	private readonly plain: PlainTransfers;

	constructor(private readonly parts: FileParts) {
		this.server = new DataServer(parts.bind, parts.secret);
		this.context = {
			say: (text, level, conversation) => parts.history.system(text, level, conversation),
			changed: () => this.changed(),
			tell: (conversation, tags, text) => this.tell(conversation, tags, text),
			store: new ResumeStore(parts.stateDir === false ? undefined : (parts.stateDir ?? stateDirectory())),
			server: this.server,
			downloads: downloadsDirectory(parts.downloads),
			secret: parts.secret,
			bind: parts.bind,
			now: Date.now,
		};
		this.sending = new Sending(this.context);
		this.receiving = new Receiving(this.context);
		this.plain = new PlainTransfers(this.context);
	}

	/** Transfers left from last time: partial files resume from the sender if it still serves; our offers go again when their peer greets. */
	start(): void {
		const {records, problems} = this.context.store.load();
		for (const problem of problems) {
			this.context.say(problem, 'error');
		}

		for (const record of records) {
			const transfer = this.add({id: record.id, direction: record.kind === 'in' ? 'receive' : 'send', state: 'interrupted', name: record.name, conversation: undefined, peer: record.peer, size: record.size, sha256: record.sha256});
			if (record.kind === 'in') {
				this.receiving.restored(transfer, record);
				this.context.say(`Resuming ${record.name} from ${record.peer} (transfer ${transfer.number}).`);
				this.receiving.resume(transfer);
			} else {
				transfer.record = record;
			}
		}
	}

	run(command: FileCommand): void {
		switch (command.type) {
			case 'send': {
				const chosen = command.peer === undefined ? command.conversation : this.parts.lookup(command.peer);
				if (command.peer !== undefined && chosen === undefined) {
					this.context.say(`/send: no peer ${command.peer} (/peers lists them).`, 'error', command.conversation);
				} else {
					this.send(command.path, chosen);
				}

				break;
			}

			case 'accept': {
				this.accept(command.number);
				break;
			}

			case 'reject': {
				this.reject(command.number);
				break;
			}

			case 'cancel': {
				this.cancel(command.number);
				break;
			}

			case 'transfers': {
				this.list();
				break;
			}

			case 'receive': {
				this.receive(command.name, command.conversation);
				break;
			}
		}
	}

	summaries(): TransferSummary[] | undefined {
		const now = Date.now();
		return this.transfers.length === 0 ? undefined : this.transfers.map(transfer => summarise(transfer, now));
	}

	/** /send FILE [peer]: to a tui-netchat peer an offer; to a plain one, a port serving it once and the nc command. */
	send(path: string, conversationId: string | undefined): void {
		const conversation = this.parts.conversations.get(conversationId ?? this.parts.targeting.current()?.conversation);
		if (conversation === undefined) {
			this.context.say('/send: nobody to send to yet: /connect HOST:PORT first, or name a peer (/send FILE N|NICK).', 'error');
			return;
		}

		const checked = checkFile(path);
		if ('problem' in checked) {
			this.context.say(checked.problem, 'error', conversation.id);
			return;
		}

		if (conversation.kind === 'room') {
			this.context.say('/send is direct only: in a room, /send FILE NICK to one of its tui-netchat members.', 'error', conversation.id);
			return;
		}

		const name = offeredName(path);
		if (!conversation.tnc || conversation.endpoint === undefined) {
			void this.plain.send(path, name, conversation.id, conversation.endpoint?.host);
			return;
		}

		const transfer = this.add({id: newTransferId(), direction: 'send', state: 'hashing', name, conversation: conversation.id, peer: conversationName(conversation), size: checked.size, sha256: ''});
		this.changed();
		void this.sending.offer(transfer, path, formatEndpoint(conversation.endpoint));
	}

	/** /accept [N]: without N the latest offer (or the latest interrupted transfer). */
	accept(number: number | undefined): void {
		const transfer = this.pick(number, 'receive', ['offered', 'interrupted', 'failed'], '/accept');
		if (transfer) {
			this.receiving.accept(transfer);
		}
	}

	reject(number: number | undefined): void {
		const transfer = this.pick(number, 'receive', ['offered'], '/reject');
		if (transfer) {
			transfer.state = 'rejected';
			this.tell(transfer.conversation, {'file-reject': transfer.id});
			this.context.say(`Rejected ${transfer.name} from ${transfer.peer}.`, 'info', transfer.conversation);
			this.changed();
		}
	}

	cancel(number: number): void {
		const transfer = this.transfers.find(candidate => candidate.number === number);
		if (transfer === undefined || isOver(transfer.state)) {
			this.context.say(`/cancel: there is no transfer ${number} running or waiting (/transfers lists them).`, 'error');
			return;
		}

		if (transfer.direction === 'send') {
			this.sending.stop(transfer);
			transfer.state = 'cancelled';
		} else {
			this.receiving.cancel(transfer);
		}

		this.tell(transfer.conversation, {'file-cancel': transfer.id});
		this.context.say(`Cancelled transfer ${number} (${transfer.name}).`, 'info', transfer.conversation);
		this.changed();
	}

	/** /transfers: one line each. */
	list(): void {
		if (this.transfers.length === 0) {
			this.context.say('No transfers yet: /send FILE offers one.');
			return;
		}

		this.context.say('Transfers (/accept N, /reject N, /cancel N):');
		for (const summary of this.summaries() ?? []) {
			this.context.say(`  ${transferLine(summary)}`);
		}
	}

	/** /receive [name]: a port for one plain sender (`nc HOST PORT < file`); what arrives until EOF is saved. */
	receive(name: string | undefined, conversationId: string | undefined): void {
		void this.plain.receive(sanitizeFileName(name ?? 'received'), conversationId);
	}

	/** A line's file tags, from a tui-netchat peer; true when it was about files (nothing else to show). */
	onLine(peer: Peer, conversationId: string, tags: Tags): boolean {
		if (!isFileLine(tags)) {
			return false;
		}

		const offer = readOffer(tags);
		if (offer) {
			this.offered(offer, peer, conversationId);
			return true;
		}

		const control = readControl(tags);
		const transfer = control && this.transfers.find(candidate => candidate.id === control.id && candidate.conversation === conversationId);
		// A receiver's verdict comes after the last byte went, when the transfer is over for us.
		if (!control || !transfer || (isOver(transfer.state) && !(transfer.state === 'done' && (control.kind === 'done' || control.kind === 'bad')))) {
			return true;
		}

		if (transfer.direction === 'send' && control.kind !== 'bad' && control.kind !== 'done') {
			this.sending.stop(transfer);
			transfer.state = control.kind === 'reject' ? 'rejected' : 'cancelled';
			this.context.say(`${transfer.peer} ${control.kind === 'reject' ? 'rejected' : 'cancelled'} ${transfer.name}.`, 'info', conversationId);
		} else if (transfer.direction === 'send') {
			this.context.say(control.kind === 'done' ? `${transfer.peer} has ${transfer.name}: SHA-256 matches.` : `${transfer.peer}'s copy of ${transfer.name} did not match its SHA-256.`, control.kind === 'done' ? 'info' : 'error', conversationId);
		} else if (control.kind === 'cancel') {
			this.receiving.cancel(transfer);
			this.context.say(`${transfer.peer} cancelled ${transfer.name}.`, 'info', conversationId);
		}

		this.changed();
		return true;
	}

	/** A tui-netchat peer greeted: our offers from before a restart go again; transfers from it that broke resume. */
	greeted(peer: Peer, conversationId: string): void {
		const conversation = this.parts.conversations.get(conversationId);
		const endpoint = conversation?.endpoint ? formatEndpoint(conversation.endpoint) : undefined;
		for (const transfer of this.transfers) {
			const record = transfer.record;
			if (transfer.direction === 'send' && record?.kind === 'out' && record.endpoint === endpoint && (transfer.conversation === undefined || transfer.state === 'interrupted')) {
				transfer.conversation = conversationId;
				void this.sending.serve(transfer, record as OutgoingRecord, false);
			} else if (transfer.direction === 'receive' && transfer.source?.host === peer.host && transfer.state === 'interrupted') {
				transfer.conversation ??= conversationId;
				this.receiving.resume(transfer);
			}
		}
	}

	close(): void {
		clearInterval(this.ticker);
		this.ticker = undefined;
		for (const transfer of this.transfers) {
			clearTimeout(transfer.retryTimer);
			transfer.abort?.abort();
		}

		this.server.close();
		this.plain.close();
	}

	private offered(offer: FileOffer, peer: Peer, conversationId: string): void {
		const known = this.transfers.find(candidate => candidate.id === offer.id && candidate.direction === 'receive');
		const source = {host: peer.host, port: offer.port, token: offer.token};
		if (known) {
			if (known.size === offer.size && known.sha256 === offer.sha256 && !isOver(known.state)) {
				// The sender restarted (a new port) or offers again: a partial we hold resumes.
				known.source = source;
				known.conversation = conversationId;
				this.receiving.resume(known);
			}

			return;
		}

		this.forgetExpired();
		const pending = this.transfers.filter(transfer => transfer.direction === 'receive' && transfer.state === 'offered');
		const name = peerName(peer);
		if (pending.length >= maxPending || pending.filter(transfer => transfer.conversation === conversationId).length >= maxPendingPerPeer) {
			this.context.say(`${name} offers ${sanitizeFileName(offer.name)}, but too many offers are waiting: /accept or /reject some first.`, 'error', conversationId);
			return;
		}

		const transfer = this.add({id: offer.id, direction: 'receive', state: 'offered', name: sanitizeFileName(offer.name), conversation: conversationId, peer: name, size: offer.size, sha256: offer.sha256});
		transfer.source = source;
		transfer.expires = Date.now() + offerLifetimeMs;
		this.context.say(`${name} offers ${describe(transfer.name, offer.size, offer.sha256)} — /accept ${transfer.number} or /reject ${transfer.number}`, 'info', conversationId);
		this.changed();
	}

	private forgetExpired(): void {
		const now = Date.now();
		for (const transfer of this.transfers) {
			if (transfer.state === 'offered' && transfer.expires !== undefined && transfer.expires < now) {
				transfer.state = 'cancelled';
			}
		}
	}

	private pick(number: number | undefined, direction: Transfer['direction'], states: ReadonlyArray<Transfer['state']>, command: string): Transfer | undefined {
		this.forgetExpired();
		const candidates = this.transfers.filter(transfer => transfer.direction === direction && states.includes(transfer.state));
		const transfer = number === undefined ? candidates.at(-1) : candidates.find(candidate => candidate.number === number);
		if (transfer === undefined) {
			this.context.say(number === undefined ? `${command}: no offer is waiting (/transfers lists them).` : `${command}: transfer ${number} is not waiting for that (/transfers lists them).`, 'error');
		}

		return transfer;
	}

	private add(fields: Omit<Parameters<typeof newTransfer>[0], 'number'>): Transfer {
		const transfer = newTransfer({...fields, number: this.next++});
		this.transfers.push(transfer);
		const over = this.transfers.filter(candidate => isOver(candidate.state));
		for (const old of over.slice(0, Math.max(0, over.length - keptFinished))) {
			this.transfers.splice(this.transfers.indexOf(old), 1);
		}

		return transfer;
	}

	private tell(conversationId: string | undefined, tags: Tags, text = ''): boolean {
		const peer = conversationId === undefined ? undefined : controlRoutes(this.parts.peers.list()).get(conversationId);
		if (peer === undefined) {
			return false;
		}

		this.parts.send(destOf(peer), formatTagged({tags, text}));
		return true;
	}

	/** A new snapshot now, and a few a second while bytes move. */
	private changed(): void {
		this.parts.history.changed();
		const moving = this.transfers.some(transfer => isActive(transfer.state));
		if (moving && this.ticker === undefined) {
			this.ticker = setInterval(() => this.changed(), tickMs);
			this.ticker.unref();
		} else if (!moving && this.ticker !== undefined) {
			clearInterval(this.ticker);
			this.ticker = undefined;
		}
	}
}
