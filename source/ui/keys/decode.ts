import {keyBindings, type KeyCommand} from './bindings.js';

/** What a key or a run of typed text means to the input box. */
export type KeyEvent = {readonly type: 'text'; readonly text: string} | {readonly type: 'key'; readonly name: KeyCommand};

/** Escape sequences, matched as whole inputs (Ink hands over one at a time), and single control characters. */
const sequences = new Map<string, KeyCommand>();
const controls = new Map<string, KeyCommand>();
for (const {keys} of keyBindings) {
	for (const [sequence, command] of keys) {
		(sequence.startsWith('\u001B') ? sequences : controls).set(sequence, command);
	}
}

/**
 * Turns one chunk of terminal input into key events. Text and Enter can arrive in one chunk (a paste, or
 * tmux send-keys 'hi' Enter), so text runs are split at every control character.
 */
export function decodeKeys(raw: string): KeyEvent[] {
	const known = sequences.get(raw);
	if (known) {
		return [{type: 'key', name: known}];
	}

	if (raw.startsWith('\u001B') && raw.length > 1) {
		// An escape sequence we do not bind (F-keys, mouse, focus reports): never insert it as text.
		return [];
	}

	const events: KeyEvent[] = [];
	let text = '';
	for (const char of raw) {
		const code = char.codePointAt(0) ?? 0;
		const isControl = code < 0x20 || code === 0x7F || (code >= 0x80 && code < 0xA0);
		if (!isControl) {
			text += char;
			continue;
		}

		if (text !== '') {
			events.push({type: 'text', text});
			text = '';
		}

		const name = controls.get(char);
		if (name) {
			events.push({type: 'key', name});
		}
	}

	if (text !== '') {
		events.push({type: 'text', text});
	}

	return events;
}
