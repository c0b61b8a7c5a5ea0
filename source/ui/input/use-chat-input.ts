import {useRef, useState} from 'react';
import {emptyHistory, newer, older, remember, type InputHistory} from './input-history.js';
import {emptyInput, reduceInput, type InputAction, type InputLine} from './input-line.js';
import type {BufferAction} from '../buffers/buffer-list.js';
import {bufferNumberOf, type KeyCommand} from '../keys/bindings.js';
import type {KeyEvent} from '../keys/decode.js';
import {useKeyEvents} from '../keys/use-key-events.js';

export type ScrollKey = 'page-up' | 'page-down' | 'end';

export type BufferMove = Extract<BufferAction, {type: 'next' | 'prev' | 'select'}>;

export type ChatInputHandlers = {
	readonly onSubmit: (text: string) => void;
	readonly onToggleProtocol: () => void;
	readonly onToggleNicklist: () => void;
	readonly onScroll: (key: ScrollKey) => void;
	readonly onBuffer: (move: BufferMove) => void;
	readonly onExit: () => void;
};

export type ChatInputState = {
	readonly line: InputLine;
	/** Lines of a multi-line paste, held until Enter sends them or Esc drops them. */
	readonly paste: readonly string[] | undefined;
};

const editing: Partial<Record<KeyCommand, InputAction>> = {
	backspace: {type: 'backspace'},
	delete: {type: 'delete'},
	left: {type: 'left'},
	right: {type: 'right'},
	home: {type: 'home'},
	end: {type: 'end'},
	'kill-line': {type: 'kill-line'},
	'kill-word': {type: 'kill-word'},
	'kill-to-end': {type: 'kill-to-end'},
	'line-end': {type: 'end'},
	'word-left': {type: 'word-left'},
	'word-right': {type: 'word-right'},
};

/** Adds a chunk of pasted events to the pasted lines so far (the last one may still grow). */
function appendPasted(lines: string[], events: readonly KeyEvent[]): string[] {
	const next = lines.length === 0 ? [''] : [...lines];
	for (const event of events) {
		if (event.type === 'text') {
			next[next.length - 1] += event.text;
		} else if (event.name === 'enter') {
			next.push('');
		}
	}

	return next;
}

function nonEmpty(lines: readonly string[]): string[] {
	return lines.filter(line => line.trim() !== '');
}

/**
 * Without bracketed paste, a chunk is a paste of several lines when it holds a line break followed by more
 * text, or two breaks.
 */
function looksPasted(events: readonly KeyEvent[]): boolean {
	const enters = events.filter(event => event.type === 'key' && event.name === 'enter').length;
	const last = events.at(-1);
	const endsWithEnter = last?.type === 'key' && last.name === 'enter';
	return enters > 1 || (enters === 1 && !endsWithEnter);
}

/**
 * The input line, its history and its key bindings. State lives in refs so that several events in one
 * chunk ("hi" then Enter) each see the result of the one before; React state only triggers the render.
 */
export function useChatInput({onSubmit, onToggleProtocol, onToggleNicklist, onScroll, onBuffer, onExit}: ChatInputHandlers): ChatInputState {
	const lineRef = useRef<InputLine>(emptyInput);
	const historyRef = useRef<InputHistory>(emptyHistory);
	/** A multi-line paste held for Enter or Esc: its lines, the last of which may still grow. */
	const pasteRef = useRef<string[] | undefined>(undefined);
	/** Inside a bracketed paste (the terminal marks where it begins and ends). */
	const bracketRef = useRef<string[] | undefined>(undefined);
	/** The held paste came whole between brackets: later chunks are typing, not more of it. */
	const heldWholeRef = useRef(false);
	const [state, setState] = useState<ChatInputState>({line: emptyInput, paste: undefined});

	const apply = (action: InputAction) => {
		lineRef.current = reduceInput(lineRef.current, action);
	};

	const submit = (text: string) => {
		if (text.trim() === '') {
			return;
		}

		historyRef.current = remember(historyRef.current, text);
		onSubmit(text);
	};

	const handle = (event: KeyEvent) => {
		if (event.type === 'text') {
			apply({type: 'insert', text: event.text});
			return;
		}

		switch (event.name) {
			case 'enter': {
				const text = lineRef.current.value;
				apply({type: 'clear'});
				submit(text);
				break;
			}

			case 'up':
			case 'down': {
				const step = event.name === 'up' ? older(historyRef.current, lineRef.current.value) : newer(historyRef.current, lineRef.current.value);
				if (step) {
					historyRef.current = step[0];
					apply({type: 'set', value: step[1]});
				}

				break;
			}

			case 'toggle-protocol': {
				onToggleProtocol();
				break;
			}

			case 'toggle-nicklist': {
				onToggleNicklist();
				break;
			}

			case 'page-up':
			case 'page-down': {
				onScroll(event.name);
				break;
			}

			case 'end': {
				apply({type: 'end'});
				onScroll('end');
				break;
			}

			case 'buffer-next':
			case 'buffer-prev': {
				onBuffer({type: event.name === 'buffer-next' ? 'next' : 'prev'});
				break;
			}

			case 'interrupt': {
				onExit();
				break;
			}

			default: {
				const action = editing[event.name];
				const buffer = action ? undefined : bufferNumberOf(event.name);
				if (action) {
					apply(action);
				} else if (buffer !== undefined) {
					onBuffer({type: 'select', number: buffer});
				}
			}
		}
	};

	const holdOrInsert = (lines: string[]) => {
		if (nonEmpty(lines).length > 1) {
			pasteRef.current = [lineRef.current.value + (lines[0] ?? ''), ...lines.slice(1)];
			heldWholeRef.current = true;
			apply({type: 'clear'});
		} else {
			apply({type: 'insert', text: lines.join('')});
		}
	};

	useKeyEvents(events => {
		const only = events.length === 1 && events[0]?.type === 'key' ? events[0].name : undefined;
		if (bracketRef.current) {
			if (only === 'interrupt' || only === 'escape') {
				// A paste whose end never came (or one the user gives up on): drop it, keep the keyboard.
				bracketRef.current = undefined;
			} else if (only === 'paste-end') {
				const lines = bracketRef.current;
				bracketRef.current = undefined;
				if (pasteRef.current) {
					pasteRef.current = appendPasted(pasteRef.current, [{type: 'key', name: 'enter'}, ...lines.map(text => ({type: 'text' as const, text}))]);
				} else {
					holdOrInsert(lines);
				}
			} else {
				bracketRef.current = appendPasted(bracketRef.current, events);
			}
		} else if (only === 'paste-start') {
			bracketRef.current = [''];
		} else if (pasteRef.current) {
			if (only === 'enter') {
				const lines = nonEmpty(pasteRef.current);
				pasteRef.current = undefined;
				for (const line of lines) {
					submit(line);
				}
			} else if (only === 'escape' || only === 'interrupt') {
				pasteRef.current = undefined;
			} else if (!heldWholeRef.current && events.some(event => event.type === 'text' || event.name === 'enter')) {
				// The rest of a paste that came in several chunks (a terminal without bracketed paste).
				pasteRef.current = appendPasted(pasteRef.current, events);
			}
		} else if (looksPasted(events)) {
			pasteRef.current = appendPasted([lineRef.current.value], events);
			heldWholeRef.current = false;
			apply({type: 'clear'});
		} else {
			for (const event of events) {
				handle(event);
			}
		}

		setState({line: lineRef.current, paste: pasteRef.current ? nonEmpty(pasteRef.current) : undefined});
	});

	return state;
}
