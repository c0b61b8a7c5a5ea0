import {commandHelp, keyHelp, parseInput} from './parse.js';
import type {ChatActions} from '../../domain/actions.js';

export type {ChatActions} from '../../domain/actions.js';

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
