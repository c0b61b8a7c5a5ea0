import {useMemo, type ReactNode} from 'react';
import {InputBox} from './input-box.js';
import {inputPrompt} from './input-window.js';
import {PastePrompt} from './paste-prompt.js';
import {useChatInput, type ChatInputHandlers} from './use-chat-input.js';

export type ChatInputProps = {
	/** Stable across renders (see useLatestHandlers): a key re-renders this component, never the App. */
	readonly handlers: ChatInputHandlers;
	readonly width: number;
	/** Row of the input text inside the whole app, for the terminal cursor. */
	readonly row: number;
	readonly placeholder: string;
	/** What the rule says of a draft ("12 B"); a new function when its answer may change (protocol, encoding...). */
	readonly describeDraft: (text: string) => string | undefined;
	/** Shown below the input box, unless a multi-line paste waits there for Enter or Esc. */
	readonly status: ReactNode;
};

/**
 * The input line with its own state: a typed key re-renders this subtree only. The status element comes
 * from the App unchanged between keys, so React skips it; when the App renders (a message, a scroll), the
 * memoised InputBox and StatusBar each draw again only if what they show changed.
 */
export function ChatInput({handlers, width, row, placeholder, describeDraft, status}: ChatInputProps) {
	const input = useChatInput(handlers, width - inputPrompt.length);
	const {value} = input.line;
	// Measured once per draft (a long UDP draft is cut into datagrams to count them), not per frame.
	const info = useMemo(() => (value === '' ? undefined : describeDraft(value)), [value, describeDraft]);
	return (
		<>
			<InputBox line={input.line} width={width} row={row} placeholder={placeholder} info={info} />
			{input.paste ? <PastePrompt lines={input.paste} width={width} /> : status}
		</>
	);
}
