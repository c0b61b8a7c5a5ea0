/** What a key means, whatever bytes the terminal sends for it. */
export type KeyCommand =
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
	| 'escape'
	| 'buffer-next'
	| 'buffer-prev'
	| 'toggle-nicklist'
	| 'complete'
	| 'complete-back'
	| 'newline'
	| 'delete-or-quit'
	| InspectorCommand
	| BufferNumberCommand;

/** The packet inspector's keys (ui/inspector/use-inspector.ts reads them; the input line ignores them). */
export type InspectorCommand = 'inspector-toggle' | 'inspector-pause' | 'inspector-up' | 'inspector-down' | 'inspector-page-up' | 'inspector-page-down';

export type BufferNumberCommand = `buffer-${1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9}`;

export type KeyBinding = {
	/** How /help and the readme name the keys; undefined for keys that need no telling. */
	readonly label?: string;
	readonly description?: string;
	/** What the terminal sends (xterm and its common variants) and what it means. */
	readonly keys: ReadonlyArray<readonly [sequence: string, command: KeyCommand]>;
};

const bufferDigits = [1, 2, 3, 4, 5, 6, 7, 8, 9] as const;

/** The one table of keys: the decoder reads its sequences, /help and the readme its labels. */
export const keyBindings: readonly KeyBinding[] = [
	{label: 'Ctrl+T', description: 'switch between UDP and TCP (in a conversation\'s buffer: for it)', keys: [['\u0014', 'toggle-protocol']]},
	{
		label: 'Alt+1..9',
		description: 'go to buffer 1..9 (1: everything)',
		// ESC then the digit: what a terminal sends for Alt (Meta) and tmux for send-keys M-1.
		keys: bufferDigits.map(digit => [`\u001B${digit}`, `buffer-${digit}`] as const),
	},
	{
		label: 'Ctrl+N/P, Alt+Right/Left',
		description: 'next/previous buffer',
		keys: [
			['\u000E', 'buffer-next'],
			['\u0010', 'buffer-prev'],
			['\u001B[1;3C', 'buffer-next'],
			['\u001B[1;3D', 'buffer-prev'],
			['\u001B\u001B[C', 'buffer-next'],
			['\u001B\u001B[D', 'buffer-prev'],
		],
	},
	{
		label: 'F7, Alt+Shift+N',
		description: 'show or hide the nick list of an IRC channel',
		keys: [
			['\u001B[18~', 'toggle-nicklist'],
			['\u001BN', 'toggle-nicklist'],
		],
	},
	{
		label: 'F2',
		description: 'show or hide the packet inspector (/inspect): datagrams and TCP chunks in hex',
		// xterm (and tmux) send SS3 Q, rxvt CSI 12 ~, the Linux console CSI [ B.
		keys: [
			['\u001BOQ', 'inspector-toggle'],
			['\u001B[12~', 'inspector-toggle'],
			['\u001B[[B', 'inspector-toggle'],
		],
	},
	{
		label: 'F3',
		description: 'pause or resume the packet inspector (it keeps counting)',
		keys: [
			['\u001BOR', 'inspector-pause'],
			['\u001B[13~', 'inspector-pause'],
			['\u001B[[C', 'inspector-pause'],
		],
	},
	{
		label: 'Shift+Up/Down, Alt+Up/Down',
		description: 'scroll the packet inspector by a row, by a page',
		keys: [
			['\u001B[1;2A', 'inspector-up'],
			['\u001B[1;2B', 'inspector-down'],
			['\u001B[1;3A', 'inspector-page-up'],
			['\u001B[1;3B', 'inspector-page-down'],
			['\u001B\u001B[A', 'inspector-page-up'],
			['\u001B\u001B[B', 'inspector-page-down'],
		],
	},
	{
		label: 'Up/Down',
		description: 'recall sent lines',
		keys: [
			['\u001B[A', 'up'],
			['\u001B[B', 'down'],
			['\u001BOA', 'up'],
			['\u001BOB', 'down'],
		],
	},
	{
		label: 'PageUp/PageDown',
		description: 'scroll the history (new messages wait below, counted); End returns to live',
		keys: [
			['\u001B[5~', 'page-up'],
			['\u001B[6~', 'page-down'],
		],
	},
	{
		label: 'Ctrl+A/E, Home/End',
		description: 'start/end of line',
		keys: [
			['\u0001', 'home'],
			['\u0005', 'line-end'],
			['\u001B[H', 'home'],
			['\u001B[F', 'end'],
			['\u001BOH', 'home'],
			['\u001BOF', 'end'],
			['\u001B[1~', 'home'],
			['\u001B[4~', 'end'],
			['\u001B[7~', 'home'],
			['\u001B[8~', 'end'],
		],
	},
	{
		label: 'Left/Right, Ctrl+B/F',
		description: 'a character back/forward (CJK and emoji whole)',
		keys: [
			['\u001B[D', 'left'],
			['\u001B[C', 'right'],
			['\u001BOD', 'left'],
			['\u001BOC', 'right'],
			['\u0002', 'left'],
			['\u0006', 'right'],
		],
	},
	{
		label: 'Alt+B/F, Ctrl+Left/Right',
		description: 'a word back/forward',
		keys: [
			['\u001Bb', 'word-left'],
			['\u001Bf', 'word-right'],
			['\u001B[1;5D', 'word-left'],
			['\u001B[1;5C', 'word-right'],
		],
	},
	{
		label: 'Backspace, Delete',
		description: 'delete back/forward',
		keys: [
			['\u007F', 'backspace'],
			['\b', 'backspace'],
			['\u001B[3~', 'delete'],
		],
	},
	{label: 'Ctrl+D', description: 'delete forward; on an empty line: quit (as nc and a shell)', keys: [['\u0004', 'delete-or-quit']]},
	{
		label: 'Ctrl+U, Ctrl+K, Ctrl+W',
		description: 'delete to start/end of line, delete word',
		keys: [
			['\u0015', 'kill-line'],
			['\u000B', 'kill-to-end'],
			['\u0017', 'kill-word'],
			['\u001B\u007F', 'kill-word'],
		],
	},
	{
		label: 'Tab, Shift+Tab',
		description: 'complete a nick (at line start "nick: "), /command, /query or /msg target, #channel; again: the next (Shift+Tab: the previous)',
		keys: [
			['\t', 'complete'],
			['\u001B[Z', 'complete-back'],
		],
	},
	{
		label: 'Alt+Enter',
		description: 'a new line in the draft (shown as ⏎); Enter sends the whole draft',
		keys: [
			['\u001B\r', 'newline'],
			['\u001B\n', 'newline'],
		],
	},
	{label: 'Enter', description: 'send (a held paste: all its lines)', keys: [['\r', 'enter'], ['\n', 'enter']]},
	{label: 'Esc', description: 'drop a held paste (what was typed before it stays)', keys: [['\u001B', 'escape']]},
	{label: 'Ctrl+C', description: 'quit', keys: [['\u0003', 'interrupt']]},
	{
		label: 'Paste',
		description: 'a paste of several lines is held: Enter sends its lines, Esc drops it',
		keys: [
			['\u001B[200~', 'paste-start'],
			['\u001B[201~', 'paste-end'],
		],
	},
];

/** The labelled bindings as [keys, what they do], for /help. */
export const keyHelp: ReadonlyArray<readonly [string, string]> = keyBindings.flatMap(({label, description}) =>
	label === undefined ? [] : [[label, description ?? ''] as const],
);

const inspectorCommands: ReadonlySet<KeyCommand> = new Set<InspectorCommand>(['inspector-toggle', 'inspector-pause', 'inspector-up', 'inspector-down', 'inspector-page-up', 'inspector-page-down']);

export function isInspectorCommand(command: KeyCommand): command is InspectorCommand {
	return inspectorCommands.has(command);
}

export function bufferNumberOf(command: KeyCommand): number | undefined {
	const match = /^buffer-(\d)$/.exec(command);
	return match ? Number(match[1]) : undefined;
}
