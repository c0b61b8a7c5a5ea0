import type {Tags} from '../wire/tags.js';
import type {DataServer} from './data-server.js';
import type {ResumeStore} from './resume-store.js';

/** What the sending and receiving sides need from the chat around them. */
export type FilesContext = {
	/** A line in the conversation's buffer (and the merged view). */
	readonly say: (text: string, level?: 'info' | 'error', conversation?: string) => void;
	/** The snapshot is due again (a state changed). */
	readonly changed: () => void;
	/** A file line to the conversation's tui-netchat peer; false when none is reachable. */
	readonly tell: (conversation: string | undefined, tags: Tags, text?: string) => boolean;
	/** Our greeting to the conversation's tui-netchat peer, within the limit of greetings that answer someone. */
	readonly greet: (conversation: string | undefined) => void;
	readonly store: ResumeStore;
	readonly server: DataServer;
	readonly downloads: string;
	readonly secret: string | undefined;
	readonly bind: string | undefined;
	readonly now: () => number;
};
