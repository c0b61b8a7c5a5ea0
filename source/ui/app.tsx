import {Box, useApp} from 'ink';
import {useEffect, useRef, useState} from 'react';
import {InputBox} from './input/input-box.js';
import {MessagePane} from './pane/message-pane.js';
import {PastePrompt} from './input/paste-prompt.js';
import {StatusBar} from './status/status-bar.js';
import {useChat, type ChatStore} from './use-chat.js';
import {useChatInput, type ScrollKey} from './input/use-chat-input.js';
import {useTerminalSize} from './use-terminal-size.js';
import {runInput, type ChatActions} from './commands/run.js';
import {live, pageDown, pageUp, view, type Scroll} from './pane/scrollback.js';

export type {ChatActions} from './commands/run.js';

export type AppProps = {
	readonly service: ChatStore & ChatActions;
	/** Rings the terminal bell; called for a message that arrives while scrolled up. */
	readonly bell?: () => void;
};

/** Rows below the message pane: the input box (a rule and a line) and the status bar. */
const chromeRows = 3;

function draftInfo(draft: {bytes: number; datagrams: number} | undefined, protocol: string, maxDatagram: number): string | undefined {
	if (draft === undefined) {
		return undefined;
	}

	return protocol === 'udp' && draft.datagrams > 1 ? `${draft.bytes} B: ${draft.datagrams} datagrams of ≤${maxDatagram} B` : `${draft.bytes} B`;
}

export function App({service, bell}: AppProps) {
	const snapshot = useChat(service);
	const {columns, rows} = useTerminalSize();
	const {exit} = useApp();
	const [scroll, setScroll] = useState<Scroll>(live);
	// One row stays free: Ink redraws the whole screen when its output is as tall as the terminal.
	const height = Math.max(chromeRows + 1, rows - 1);
	const paneHeight = height - chromeRows;

	const onScroll = (key: ScrollKey) => {
		setScroll(current => {
			if (key === 'end') {
				return live;
			}

			return key === 'page-up' ? pageUp(snapshot.lines, columns, paneHeight, current) : pageDown(snapshot.lines, columns, paneHeight, current);
		});
	};

	const input = useChatInput({
		onSubmit(text) {
			runInput(text, service, exit);
		},
		onToggleProtocol() {
			service.toggleProtocol();
		},
		onScroll,
		onExit() {
			exit();
		},
	});

	const shown = view(snapshot.lines, columns, paneHeight, scroll);
	// One bell when the first new message arrives below a scrolled-up view, not one per message.
	const newBelowBefore = useRef(0);
	useEffect(() => {
		if (shown.newBelow > 0 && newBelowBefore.current === 0) {
			bell?.();
		}

		newBelowBefore.current = shown.newBelow;
	}, [shown.newBelow, bell]);

	const draft = input.line.value === '' ? undefined : service.measureDraft(input.line.value);

	return (
		<Box flexDirection="column" width={columns} height={height}>
			<MessagePane rows={shown.rows} width={columns} height={paneHeight} newBelow={shown.held ? shown.newBelow : undefined} />
			<InputBox
				line={input.line}
				width={columns}
				row={paneHeight + 1}
				placeholder={`type a message, Enter sends over ${snapshot.protocol.toUpperCase()}; /help for commands`}
				info={draftInfo(draft, snapshot.protocol, snapshot.maxDatagram)}
			/>
			{input.paste ? <PastePrompt lines={input.paste} width={columns} /> : <StatusBar snapshot={snapshot} width={columns} />}
		</Box>
	);
}
