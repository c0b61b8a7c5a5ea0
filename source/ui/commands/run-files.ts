import type {ChatActions} from '../../domain/actions.js';
import type {Command} from './parse.js';

/** Runs a file command in the buffer it was typed in; false when the command is not one. */
export function runFileCommand(command: Command, conversation: string | undefined, actions: ChatActions): boolean {
	if (command.type !== 'files') {
		return false;
	}

	if (actions.files === undefined) {
		actions.notice('File transfers are not available here.', 'error', conversation);
		return true;
	}

	const file = command.command;
	if (file.type === 'send') {
		actions.files({...file, ...(conversation === undefined ? {} : {conversation})});
	} else if (file.type === 'receive') {
		actions.files(conversation === undefined ? file : {...file, conversation});
	} else {
		actions.files(file);
	}

	return true;
}
