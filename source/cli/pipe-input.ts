import type {ChatActions} from '../domain/actions.js';
import type {ChatSnapshot} from '../domain/snapshot.js';
import {parseInput} from '../ui/commands/parse.js';

/**
 * What one input line did: went out (or ran), asked to stop reading, was refused (one stderr line), or (line
 * mode) asked what the nick or the protocol is, which `currentValue` words once the snapshot is up to date.
 */
export type PipeResult =
	| {readonly type: 'ok'}
	| {readonly type: 'quit'}
	| {readonly type: 'refused'; readonly message: string}
	| {readonly type: 'show'; readonly what: 'nick' | 'proto'};

/** The commands pipe mode runs; the others need a screen (buffers, lists) or an IRC network. */
export const pipeCommands = '/nick /me /proto /connect /query /msg /quit';

/**
 * Who types the input: a script (pipe mode), or a person at a terminal that cannot draw the chat (line
 * mode, TERM=dumb), who is answered as the chat answers: /nick and /proto alone say what they are.
 */
export type InputMode = 'pipe' | 'line';

export type PipeActions = Pick<ChatActions, 'send' | 'setNick' | 'setProtocol' | 'connectTo' | 'query' | 'message'>;

const ok: PipeResult = {type: 'ok'};

function refused(message: string): PipeResult {
	return {type: 'refused', message};
}

const modeName: Record<InputMode, string> = {pipe: 'pipe mode', line: 'line mode'};

/** What follows "not sent" for a command the mode does not run: what it does run. */
function runs(mode: InputMode): string {
	return `(${modeName[mode]} runs ${pipeCommands}; // starts a message with /)`;
}

/** /proto alone in line mode: what a line typed now goes over, as the chat says it (without Ctrl+T). */
function protocolNote({protocol, targetConversation, conversations}: Pick<ChatSnapshot, 'protocol' | 'targetConversation' | 'conversations'>): string {
	// Line mode has no IRC networks (the command line refuses --irc there).
	const target = conversations.find(summary => summary.id === targetConversation);
	if (target?.kind === 'room') {
		return 'TCP: a room is TCP only.';
	}

	const current = target?.protocol ?? protocol;
	return `${current.toUpperCase()}${target === undefined ? '' : ` with ${target.name}`} (/proto ${current === 'udp' ? 'tcp' : 'udp'} switches).`;
}

/** The answer to /nick or /proto alone in line mode, as the chat's: "You are dee.", "UDP with bob (/proto tcp switches)." */
export function currentValue(what: 'nick' | 'proto', snapshot: Pick<ChatSnapshot, 'nick' | 'protocol' | 'targetConversation' | 'conversations'>): string {
	return what === 'nick' ? `You are ${snapshot.nick}.` : protocolNote(snapshot);
}

/** /nick or /proto alone: line mode says what it is; a script is told the command does nothing there. */
function show(mode: InputMode, what: 'nick' | 'proto'): PipeResult {
	if (mode === 'line') {
		return {type: 'show', what};
	}

	const usage = what === 'nick' ? '/nick NAME sets your nick' : '/proto udp|tcp switches';
	return refused(`/${what} alone works only in the chat or line mode, not in pipe mode; not sent (${usage})`);
}

/**
 * One line of piped input, read as the chat's input box reads it (the same parser): text is sent, `//text`
 * sends "/text", and the commands that make sense without a screen run against the service. Nothing
 * refused is sent.
 */
export function runPipeLine(line: string, actions: PipeActions, mode: InputMode = 'pipe'): PipeResult {
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

		case 'show-nick': {
			return show(mode, 'nick');
		}

		case 'show-proto': {
			return show(mode, 'proto');
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
				? `unknown command ${unknown[1] ?? ''}, not sent ${runs(mode)}`
				: `${command.message.replace(/\.$/, '')}; not sent`);
		}

		default: {
			const name = line.slice(1).split(/\s/, 1)[0] ?? '';
			return refused(`/${name.toLowerCase()} works only in the chat, not in ${modeName[mode]}; not sent ${runs(mode)}`);
		}
	}
}
