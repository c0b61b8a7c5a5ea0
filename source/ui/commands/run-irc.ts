import type {ChatActions} from '../../domain/actions.js';
import type {ConversationSummary} from '../../domain/conversation.js';
import type {Command} from './parse.js';

/** What an IRC command may do to the UI: open a buffer, toggle the nick list, leave. */
export type IrcUi = {
	readonly open: (id: string) => void;
	readonly toggleNicklist: () => void;
	/** Leaves (unless the quit is held, with messages undelivered); `before` runs first when it does. */
	readonly quit: (before?: () => void) => void;
};

/**
 * Runs a command that means IRC here: the IRC commands anywhere, and /msg, /query, /nick in an IRC buffer.
 * False when the command is not an IRC one in this buffer (the caller runs it as before).
 */
export function runIrcCommand(command: Command, here: ConversationSummary | undefined, actions: ChatActions, ui: IrcUi): boolean {
	const conversation = here?.id;
	const inIrc = here?.network !== undefined;
	const open = (id: string | undefined) => {
		if (id !== undefined) {
			ui.open(id);
		}
	};

	switch (command.type) {
		case 'server': {
			open(actions.irc({type: 'server', server: command.server}));
			return true;
		}

		case 'join': {
			open(actions.irc({type: 'join', conversation, channel: command.channel, ...(command.key === undefined ? {} : {key: command.key})}));
			return true;
		}

		case 'part':
		case 'topic':
		case 'disconnect':
		case 'quote': {
			actions.irc({...command, conversation});
			return true;
		}

		case 'away': {
			if (inIrc) {
				actions.irc({type: 'quote', conversation, line: command.text === undefined ? 'AWAY' : `AWAY :${command.text}`});
			} else {
				actions.away?.(command.text);
			}

			return true;
		}

		case 'names': {
			actions.irc({type: 'names', conversation});
			return true;
		}

		case 'nicklist': {
			ui.toggleNicklist();
			return true;
		}

		case 'quit': {
			// Once the quit is confirmed: IRC and tui-netchat peers hear the reason (leaving waits a moment at most for it).
			ui.quit(() => {
				actions.irc(command.reason === undefined ? {type: 'quit'} : {type: 'quit', reason: command.reason});
				void actions.quit?.(command.reason);
			});
			return true;
		}

		case 'query': {
			if (inIrc) {
				open(actions.irc({type: 'query', conversation, nick: command.selector}));
			}

			return inIrc;
		}

		case 'msg': {
			if (inIrc) {
				actions.irc({type: 'msg', conversation, target: command.selector, text: command.text});
			}

			return inIrc;
		}

		case 'nick': {
			if (inIrc) {
				actions.irc({type: 'nick', conversation, nick: command.nick});
			}

			return inIrc;
		}

		default: {
			return false;
		}
	}
}
