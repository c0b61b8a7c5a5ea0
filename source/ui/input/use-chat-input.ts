import {useRef, useState} from 'react';
import {startCompletion, stepCompletion, type CompletionCycle, type CompletionSources} from './completion.js';
import {draftMessages} from './draft-messages.js';
import {emptyHistory, newer, older, remember, type InputHistory} from './input-history.js';
import {emptyInput, reduceInput, type InputAction, type InputLine} from './input-line.js';
import {echoesAtCursor} from './input-window.js';
import {appendPasted, looksPasted, nonEmpty, pastedLines, pastedTabsAsSpaces, type HeldPaste} from './paste-hold.js';
import type {BufferAction} from '../buffers/buffer-list.js';
import {bufferNumberOf, type KeyCommand} from '../keys/bindings.js';
import type {KeyEvent} from '../keys/decode.js';
import {useKeyEvents} from '../keys/use-key-events.js';
import {echoAhead} from '../screen/echo-ahead.js';

export type ScrollKey = 'page-up' | 'page-down' | 'end';

export type BufferMove = Extract<BufferAction, {type: 'next' | 'prev' | 'select'}>;

export type ChatInputHandlers = {
	readonly onSubmit: (text: string) => void;
	readonly onToggleProtocol: () => void;
	readonly onToggleNicklist: () => void;
	readonly onScroll: (key: ScrollKey) => void;
	readonly onBuffer: (move: BufferMove) => void;
	readonly onExit: () => void;
	/** What Tab may complete in the current buffer, read when Tab is pressed. */
	readonly completions?: () => CompletionSources;
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

/** A key the screen may draw before the frame (echo-ahead.ts): printable ASCII, one column in every terminal. */
const echoable = /^[\x20-\x7E]$/;

/**
 * The input line, its history and its key bindings. State lives in refs so that several events in one
 * chunk ("hi" then Enter) each see the result of the one before; React state only triggers the render.
 * `columns`: the input row's width less the prompt, for echo-ahead.
 */
export function useChatInput({onSubmit, onToggleProtocol, onToggleNicklist, onScroll, onBuffer, onExit, completions}: ChatInputHandlers, columns: number): ChatInputState {
	const lineRef = useRef<InputLine>(emptyInput);
	const historyRef = useRef<InputHistory>(emptyHistory);
	/** A multi-line paste held for Enter or Esc. */
	const pasteRef = useRef<HeldPaste | undefined>(undefined);
	/** Inside a bracketed paste (the terminal marks where it begins and ends). */
	const bracketRef = useRef<string[] | undefined>(undefined);
	/** Repeated Tab cycles through these; any other key ends the cycle. */
	const cycleRef = useRef<CompletionCycle | undefined>(undefined);
	const [state, setState] = useState<ChatInputState>({line: emptyInput, paste: undefined});
	/**
	 * The line the terminal shows: the last render's, or what characters drawn ahead of its frame made of it.
	 * Ink hands one stdin read on as several inputs (an escape sequence, then text) and renders after the
	 * last, so a key's line before it is not always on the screen.
	 */
	const onScreenRef = useRef<InputLine>(emptyInput);
	onScreenRef.current = state.line;

	const apply = (action: InputAction) => {
		lineRef.current = reduceInput(lineRef.current, action);
	};

	const submit = (text: string) => {
		if (text.trim() === '') {
			return;
		}

		historyRef.current = remember(historyRef.current, text);
		for (const message of draftMessages(text)) {
			onSubmit(message);
		}
	};

	const complete = (step: 1 | -1) => {
		const cycle = cycleRef.current;
		const next = cycle ? stepCompletion(cycle, step) : completions && startCompletion(lineRef.current, completions(), step === -1);
		if (next) {
			cycleRef.current = next[0];
			lineRef.current = next[1];
		}
	};

	const handle = (event: KeyEvent) => {
		if (event.type === 'key' && (event.name === 'complete' || event.name === 'complete-back')) {
			complete(event.name === 'complete' ? 1 : -1);
			return;
		}

		cycleRef.current = undefined;
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

			case 'delete-or-quit': {
				// As nc and a shell: Ctrl+D on an empty line ends; otherwise it deletes forward.
				if (lineRef.current.value === '') {
					onExit();
				} else {
					apply({type: 'delete'});
				}

				break;
			}

			case 'newline': {
				apply({type: 'insert', text: '\n'});
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

	/** Holds lines pasted at the cursor; the line itself comes back if Esc drops the paste. */
	const hold = (lines: string[], whole: boolean) => {
		pasteRef.current = {saved: lineRef.current, lines, whole};
		cycleRef.current = undefined;
		apply({type: 'clear'});
	};

	const holdOrInsert = (lines: string[]) => {
		if (nonEmpty(lines).length > 1) {
			hold(lines, true);
		} else {
			apply({type: 'insert', text: lines.join('')});
		}
	};

	const onHeld = (held: HeldPaste, events: readonly KeyEvent[], only: string | undefined) => {
		if (only === 'enter') {
			pasteRef.current = undefined;
			for (const line of pastedLines(held)) {
				submit(line);
			}
		} else if (only === 'escape' || only === 'interrupt') {
			// Only the paste goes: what was typed before it is the draft again.
			pasteRef.current = undefined;
			lineRef.current = held.saved;
		} else if (!held.whole && events.some(event => event.type === 'text' || event.name === 'enter')) {
			// The rest of a paste that came in several chunks (a terminal without bracketed paste).
			pasteRef.current = {...held, lines: appendPasted(held.lines, events)};
		}
	};

	useKeyEvents(chunk => {
		const events = pastedTabsAsSpaces(chunk);
		const only = events.length === 1 && events[0]?.type === 'key' ? events[0].name : undefined;
		if (bracketRef.current) {
			if (only === 'interrupt' || only === 'escape') {
				// A paste whose end never came (or one the user gives up on): drop it, keep the keyboard.
				bracketRef.current = undefined;
			} else if (only === 'paste-end') {
				const lines = bracketRef.current;
				bracketRef.current = undefined;
				const held = pasteRef.current;
				if (held) {
					pasteRef.current = {...held, lines: [...held.lines, ...lines]};
				} else {
					holdOrInsert(lines);
				}
			} else {
				bracketRef.current = appendPasted(bracketRef.current, events);
			}
		} else if (only === 'paste-start') {
			bracketRef.current = [''];
		} else if (pasteRef.current) {
			onHeld(pasteRef.current, events, only);
		} else if (looksPasted(events)) {
			hold(appendPasted([], events), false);
		} else {
			const before = lineRef.current;
			for (const event of events) {
				handle(event);
			}

			// A key on its own in its chunk: the screen shows what the last frame drew, the line before it.
			const [typed] = events;
			if (before === onScreenRef.current && events.length === 1 && typed?.type === 'text' && echoable.test(typed.text) && echoesAtCursor(before, lineRef.current, typed.text, columns) && echoAhead(typed.text)) {
				onScreenRef.current = lineRef.current;
			}
		}

		setState({line: lineRef.current, paste: pasteRef.current ? pastedLines(pasteRef.current) : undefined});
	});

	return state;
}
