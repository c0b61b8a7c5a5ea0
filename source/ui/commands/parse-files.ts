import {homedir} from 'node:os';
import {UsageError} from '../../domain/endpoint.js';
import type {FileCommand} from '../../domain/files.js';

/** The file commands as parsed: the conversation they apply to is filled in when they run. */
export type FileInputCommand = {readonly type: 'files'; readonly command: FileCommand};

export const fileCommandHelp: ReadonlyArray<readonly [string, string]> = [
	['/send FILE [N|NICK]', 'offer a file (to this buffer\'s peer, or the one named); to a plain peer, prints the nc command'],
	['/accept [N], /reject [N]', 'take or refuse an offer (without N: the latest); /accept N again resumes one that stopped'],
	['/transfers', 'list the transfers: number, name, direction, state, progress'],
	['/cancel N', 'stop transfer N'],
	['/receive [NAME]', 'open a port for one plain sender (nc HOST PORT < file) and save what comes'],
];

function transferNumber(value: string, usage: string): number {
	if (!/^[1-9]\d{0,5}$/.test(value)) {
		throw new UsageError(`usage: ${usage} (a transfer number, as /transfers lists them)`);
	}

	return Number(value);
}

/** "~/x" as the shell would read it. */
export function expandHome(path: string): string {
	return path === '~' || path.startsWith('~/') ? homedir() + path.slice(1) : path;
}

/**
 * A path as a terminal pastes a dropped file: "'/a b.txt'" or "/a\ b.txt" (quoted or escaped), maybe with a
 * peer after it; the path without its quoting, and what follows.
 */
function unquoted(text: string): {path: string; after: string} | undefined {
	const quote = text[0];
	if (quote === '\'' || quote === '"') {
		const end = text.indexOf(quote, 1);
		return end === -1 ? undefined : {path: text.slice(1, end), after: text.slice(end + 1).trim()};
	}

	if (/\\[ '"\\]/.test(text)) {
		const [, path = '', after = ''] = /^((?:\\.|[^\s\\])+)\s*(.*)$/.exec(text) ?? [];
		return {path: path.replaceAll(/\\(.)/g, '$1'), after: after.trim()};
	}

	return undefined;
}

/** "/send my file.txt 2": the last word is a peer only when it is a number or a nick that is not an existing path. */
function sendCommand(rest: string, exists: (path: string) => boolean): FileCommand {
	const text = rest.trim();
	if (text === '') {
		throw new UsageError('usage: /send FILE [N|NICK]');
	}

	const quoted = unquoted(text);
	if (quoted !== undefined) {
		return quoted.after === '' ? {type: 'send', path: expandHome(quoted.path)} : {type: 'send', path: expandHome(quoted.path), peer: quoted.after};
	}

	const space = text.lastIndexOf(' ');
	const last = space === -1 ? undefined : text.slice(space + 1);
	if (last !== undefined && /^[^\s/:]+$/.test(last) && !exists(expandHome(text))) {
		return {type: 'send', path: expandHome(text.slice(0, space).trim()), peer: last};
	}

	return {type: 'send', path: expandHome(text)};
}

/** One of the file commands, or undefined when name is not one. */
export function parseFileCommand(name: string, rest: string, exists: (path: string) => boolean): FileInputCommand | undefined {
	const value = rest.trim();
	switch (name) {
		case 'send': {
			return {type: 'files', command: sendCommand(rest, exists)};
		}

		case 'accept':
		case 'reject': {
			return {type: 'files', command: value === '' ? {type: name} : {type: name, number: transferNumber(value, `/${name} [N]`)}};
		}

		case 'cancel': {
			return {type: 'files', command: {type: 'cancel', number: transferNumber(value, '/cancel N')}};
		}

		case 'transfers': {
			return {type: 'files', command: {type: 'transfers'}};
		}

		case 'receive': {
			return {type: 'files', command: value === '' ? {type: 'receive'} : {type: 'receive', name: value}};
		}

		default: {
			return undefined;
		}
	}
}
