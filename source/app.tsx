import {Box, useApp} from 'ink';
import {MessagePane} from './components/message-pane.js';
import {InputBox} from './components/input-box.js';
import {StatusBar} from './components/status-bar.js';
import {useChat, type ChatStore} from './hooks/use-chat.js';
import {useChatInput} from './hooks/use-chat-input.js';
import {useTerminalSize} from './hooks/use-terminal-size.js';

export type ChatActions = {
	readonly send: (text: string) => void;
	readonly toggleProtocol: () => void;
};

export type AppProps = {
	readonly service: ChatStore & ChatActions;
};

/** Rows below the message pane: the input box (a rule and a line) and the status bar. */
const chromeRows = 3;

export function App({service}: AppProps) {
	const snapshot = useChat(service);
	const {columns, rows} = useTerminalSize();
	const {exit} = useApp();
	const input = useChatInput({
		onSubmit(text) {
			service.send(text);
		},
		onToggleProtocol() {
			service.toggleProtocol();
		},
		onExit() {
			exit();
		},
	});
	// One row stays free: Ink redraws the whole screen when its output is as tall as the terminal.
	const height = Math.max(chromeRows + 1, rows - 1);
	const paneHeight = height - chromeRows;

	return (
		<Box flexDirection="column" width={columns} height={height}>
			<MessagePane lines={snapshot.lines} width={columns} height={paneHeight} />
			<InputBox line={input} width={columns} row={paneHeight + 1} placeholder={`type a message, Enter sends over ${snapshot.protocol.toUpperCase()}`} />
			<StatusBar snapshot={snapshot} width={columns} />
		</Box>
	);
}
