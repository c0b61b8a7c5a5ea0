import {formatEndpoint, type Endpoint} from '../../domain/endpoint.js';
import type {ChatHistory} from '../history/history.js';
import {explainError} from '../transport/errors.js';
import {TcpLink} from '../transport/tcp-link.js';
import type {TcpConnection, TcpTransport} from '../transport/tcp-transport.js';

const maxRetryDelayMs = 30_000;

export type LinksParts = {
	readonly tcp: TcpTransport;
	readonly history: ChatHistory;
	readonly retryBaseMs: number;
	/** Asked before each redial: a link nobody needs any more stops trying. */
	readonly wanted: (conversation: string) => boolean;
	readonly connected: (conversation: string, connection: TcpConnection) => void;
	readonly changed: () => void;
	/** No status bar (pipe mode, --send): a failed dial says when it tries again instead. */
	readonly headless?: boolean;
};

/** Our outgoing TCP connections, one per conversation we dial, each redialled with backoff when it drops. */
export class Links {
	private readonly links = new Map<string, TcpLink>();
	private countdown: NodeJS.Timeout | undefined;

	constructor(private readonly parts: LinksParts) {}

	get(conversation: string | undefined): TcpLink | undefined {
		return conversation === undefined ? undefined : this.links.get(conversation);
	}

	/** The link to a conversation's endpoint, made when there is none (or it pointed elsewhere). */
	to(conversation: string, endpoint: Endpoint): TcpLink {
		const known = this.links.get(conversation);
		if (known && known.label === formatEndpoint(endpoint)) {
			return known;
		}

		known?.stop();
		const link: TcpLink = new TcpLink(endpoint, this.parts.tcp, {
			baseDelayMs: this.parts.retryBaseMs,
			maxDelayMs: maxRetryDelayMs,
			wanted: (): boolean => {
				const id = this.idOf(link);
				return id !== undefined && this.parts.wanted(id);
			},
		});
		let lastFailure: string | undefined;
		link.on('connected', connection => {
			lastFailure = undefined;
			const id = this.idOf(link) ?? conversation;
			this.parts.history.system(`TCP: connected to ${link.label}.`, 'info', id);
			this.parts.connected(id, connection);
		});
		link.on('failed', error => {
			// Once per kind of failure: the status bar shows the retries.
			const failure = explainError(error);
			if (failure !== lastFailure) {
				lastFailure = failure;
				this.parts.history.system(`TCP to ${link.label}: ${failure}${this.retrying(link)}.`, 'error', this.idOf(link) ?? conversation);
			}
		});
		link.on('state', () => {
			this.tick();
			this.parts.changed();
		});
		this.links.set(conversation, link);
		return link;
	}

	/** Two conversations became one: the link of the one that goes is the other's now (unless it has one). */
	rekey(from: string, into: string): void {
		const link = this.links.get(from);
		this.links.delete(from);
		if (link && !this.links.has(into)) {
			this.links.set(into, link);
		} else {
			link?.stop();
		}
	}

	/** The conversation whose link this connection is. */
	ofConnection(connectionId: number): string | undefined {
		for (const [conversation, link] of this.links) {
			if (link.connection?.id === connectionId) {
				return conversation;
			}
		}

		return undefined;
	}

	stop(conversation: string): void {
		this.links.get(conversation)?.stop();
		this.links.delete(conversation);
		this.tick();
	}

	/** Someone on this host connected to us: a link waiting to redial it may well find it back now. */
	hostIsBack(host: string): void {
		for (const link of this.links.values()) {
			if (link.state === 'retrying' && link.endpoint.host === host) {
				link.connect();
			}
		}
	}

	/** A link is dialling or up: the pipe mode waits for it before it exits. */
	busy(): boolean {
		return [...this.links.values()].some(link => link.state === 'connecting' || link.state === 'connected');
	}

	close(): void {
		for (const link of this.links.values()) {
			link.stop();
		}

		this.links.clear();
		this.tick();
	}

	/** "; retrying (the status bar counts down)", or in words when there is no status bar to count. */
	private retrying(link: TcpLink): string {
		if (link.retryAt === undefined) {
			return '';
		}

		return this.parts.headless ? `; retrying in ${Math.max(1, Math.round((link.retryAt - Date.now()) / 1000))}s` : '; retrying (the status bar counts down)';
	}

	private idOf(link: TcpLink): string | undefined {
		for (const [id, known] of this.links) {
			if (known === link) {
				return id;
			}
		}

		return undefined;
	}

	/** The status bar's retry countdown moves once a second, and only while there is a retry to count. */
	private tick(): void {
		const retrying = [...this.links.values()].some(link => link.state === 'retrying');
		if (retrying && this.countdown === undefined) {
			this.countdown = setInterval(() => {
				this.parts.changed();
			}, 1000);
		} else if (!retrying && this.countdown !== undefined) {
			clearInterval(this.countdown);
			this.countdown = undefined;
		}
	}
}
