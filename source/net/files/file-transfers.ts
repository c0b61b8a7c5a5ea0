import {resolve} from 'node:path';
import {formatEndpoint} from '../../domain/endpoint.js';
import {isActive, type FileCommand, type TransferSummary} from '../../domain/files.js';
import type {ChatHistory} from '../history/history.js';
import {stateDirectory} from '../delivery/outbox-store.js';
import {conversationName, type ConversationBook} from '../session/conversations.js';
import type {Dest} from '../session/greetings.js';
import {controlRoutes, destOf, type Peer, type PeerBook} from '../session/peers.js';
import type {Targeting} from '../session/target.js';
import {formatTagged, type Tags} from '../wire/tags.js';
import type {FilesContext} from './context.js';
import {DataServer} from './data-server.js';
import {downloadsDirectory} from './downloads.js';
import {sanitizeFileName} from './names.js';
import {controlTags} from './offer-codec.js';
import {PeerLines} from './peer-lines.js';
import {PlainTransfers} from './plain-transfers.js';
import {restoreTransfers} from './restore-transfers.js';
import {ResumeStore} from './resume-store.js';
import {Receiving} from './receiving.js';
import {checkFile, newTransferId, offeredName, Sending} from './sending.js';
import {TransferBook} from './transfer-book.js';
import {isOver, transferLine} from './transfer.js';

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
	/** Our greeting, to a receiver of an offer from before our restart, or to a sender back from one. */
	readonly greet: (dest: Dest) => void;
};

const tickMs = 250;

/** Files between peers: /send, /accept, /reject, /cancel, /transfers, /receive; the offers' tags; progress for the snapshot. */
export class FileTransfers {
	private readonly book: TransferBook;
	private readonly context: FilesContext;
	private readonly sending: Sending;
	private readonly receiving: Receiving;
	private readonly lines: PeerLines;
	private readonly server: DataServer;
	private ticker: NodeJS.Timeout | undefined;
	private readonly plain: PlainTransfers;

	constructor(private readonly parts: FileParts) {
		this.server = new DataServer(parts.bind, parts.secret);
		let downloads: string | undefined;
		this.context = {
			say: (text, level, conversation) => parts.history.system(text, level, conversation),
			changed: () => this.changed(),
			tell: (conversation, tags, text) => this.tell(conversation, tags, text),
			greet: conversation => {
				const peer = this.peerOf(conversation);
				if (peer !== undefined) {
					parts.greet(destOf(peer));
				}
			},
			store: new ResumeStore(parts.stateDir === false ? undefined : (parts.stateDir ?? stateDirectory())),
			server: this.server,
			// Found at first use: without --downloads it reads ~/.config/user-dirs.dirs, which start-up need not wait for.
			get downloads() {
				downloads ??= downloadsDirectory(parts.downloads);
				return downloads;
			},
			secret: parts.secret,
			bind: parts.bind,
			now: Date.now,
		};
		this.sending = new Sending(this.context);
		this.receiving = new Receiving(this.context);

		// An offer left waiting too long goes; its sender hears no (and stops serving it).
		this.book = new TransferBook(this.context.say, transfer => {
			this.tell(transfer.conversation, controlTags({kind: 'reject', id: transfer.id}));
			this.context.say(`The offer of ${transfer.name} from ${transfer.peer} expired: it was not accepted in time.`, 'info', transfer.conversation);
			this.changed();
		});
		this.plain = new PlainTransfers(this.context, this.book);
		this.lines = new PeerLines({book: this.book, context: this.context, sending: this.sending, receiving: this.receiving, conversations: parts.conversations});
	}

	/** Transfers left from last time: partial files resume from the sender if it still serves; our offers go again when their peer greets. */
	start(): void {
		restoreTransfers(this.context.store.load(), {book: this.book, context: this.context, receiving: this.receiving, greet: this.parts.greet});
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
		return this.book.summaries(Date.now());
	}

	/** /send FILE [peer]: to a tui-netchat peer an offer; to a plain one, a port serving it once and the nc command. */
	send(given: string, conversationId: string | undefined): void {
		// Whole: the record offers it again after a restart, from wherever that starts.
		const path = resolve(given);
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
			void this.plain.send(path, name, checked.size, conversation.id, conversationName(conversation), conversation.endpoint?.host);
			return;
		}

		const transfer = this.book.add({id: newTransferId(), direction: 'send', state: 'hashing', name, conversation: conversation.id, peer: conversationName(conversation), size: checked.size, sha256: ''});
		this.changed();
		void this.sending.offer(transfer, path, formatEndpoint(conversation.endpoint));
	}

	/** /accept [N]: without N the latest offer (or the latest interrupted transfer). */
	accept(number: number | undefined): void {
		const transfer = this.book.pick(number, 'receive', ['offered', 'interrupted', 'failed'], '/accept');
		if (transfer?.state === 'offered') {
			this.receiving.accept(transfer);
		} else if (transfer) {
			this.receiving.retry(transfer);
		}
	}

	reject(number: number | undefined): void {
		const transfer = this.book.pick(number, 'receive', ['offered'], '/reject');
		if (transfer) {
			transfer.state = 'rejected';
			this.tell(transfer.conversation, controlTags({kind: 'reject', id: transfer.id}));
			this.context.say(`Rejected ${transfer.name} from ${transfer.peer}.`, 'info', transfer.conversation);
			this.changed();
		}
	}

	cancel(number: number): void {
		const transfer = this.book.all.find(candidate => candidate.number === number);
		if (transfer === undefined || isOver(transfer.state)) {
			this.context.say(`/cancel: there is no transfer ${number} running or waiting (/transfers lists them).`, 'error');
			return;
		}

		if (transfer.plain !== undefined) {
			// Its port closes; a partial file a plain sender left is kept.
			transfer.state = 'cancelled';
			transfer.plain.close?.();
		} else if (transfer.direction === 'send') {
			this.sending.stop(transfer);
			transfer.state = 'cancelled';
		} else {
			this.receiving.cancel(transfer);
		}

		if (transfer.plain === undefined) {
			this.tell(transfer.conversation, controlTags({kind: 'cancel', id: transfer.id}));
		}

		this.context.say(`Cancelled transfer ${number} (${transfer.name}).`, 'info', transfer.conversation);
		this.changed();
	}

	/** /transfers: one line each. */
	list(): void {
		if (this.book.all.length === 0) {
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
		return this.lines.onLine(peer, conversationId, tags);
	}

	/** A tui-netchat peer greeted: our offers from before a restart go again; transfers from it that broke resume. */
	greeted(peer: Peer, conversationId: string): void {
		this.lines.greeted(peer, conversationId);
	}

	close(): void {
		clearInterval(this.ticker);
		this.ticker = undefined;
		for (const transfer of this.book.all) {
			clearTimeout(transfer.retryTimer);
			transfer.abort?.abort();
		}

		this.server.close();
		this.plain.close();
	}

	/** The tui-netchat peer file lines for a conversation go to, if one is reachable. */
	private peerOf(conversationId: string | undefined): Peer | undefined {
		return conversationId === undefined ? undefined : controlRoutes(this.parts.peers.list()).get(conversationId);
	}

	private tell(conversationId: string | undefined, tags: Tags, text = ''): boolean {
		const peer = this.peerOf(conversationId);
		if (peer === undefined) {
			return false;
		}

		this.parts.send(destOf(peer), formatTagged({tags, text}));
		return true;
	}

	/** A new snapshot now, and a few a second while bytes move. */
	private changed(): void {
		this.parts.history.changed();
		const moving = this.book.all.some(transfer => isActive(transfer.state));
		if (moving && this.ticker === undefined) {
			this.ticker = setInterval(() => this.changed(), tickMs);
			this.ticker.unref();
		} else if (!moving && this.ticker !== undefined) {
			clearInterval(this.ticker);
			this.ticker = undefined;
		}
	}
}
