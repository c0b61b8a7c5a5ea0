/** What a key or a run of typed text means to the input box. */
export type KeyEvent =
	| {readonly type: 'text'; readonly text: string}
	| {
			readonly type: 'key';
			readonly name:
				| 'enter'
				| 'backspace'
				| 'delete'
				| 'left'
				| 'right'
				| 'up'
				| 'down'
				| 'home'
				| 'end'
				| 'page-up'
				| 'page-down'
				| 'word-left'
				| 'word-right'
				| 'kill-line'
				| 'kill-word'
				| 'toggle-protocol'
				| 'interrupt'
				| 'line-end'
				| 'kill-to-end'
				| 'paste-start'
				| 'paste-end'
				| 'escape';
	  };

type KeyName = Extract<KeyEvent, {type: 'key'}>['name'];

const sequences: Record<string, KeyName> = {
	'\u001B[A': 'up',
	'\u001B[B': 'down',
	'\u001B[C': 'right',
	'\u001B[D': 'left',
	'\u001BOA': 'up',
	'\u001BOB': 'down',
	'\u001BOC': 'right',
	'\u001BOD': 'left',
	'\u001B[H': 'home',
	'\u001B[F': 'end',
	'\u001BOH': 'home',
	'\u001BOF': 'end',
	'\u001B[1~': 'home',
	'\u001B[4~': 'end',
	'\u001B[7~': 'home',
	'\u001B[8~': 'end',
	'\u001B[3~': 'delete',
	'\u001B[5~': 'page-up',
	'\u001B[6~': 'page-down',
	'\u001B[1;5D': 'word-left',
	'\u001B[1;5C': 'word-right',
	'\u001B[1;3D': 'word-left',
	'\u001B[1;3C': 'word-right',
	'\u001Bb': 'word-left',
	'\u001Bf': 'word-right',
	'\u001B\u007F': 'kill-word',
	'\u001B[200~': 'paste-start',
	'\u001B[201~': 'paste-end',
};

const controls: Record<string, KeyName> = {
	'\r': 'enter',
	'\n': 'enter',
	'\u007F': 'backspace',
	'\b': 'backspace',
	'\u0001': 'home',
	'\u0005': 'line-end',
	'\u0002': 'left',
	'\u0006': 'right',
	'\u0003': 'interrupt',
	'\u0004': 'delete',
	'\u000B': 'kill-to-end',
	'\u0014': 'toggle-protocol',
	'\u0015': 'kill-line',
	'\u0017': 'kill-word',
	'\u0010': 'up',
	'\u000E': 'down',
};

/**
 * Turns one chunk of terminal input into key events. Text and Enter can arrive in one chunk (a paste, or
 * tmux send-keys 'hi' Enter), so text runs are split at every control character.
 */
export function decodeKeys(raw: string): KeyEvent[] {
	if (raw === '\u001B') {
		return [{type: 'key', name: 'escape'}];
	}

	const known = sequences[raw];
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

		const name = controls[char];
		if (name) {
			events.push({type: 'key', name});
		} else if (char === '\t') {
			events.push({type: 'text', text: ' '});
		}
	}

	if (text !== '') {
		events.push({type: 'text', text});
	}

	return events;
}
