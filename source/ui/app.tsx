import {Box, useApp} from 'ink';
import {useCallback, useEffect, useMemo, useRef, useState} from 'react';
import type {ConversationSummary} from '../domain/conversation.js';
import type {ChatSnapshot} from '../domain/snapshot.js';
import {activeBuffers, currentBuffer, currentConversation, currentIndex, type BufferList} from './buffers/buffer-list.js';
import {bufferLines} from './buffers/buffer-lines.js';
import {readMarker} from './buffers/read-marker.js';
import {useAlerts} from './buffers/use-alerts.js';
import {useBuffers} from './buffers/use-buffers.js';
import {runInput, type ChatActions} from './commands/run.js';
import {ChatInput} from './input/chat-input.js';
import {completionSources} from './input/completion-sources.js';
import type {ChatInputHandlers, ScrollKey} from './input/use-chat-input.js';
import {useLatestHandlers} from './input/use-latest-handlers.js';
import {InspectorPane} from './inspector/inspector-pane.js';
import {paneLayout} from './inspector/inspector-layout.js';
import {useInspector} from './inspector/use-inspector.js';
import {NickList, nickListWidth} from './nicklist/nick-list.js';
import {defaultDisplay, type DisplayOptions} from './display-options.js';
import type {LayoutOptions} from './pane/format-line.js';
import {setTimeFormat} from './pane/format-line.js';
import {MessagePane} from './pane/message-pane.js';
import {live, pageDown, pageUp, view} from './pane/scrollback.js';
import {StatusBar, type BufferStatus} from './status/status-bar.js';
import {useChat, type ChatStore} from './use-chat.js';
import {useTerminalSize} from './use-terminal-size.js';
import {glyphs} from '../text/glyphs.js';
import type {PacketCapture} from '../net/index.js';

export type {ChatActions} from './commands/run.js';

export type AppProps = {
	readonly service: ChatStore & ChatActions;
	/** How the chat looks and alerts at start (/bell and /notify change it while it runs). */
	readonly display?: DisplayOptions;
	/** Writes the terminal bell (BEL); called as display.bell says, at most once a second. */
	readonly bell?: () => void;
	/** Writes a desktop notification (OSC 9 / OSC 777) for a mention, when display.notify is on. */
	readonly notify?: (title: string, body: string) => void;
	/** Asked before quitting (Ctrl+C, Ctrl+D, /quit): false holds the quit once, e.g. with messages undelivered. */
	readonly confirmQuit?: (again: string, conversation: string | undefined) => boolean;
	/** What the packet inspector (F2) captures into; the App makes its own when not given. */
	readonly capture?: PacketCapture;
};

/** Rows below the message pane: the input box (a rule and a line) and the status bar. */
const chromeRows = 3;

function draftInfo(draft: {bytes: number; datagrams: number}, protocol: string, maxDatagram: number): string {
	return protocol === 'udp' && draft.datagrams > 1 ? `${draft.bytes} B: ${draft.datagrams} datagrams of ${glyphs.atMost}${maxDatagram} B` : `${draft.bytes} B`;
}

/** In a conversation's buffer it names where Enter sends; buffer 1 sends to the target the status bar names. */
function placeholder(protocol: string, conversationName: string | undefined): string {
	const where = conversationName === undefined ? '' : ` to ${conversationName}`;
	return `type a message, Enter sends${where} over ${protocol.toUpperCase()}; /help for commands`;
}

function bufferStatus(list: BufferList, conversation: ConversationSummary | undefined): BufferStatus {
	const buffer = currentBuffer(list);
	return {number: currentIndex(list) + 1, name: buffer.name, conversation, count: list.entries.length, active: activeBuffers(list)};
}

function conversationOf(snapshot: ChatSnapshot, id: string | undefined): ConversationSummary | undefined {
	return id === undefined ? undefined : snapshot.conversations.find(conversation => conversation.id === id);
}

/** Your nick where a line was said: on an IRC network, your nick there. Rebuilt only when a nick changes. */
function useNickFor(snapshot: ChatSnapshot): (conversation: string | undefined) => string {
	const networkNicks = snapshot.conversations.flatMap(summary => (summary.network ? [`${summary.id}\u0000${summary.network.nick}`] : []));
	const key = [snapshot.nick, ...networkNicks].join('\n');
	return useMemo(() => {
		const nicks = new Map(networkNicks.map(entry => entry.split('\u0000') as [string, string]));
		return (conversation: string | undefined) => (conversation === undefined ? undefined : nicks.get(conversation)) ?? snapshot.nick;
	}, [key]);
}

export function App({service, bell, notify, confirmQuit, capture, display: initialDisplay = defaultDisplay}: AppProps) {
	const snapshot = useChat(service);
	const {columns, rows} = useTerminalSize();
	const {exit} = useApp();
	const buffers = useBuffers(snapshot);
	// One row stays free: Ink redraws the whole screen when its output is as tall as the terminal.
	const height = Math.max(chromeRows + 1, rows - 1);
	const inspector = useInspector({
		capture,
		peers: () => snapshot.peers,
		notice: (text, level) => service.notice(text, level, currentConversation(buffers.get())),
	});
	// The messages' part of the area above the input box: all of it unless the inspector is open.
	const layout = paneLayout(inspector.state, columns, height - chromeRows);
	const paneHeight = layout.height;
	const [nicklistShown, setNicklistShown] = useState(true);
	// Set before anything is laid out: the time format is the same for every line.
	setTimeFormat(initialDisplay.timeFormat);
	// A ref beside the state: a /bell typed in the same chunk as the next line is read at once.
	const [display, setDisplayState] = useState(initialDisplay);
	const displayRef = useRef(initialDisplay);
	const setDisplay = useCallback((change: Partial<DisplayOptions>) => {
		displayRef.current = {...displayRef.current, ...change};
		setDisplayState(displayRef.current);
	}, []);
	useAlerts(buffers.list, display, {bell, notify});
	// An IRC channel the user asked for (--irc, /join, /server) is shown as soon as it exists.
	const focus = snapshot.focus;
	useEffect(() => {
		if (focus) {
			buffers.dispatch({type: 'open', id: focus.conversation});
		}
	}, [focus?.serial]);

	const toggleNicklist = () => {
		setNicklistShown(shown => !shown);
	};

	const onScroll = (key: ScrollKey) => {
		// Read now, not from this render: a buffer switch earlier in the same input counts.
		const buffer = currentBuffer(buffers.get());
		const lines = bufferLines(snapshot.lines, buffer.id);
		const options: LayoutOptions = {nickFor, marker: readMarker(lines, buffer.readId)};
		const scroll =
			key === 'end'
				? live
				: key === 'page-up'
					? pageUp(lines, paneWidth, paneHeight, buffer.scroll, options)
					: pageDown(lines, paneWidth, paneHeight, buffer.scroll, options);
		buffers.dispatch({type: 'scroll', scroll});
	};

	// The input line keeps its own state (ChatInput): a key re-renders it alone. What it asks of the App goes
	// through these, which always read this render's state and buffers.
	const handlers = useLatestHandlers<Required<ChatInputHandlers>>({
		onSubmit(text) {
			runInput(text, service, {
				buffers: buffers.get,
				dispatch: buffers.dispatch,
				quit(before) {
					if (confirmQuit?.('/quit', currentConversation(buffers.get())) ?? true) {
						before?.();
						exit();
					}
				},
				toggleNicklist,
				inspect: inspector.run,
				display: () => displayRef.current,
				setDisplay,
				status: () => ({nick: snapshot.nick, protocol: snapshot.protocol, encoding: snapshot.encoding}),
			});
		},
		onToggleProtocol() {
			service.toggleProtocol(currentConversation(buffers.get()));
		},
		onToggleNicklist: toggleNicklist,
		onScroll,
		onBuffer: buffers.dispatch,
		onExit() {
			if (confirmQuit?.('Ctrl+C', currentConversation(buffers.get())) ?? true) {
				exit();
			}
		},
		completions: () => completionSources(snapshot, currentConversation(buffers.get())),
	});

	const buffer = currentBuffer(buffers.list);
	const id = currentConversation(buffers.list);
	const conversation = conversationOf(snapshot, id);
	const protocol = conversation?.network ? 'irc' : (conversation?.protocol ?? snapshot.protocol);
	const nicklist = nicklistShown && conversation?.kind === 'channel' && layout.width >= 60 ? {members: conversation.members, width: nickListWidth(conversation.members, layout.width)} : undefined;
	const paneWidth = layout.width - (nicklist?.width ?? 0);
	const lines = bufferLines(snapshot.lines, buffer.id);
	const nickFor = useNickFor(snapshot);
	const marker = useMemo(() => readMarker(lines, buffer.readId), [lines, buffer.readId]);
	// Laid out again only when the buffer's lines, its scroll, the marker, a nick or the size change, not for every key typed.
	const shown = useMemo(
		() => view(lines, paneWidth, paneHeight, buffer.scroll, {nickFor, marker}),
		[lines, buffer.scroll, nickFor, marker, paneWidth, paneHeight],
	);

	// A new function (and so a new measure of the draft) only when the answer may change: the encoding and
	// the seal change the bytes measureDraft counts.
	const {maxDatagram, encoding, sealed} = snapshot;
	const describeDraft = useCallback(
		(text: string) => draftInfo(service.measureDraft(text), protocol, maxDatagram),
		[service, protocol, maxDatagram, encoding, sealed],
	);

	return (
		<Box flexDirection="column" width={columns} height={height}>
			<Box height={height - chromeRows} width={columns} flexDirection={layout.inspector?.side === 'below' ? 'column' : 'row'}>
				<Box height={paneHeight} width={layout.width}>
					<MessagePane rows={shown.rows} width={paneWidth} height={paneHeight} newBelow={shown.held ? shown.newBelow : undefined} />
					{nicklist ? <NickList members={nicklist.members} width={nicklist.width} height={paneHeight} /> : null}
				</Box>
				{layout.inspector ? (
					<InspectorPane {...inspector.pane} width={layout.inspector.width} height={layout.inspector.height} />
				) : null}
			</Box>
			<ChatInput
				handlers={handlers}
				width={columns}
				row={height - chromeRows + 1}
				placeholder={placeholder(protocol, id === undefined ? undefined : buffer.name)}
				describeDraft={describeDraft}
				status={<StatusBar snapshot={snapshot} width={columns} buffers={bufferStatus(buffers.list, conversation)} />}
			/>
		</Box>
	);
}
