import {commandHelp, keyHelp, parseInput} from './commands.js';
import type {Endpoint, Protocol} from './domain/endpoint.js';

/** What the input box may ask of the chat service. */
export type ChatActions = {
	readonly send: (text: string, options?: {readonly action?: boolean}) => void;
	readonly toggleProtocol: () => void;
	readonly setProtocol: (protocol: Protocol) => void;
	readonly setNick: (nick: string) => void;
	readonly connectTo: (endpoint: Endpoint) => void;
	readonly query: (selector: string) => boolean;
	readonly showPeers: () => void;
	readonly notice: (text: string, level?: 'info' | 'error') => void;
	readonly clearHistory: () => void;
	readonly measureDraft: (text: string) => {readonly bytes: number; readonly datagrams: number};
};

function helpLines(): string[] {
	const width = Math.max(...[...commandHelp, ...keyHelp].map(([name]) => name.length));
	return [
		'Commands:',
		...commandHelp.map(([name, what]) => `  ${name.padEnd(width)}  ${what}`),
		'Keys:',
		...keyHelp.map(([name, what]) => `  ${name.padEnd(width)}  ${what}`),
	];
}

/** Runs one submitted input line: a slash command or a message. */
export function runInput(line: string, actions: ChatActions, quit: () => void): void {
	const command = parseInput(line);
	switch (command.type) {
		case 'say': {
			actions.send(command.text);
			break;
		}

		case 'me': {
			actions.send(command.text, {action: true});
			break;
		}

		case 'help': {
			for (const text of helpLines()) {
				actions.notice(text);
			}

			break;
		}

		case 'nick': {
			actions.setNick(command.nick);
			break;
		}

		case 'connect': {
			actions.connectTo(command.endpoint);
			break;
		}

		case 'proto': {
			actions.setProtocol(command.protocol);
			break;
		}

		case 'peers': {
			actions.showPeers();
			break;
		}

		case 'query': {
			actions.query(command.selector);
			break;
		}

		case 'clear': {
			actions.clearHistory();
			break;
		}

		case 'quit': {
			quit();
			break;
		}

		case 'error': {
			actions.notice(command.message, 'error');
			break;
		}
	}
}
