import type {ChatActions} from '../domain/actions.js';
import {parseInput} from '../ui/commands/parse.js';

/** What one input line did: went out (or ran), asked to stop reading, or was refused (one stderr line). */
export type PipeResult = {readonly type: 'ok'} | {readonly type: 'quit'} | {readonly type: 'refused'; readonly message: string};

/** The commands pipe mode runs; the others need a screen (buffers, lists) or an IRC network. */
export const pipeCommands = '/nick /me /proto /connect /query /msg /quit';

const ok: PipeResult = {type: 'ok'};

function refused(message: string): PipeResult {
	return {type: 'refused', message};
}

/**
 * One line of piped input, read as the chat's input box reads it (the same parser): text is sent, `//text`
 * sends "/text", and the commands that make sense without a screen run against the service. Nothing
 * refused is sent.
 */
export function runPipeLine(line: string, actions: Pick<ChatActions, 'send' | 'setNick' | 'setProtocol' | 'connectTo' | 'query' | 'message'>): PipeResult {
	const command = parseInput(line);
	switch (command.type) {
		case 'say': {
			actions.send(command.text);
			return ok;
		}

		case 'me': {
			actions.send(command.text, {action: true});
			return ok;
		}

		case 'nick': {
			actions.setNick(command.nick);
			return ok;
		}

		case 'proto': {
			actions.setProtocol(command.protocol);
			return ok;
		}

		case 'connect': {
			actions.connectTo(command.endpoint);
			return ok;
		}

		case 'pick':
		case 'query': {
			// A peer nobody knows is an error line from the service, which stderr shows.
			actions.query(command.selector);
			return ok;
		}

		case 'msg': {
			actions.message(command.selector, command.text);
			return ok;
		}

		case 'quit': {
			return {type: 'quit'};
		}

		case 'error': {
			const unknown = /^Unknown command (\/\S*?):/.exec(command.message);
			return refused(unknown
				? `unknown command ${unknown[1] ?? ''}, not sent (pipe mode runs ${pipeCommands}; // starts a message with /)`
				: `${command.message.replace(/\.$/, '')}; not sent`);
		}

		default: {
			const name = line.slice(1).split(/\s/, 1)[0] ?? '';
			return refused(`/${name.toLowerCase()} works only in the chat, not in pipe mode; not sent (pipe mode runs ${pipeCommands}; // starts a message with /)`);
		}
	}
}
