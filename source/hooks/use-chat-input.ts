import {useRef, useState} from 'react';
import {emptyHistory, newer, older, remember, type InputHistory} from '../input-history.js';
import {emptyInput, reduceInput, type InputAction, type InputLine} from '../input-line.js';
import type {KeyEvent} from '../keys.js';
import {useKeyEvents} from './use-key-events.js';

export type ScrollKey = 'page-up' | 'page-down' | 'end';

export type ChatInputHandlers = {
	readonly onSubmit: (text: string) => void;
	readonly onToggleProtocol: () => void;
	readonly onScroll: (key: ScrollKey) => void;
	readonly onExit: () => void;
};

export type ChatInputState = {
	readonly line: InputLine;
	/** Lines of a multi-line paste, held until Enter sends them or Esc drops them. */
	readonly paste: readonly string[] | undefined;
};

type KeyName = Extract<KeyEvent, {type: 'key'}>['name'];

const editing: Partial<Record<KeyName, InputAction>> = {
	backspace: {type: 'backspace'},
	delete: {type: 'delete'},
	left: {type: 'left'},
	right: {type: 'right'},
	home: {type: 'home'},
	end: {type: 'end'},
	'kill-line': {type: 'kill-line'},
	'kill-word': {type: 'kill-word'},
};

/** A chunk is a paste of several lines when it holds a line break followed by more text, or two breaks. */
function pastedLines(events: readonly KeyEvent[], draft: string): string[] | undefined {
	const enters = events.filter(event => event.type === 'key' && event.name === 'enter').length;
	const last = events.at(-1);
	const endsWithEnter = last?.type === 'key' && last.name === 'enter';
	if (enters === 0 || (enters === 1 && endsWithEnter)) {
		return undefined;
	}

	const lines: string[] = [draft];
	for (const event of events) {
		if (event.type === 'text') {
			lines[lines.length - 1] += event.text;
		} else if (event.name === 'enter') {
			lines.push('');
		}
	}

	return lines.filter(line => line.trim() !== '');
}

/**
 * The input line, its history and its key bindings. State lives in refs so that several events in one
 * chunk ("hi" then Enter) each see the result of the one before; React state only triggers the render.
 */
export function useChatInput({onSubmit, onToggleProtocol, onScroll, onExit}: ChatInputHandlers): ChatInputState {
	const lineRef = useRef<InputLine>(emptyInput);
	const historyRef = useRef<InputHistory>(emptyHistory);
	const pasteRef = useRef<string[] | undefined>(undefined);
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
				const step = event.name === 'up' ? older(historyRef.current, lineRef.current.value) : newer(historyRef.current);
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

			case 'interrupt': {
				onExit();
				break;
			}

			default: {
				const action = editing[event.name];
				if (action) {
					apply(action);
				}
			}
		}
	};

	useKeyEvents(events => {
		const paste = pasteRef.current;
		if (paste) {
			const key = events.length === 1 && events[0]?.type === 'key' ? events[0].name : undefined;
			if (key === 'enter') {
				pasteRef.current = undefined;
				for (const line of paste) {
					submit(line);
				}
			} else if (key === 'escape' || key === 'interrupt') {
				pasteRef.current = undefined;
			}
		} else {
			const lines = pastedLines(events, lineRef.current.value);
			if (lines && lines.length > 1) {
				pasteRef.current = lines;
				apply({type: 'clear'});
			} else {
				for (const event of events) {
					handle(event);
				}
			}
		}

		setState({line: lineRef.current, paste: pasteRef.current});
	});

	return state;
}
