import {graphemes} from '../../text/text-width.js';

/** The input box: its text and the cursor as a UTF-16 offset that always sits on a character boundary. */
export type InputLine = {readonly value: string; readonly cursor: number};

export type InputAction =
	| {readonly type: 'insert'; readonly text: string}
	| {readonly type: 'backspace'}
	| {readonly type: 'delete'}
	| {readonly type: 'left'}
	| {readonly type: 'right'}
	| {readonly type: 'home'}
	| {readonly type: 'end'}
	| {readonly type: 'kill-line'}
	| {readonly type: 'kill-word'}
	| {readonly type: 'kill-to-end'}
	| {readonly type: 'word-left'}
	| {readonly type: 'word-right'}
	| {readonly type: 'set'; readonly value: string}
	| {readonly type: 'clear'};

export const emptyInput: InputLine = {value: '', cursor: 0};

function previousBoundary(value: string, cursor: number): number {
	const before = graphemes(value.slice(0, cursor));
	const last = before.at(-1);
	return last === undefined ? 0 : cursor - last.length;
}

function nextBoundary(value: string, cursor: number): number {
	const first = graphemes(value.slice(cursor))[0];
	return first === undefined ? cursor : cursor + first.length;
}

export function reduceInput(state: InputLine, action: InputAction): InputLine {
	const {value, cursor} = state;
	switch (action.type) {
		case 'insert': {
			if (action.text === '') {
				return state;
			}

			return {value: value.slice(0, cursor) + action.text + value.slice(cursor), cursor: cursor + action.text.length};
		}

		case 'backspace': {
			const start = previousBoundary(value, cursor);
			return start === cursor ? state : {value: value.slice(0, start) + value.slice(cursor), cursor: start};
		}

		case 'delete': {
			const end = nextBoundary(value, cursor);
			return end === cursor ? state : {value: value.slice(0, cursor) + value.slice(end), cursor};
		}

		case 'left': {
			return {value, cursor: previousBoundary(value, cursor)};
		}

		case 'right': {
			return {value, cursor: nextBoundary(value, cursor)};
		}

		case 'home': {
			return {value, cursor: 0};
		}

		case 'end': {
			return {value, cursor: value.length};
		}

		case 'kill-line': {
			return {value: value.slice(cursor), cursor: 0};
		}

		case 'kill-word': {
			const start = value.slice(0, cursor).replace(/\S+\s*$|\s+$/u, '').length;
			return {value: value.slice(0, start) + value.slice(cursor), cursor: start};
		}

		case 'kill-to-end': {
			return {value: value.slice(0, cursor), cursor};
		}

		case 'word-left': {
			return {value, cursor: value.slice(0, cursor).replace(/\S+\s*$|\s+$/u, '').length};
		}

		case 'word-right': {
			const rest = value.slice(cursor);
			const skipped = /^\s*\S+/u.exec(rest)?.[0].length ?? rest.length;
			return {value, cursor: cursor + skipped};
		}

		case 'set': {
			return {value: action.value, cursor: action.value.length};
		}

		case 'clear': {
			return emptyInput;
		}
	}
}
