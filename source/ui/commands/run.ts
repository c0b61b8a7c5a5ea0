import type {ChatActions} from '../../domain/actions.js';
import type {ConversationSummary} from '../../domain/conversation.js';
import type {Protocol} from '../../domain/endpoint.js';
import type {BellMode, DisplayOptions} from '../display-options.js';
import {live} from '../pane/scrollback.js';
import {currentBuffer, currentConversation, currentIndex, type BufferAction, type BufferEntry, type BufferList} from '../buffers/buffer-list.js';
import {keyHelp} from '../keys/bindings.js';
import {commandHelp, parseInput} from './parse.js';
import {runIrcCommand} from './run-irc.js';
import {runFileCommand} from './run-files.js';
import type {InspectCommand} from './parse-inspect.js';

export type {ChatActions} from '../../domain/actions.js';

/** What a command may do to the UI itself: read and change the buffers, leave. */
export type InputUi = {
	/** Read when the line runs, so keys earlier in the same chunk (a buffer switch) count. */
	readonly buffers: () => BufferList;
	readonly dispatch: (action: BufferAction) => void;
	/** Leaves (unless the quit is held, with messages undelivered); `before` runs first when it does. */
	readonly quit: (before?: () => void) => void;
	readonly toggleNicklist: () => void;
	/** The display options now: /bell and /notify read and change them while the chat runs. */
	readonly display: () => DisplayOptions;
	readonly setDisplay: (change: Partial<DisplayOptions>) => void;
	/** /inspect: the packet inspector opens, filters or closes. */
	readonly inspect?: (command: InspectCommand) => void;
	/** Your nick and the merged view's protocol, as of the latest snapshot. */
	readonly status: () => {readonly nick: string; readonly protocol: Protocol; readonly encoding?: string};
};

const bellWords: Record<BellMode, string> = {
	off: 'off: it never rings (/bell mention or /bell all turns it on).',
	mention: 'mention: it rings when someone writes your nick, or in a private query (/bell off|mention|all).',
	all: 'all: it rings for every message that arrives out of sight (/bell off|mention|all).',
};

function protocolLine(here: ConversationSummary | undefined, protocol: Protocol): string {
	if (here?.network) {
		return `This buffer is on IRC (${here.network.name}); /proto switches UDP and TCP conversations.`;
	}

	if (here?.kind === 'room') {
		return 'TCP: a room is TCP only.';
	}

	const other = protocol === 'udp' ? 'tcp' : 'udp';
	const where = here === undefined ? 'in the merged view' : `with ${here.name}`;
	return `${protocol.toUpperCase()} ${where} (/proto ${other} or Ctrl+T switches).`;
}

function helpLines(): string[] {
	const width = Math.max(...[...commandHelp, ...keyHelp].map(([name]) => name.length));
	return [
		'Commands:',
		...commandHelp.map(([name, what]) => `  ${name.padEnd(width)}  ${what}`),
		'Keys:',
		...keyHelp.map(([name, what]) => `  ${name.padEnd(width)}  ${what}`),
	];
}

const activityWords: Record<BufferEntry['activity'], string> = {none: '', message: ' (new messages)', mention: ' (you were mentioned)'};

function bufferLines(list: BufferList): string[] {
	const current = currentBuffer(list);
	return [
		'Buffers (Alt+N or /buffer N goes there):',
		...list.entries.map((buffer, index) => {
			const name = index === 0 ? 'all: every conversation' : buffer.label;
			return `  ${buffer === current ? '*' : ' '}${index + 1} ${name}${activityWords[buffer.activity]}`;
		}),
	];
}

/** Why a buffer number cannot be used, or undefined when it can. */
function missingBuffer(list: BufferList, number: number): string | undefined {
	return number > list.entries.length ? `There is no buffer ${number}: /buffers lists them.` : undefined;
}

/** Runs one submitted input line: a slash command or a message, in the conversation of the current buffer. */
export function runInput(line: string, actions: ChatActions, ui: InputUi): void {
	const command = parseInput(line);
	const list = ui.buffers();
	const conversation = currentConversation(list);
	// Notices go to the buffer the command was typed in, so they show there.
	const notice = (text: string, level: 'info' | 'error' = 'info') => {
		actions.notice(text, level, conversation);
	};

	const here = list.conversations.find(summary => summary.id === conversation);
	const open = (id: string) => {
		ui.dispatch({type: 'open', id});
	};

	if ((command.type === 'say' || command.type === 'me') && currentBuffer(list).scroll.mode === 'held') {
		// What you send shows at once: sending while scrolled up goes back to live.
		ui.dispatch({type: 'scroll', scroll: live});
	}

	if (runIrcCommand(command, here, actions, {open, toggleNicklist: ui.toggleNicklist, quit: ui.quit}) || runFileCommand(command, conversation, actions)) {
		return;
	}

	switch (command.type) {
		case 'say': {
			if (conversation === undefined) {
				actions.send(command.text);
			} else {
				actions.send(command.text, {conversation});
			}

			break;
		}

		case 'me': {
			actions.send(command.text, conversation === undefined ? {action: true} : {action: true, conversation});
			break;
		}

		case 'help': {
			for (const text of helpLines()) {
				notice(text);
			}

			break;
		}

		case 'nick': {
			actions.setNick(command.nick);
			break;
		}

		case 'show-nick': {
			const network = here?.network;
			notice(network ? `You are ${network.nick} on ${network.name}.` : `You are ${ui.status().nick}.`);
			break;
		}

		case 'encoding': {
			const current = here?.encoding ?? ui.status().encoding;
			if (command.encoding === undefined) {
				notice(`Encoding${conversation === undefined ? ' (the default)' : ''}: ${current ?? 'utf8'}.`);
			} else if (actions.setEncoding === undefined) {
				notice('Switching the encoding is not available here.', 'error');
			} else {
				actions.setEncoding(command.encoding, conversation);
			}

			break;
		}

		case 'show-proto': {
			notice(protocolLine(here, here?.protocol ?? ui.status().protocol));
			break;
		}

		case 'bell': {
			if (command.mode !== undefined) {
				ui.setDisplay({bell: command.mode});
			}

			notice(`Bell: ${bellWords[command.mode ?? ui.display().bell]}`);
			break;
		}

		case 'notify': {
			if (command.on !== undefined) {
				ui.setDisplay({notify: command.on});
			}

			const on = command.on ?? ui.display().notify;
			notice(`Notifications: ${on ? 'on: a desktop notification through the terminal when someone writes your nick (/notify off).' : 'off (/notify on).'}`);
			break;
		}

		case 'connect': {
			actions.connectTo(command.endpoint);
			break;
		}

		case 'proto': {
			actions.setProtocol(command.protocol, conversation);

			break;
		}

		case 'peers': {
			actions.showPeers();
			break;
		}

		case 'who': {
			actions.who();
			break;
		}

		case 'pick':
		case 'query': {
			if (actions.query(command.selector)) {
				const id = actions.lookup(command.selector);
				if (id !== undefined) {
					ui.dispatch({type: 'open', id});
				}
			}

			break;
		}

		case 'msg': {
			actions.message(command.selector, command.text);
			break;
		}

		case 'buffer': {
			const missing = missingBuffer(list, command.number);
			if (missing) {
				notice(missing, 'error');
			} else {
				ui.dispatch({type: 'select', number: command.number});
			}

			break;
		}

		case 'close': {
			const closing = command.number ?? currentIndex(list) + 1;
			const missing = missingBuffer(list, closing);
			if (missing) {
				notice(missing, 'error');
			} else if (closing === 1) {
				notice('Buffer 1 shows every conversation and stays open; /close closes a conversation\'s buffer.', 'error');
			} else {
				const closed = list.entries[closing - 1]?.id;
				// Closing a channel's buffer leaves the channel, as in weechat.
				if (list.conversations.some(summary => summary.id === closed && summary.kind === 'channel')) {
					actions.irc({type: 'part', conversation: closed});
				}

				ui.dispatch({type: 'close', number: closing});
			}

			break;
		}

		case 'buffers': {
			for (const text of bufferLines(list)) {
				notice(text);
			}

			break;
		}

		case 'clear': {
			actions.clearHistory(conversation);

			break;
		}

		case 'inspect': {
			if (ui.inspect) {
				ui.inspect(command.command);
			} else {
				notice('The packet inspector is part of the full-screen chat.', 'error');
			}

			break;
		}

		case 'error': {
			notice(command.message, 'error');
			break;
		}
	}
}
