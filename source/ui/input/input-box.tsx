import {Box, Text, useCursor} from 'ink';
import {memo} from 'react';
import type {InputLine} from './input-line.js';
import {hiddenAfterMark, hiddenBeforeMark, inputPrompt as prompt, inputWindow, newlineMark, shownDraft} from './input-window.js';
import {glyphs} from '../../text/glyphs.js';

export type InputBoxProps = {
	readonly line: InputLine;
	readonly width: number;
	/** Row of the input text inside the whole app, for placing the terminal cursor there. */
	readonly row: number;
	readonly placeholder?: string;
	/** Shown at the right of the rule, e.g. "12 B" or "1.2 kB: 2 datagrams". */
	readonly info?: string;
};

/** The draft's text with each line-break mark dimmed, so it reads as a mark and not as typed text. */
function Draft({text}: {readonly text: string}) {
	const parts = text.split(newlineMark);
	return parts.map((part, index) => (
		<Text key={index}>
			{index > 0 ? <Text dimColor>{newlineMark}</Text> : null}
			{part}
		</Text>
	));
}

/** Memoised: a frame that changes only the pane or the status bar leaves it (and the cursor it set) alone. */
export const InputBox = memo(function InputBox({line, width, row, placeholder, info}: InputBoxProps) {
	const {text, cursorColumn, hiddenBefore, hiddenAfter} = inputWindow(shownDraft(line.value), line.cursor, width - prompt.length);
	const {setCursorPosition} = useCursor();
	// The real cursor (not a drawn one), so input methods compose CJK text in the right place. Set while
	// rendering: Ink applies it when this frame is committed.
	setCursorPosition({x: prompt.length + cursorColumn, y: row});

	return (
		<Box width={width} height={2} flexDirection="column">
			<Text dimColor wrap="truncate">
				{info ? `${glyphs.rule.repeat(Math.max(0, width - info.length - 3))} ${info} ${glyphs.rule}` : glyphs.rule.repeat(Math.max(0, width))}
			</Text>
			<Text wrap="truncate">
				<Text bold>{prompt}</Text>
				{hiddenBefore ? <Text dimColor>{hiddenBeforeMark}</Text> : null}
				{text === '' && placeholder ? <Text dimColor>{placeholder}</Text> : <Draft text={text} />}
				{hiddenAfter ? <Text dimColor>{hiddenAfterMark}</Text> : null}
			</Text>
		</Box>
	);
});
