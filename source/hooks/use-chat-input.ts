import {useRef, useState} from 'react';
import {emptyInput, reduceInput, type InputAction, type InputLine} from '../input-line.js';
import type {KeyEvent} from '../keys.js';
import {useKeyEvents} from './use-key-events.js';

export type ChatInputHandlers = {
	readonly onSubmit: (text: string) => void;
	readonly onToggleProtocol: () => void;
	readonly onExit: () => void;
};

const editing: Partial<Record<Extract<KeyEvent, {type: 'key'}>['name'], InputAction>> = {
	backspace: {type: 'backspace'},
	delete: {type: 'delete'},
	left: {type: 'left'},
	right: {type: 'right'},
	home: {type: 'home'},
	end: {type: 'end'},
};

/**
 * The input line's state and key bindings. State lives in a ref so that several events in one chunk
 * ("hi" then Enter) each see the result of the one before; React state only triggers the render.
 */
export function useChatInput({onSubmit, onToggleProtocol, onExit}: ChatInputHandlers): InputLine {
	const stateRef = useRef<InputLine>(emptyInput);
	const [state, setState] = useState<InputLine>(emptyInput);

	useKeyEvents(event => {
		const apply = (action: InputAction) => {
			stateRef.current = reduceInput(stateRef.current, action);
		};

		if (event.type === 'text') {
			apply({type: 'insert', text: event.text});
		} else if (event.name === 'enter') {
			const text = stateRef.current.value;
			apply({type: 'clear'});
			if (text.trim() !== '') {
				onSubmit(text);
			}
		} else if (event.name === 'toggle-protocol') {
			onToggleProtocol();
		} else if (event.name === 'interrupt') {
			onExit();
			return;
		} else {
			const action = editing[event.name];
			if (action) {
				apply(action);
			}
		}

		setState(stateRef.current);
	});

	return state;
}
