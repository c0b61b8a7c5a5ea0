import {mkdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs';
import {homedir} from 'node:os';
import {join} from 'node:path';
import type {Protocol} from '../../domain/endpoint.js';

export type StoredMessage = {
	readonly msgid: string;
	readonly text: string;
	readonly action: boolean;
	readonly createdAt: number;
	readonly protocol: Protocol;
	readonly endpoint: string;
};

export type StoredOutbox = {
	readonly messages: readonly StoredMessage[];
	/** Endpoints known to be tui-netchat peers: they get our greeting first, then tagged lines. */
	readonly knownPeers: readonly string[];
};

/** $XDG_STATE_HOME/tui-netchat (default ~/.local/state/tui-netchat), or $TUI_NETCHAT_STATE_DIR. */
export function stateDirectory(env: NodeJS.ProcessEnv = process.env): string {
	if (env['TUI_NETCHAT_STATE_DIR']) {
		return env['TUI_NETCHAT_STATE_DIR'];
	}

	const base = env['XDG_STATE_HOME'] && env['XDG_STATE_HOME'].startsWith('/') ? env['XDG_STATE_HOME'] : join(homedir(), '.local', 'state');
	return join(base, 'tui-netchat');
}

/** One outbox per nick and peer, so the same command line after a restart finds its messages. */
export function outboxPath(directory: string, nick: string, peer: string | undefined): string {
	const safe = (text: string) => text.replace(/[^\w.-]+/g, '_');
	return join(directory, `outbox-${safe(nick)}-${safe(peer ?? 'any')}.json`);
}

function isStoredMessage(value: unknown): value is StoredMessage {
	const message = value as Partial<StoredMessage> | undefined;
	return (
		typeof message?.msgid === 'string' &&
		typeof message.text === 'string' &&
		typeof message.action === 'boolean' &&
		typeof message.createdAt === 'number' &&
		(message.protocol === 'udp' || message.protocol === 'tcp') &&
		typeof message.endpoint === 'string'
	);
}

/** A missing or damaged file is an empty outbox, never an error. */
export function loadOutbox(path: string): StoredOutbox {
	try {
		const data = JSON.parse(readFileSync(path, 'utf8')) as {messages?: unknown; knownPeers?: unknown};
		const messages = Array.isArray(data.messages) ? data.messages.filter(message => isStoredMessage(message)) : [];
		const knownPeers = Array.isArray(data.knownPeers) ? data.knownPeers.filter((peer): peer is string => typeof peer === 'string') : [];
		return {messages, knownPeers};
	} catch {
		return {messages: [], knownPeers: []};
	}
}

/** Written to a temporary file and renamed, so a crash mid-write leaves the old outbox whole. */
export function saveOutbox(path: string, outbox: StoredOutbox): void {
	mkdirSync(join(path, '..'), {recursive: true, mode: 0o700});
	const temporary = `${path}.${process.pid}.tmp`;
	writeFileSync(temporary, JSON.stringify(outbox), {mode: 0o600});
	renameSync(temporary, path);
}

/** Debounce for saving: a burst of changes (a paste, a run of acknowledgements) is one write. */
const saveDelayMs = 200;

/**
 * The outbox file of one chat: loaded at start, saved shortly after each change and at once on close.
 * A file that cannot be written is reported once and then left alone.
 */
export class OutboxFile {
	private timer: NodeJS.Timeout | undefined;
	private path: string | undefined;

	constructor(
		path: string,
		private readonly contents: () => StoredOutbox,
		private readonly onError: (error: unknown, path: string) => void,
	) {
		this.path = path;
	}

	load(): StoredOutbox {
		return this.path === undefined ? {messages: [], knownPeers: []} : loadOutbox(this.path);
	}

	changed(): void {
		if (this.path === undefined || this.timer) {
			return;
		}

		this.timer = setTimeout(() => {
			this.timer = undefined;
			this.saveNow();
		}, saveDelayMs);
	}

	saveNow(): void {
		if (this.path === undefined) {
			return;
		}

		try {
			saveOutbox(this.path, this.contents());
		} catch (error) {
			const {path} = this;
			this.path = undefined;
			this.onError(error, path);
		}
	}

	close(): void {
		if (this.timer) {
			clearTimeout(this.timer);
			this.timer = undefined;
		}

		this.saveNow();
		this.path = undefined;
	}
}
