import {Box, Text} from 'ink';
import {memo} from 'react';
import type {Row} from './format-line.js';
import {toneStyle} from './theme.js';

export type MessagePaneProps = {
	readonly rows: readonly Row[];
	readonly width: number;
	readonly height: number;
	/** Set while scrolled up: how many messages arrived below the view. */
	readonly newBelow?: number | undefined;
};

/** A window onto the history: the caller lays out only the rows that fit. */
export const MessagePane = memo(function MessagePane({rows, width, height, newBelow}: MessagePaneProps) {
	return (
		<Box flexDirection="column" height={height} width={width} justifyContent="flex-end">
			{rows.map(row => (
				<Text key={row.key} wrap="truncate">
					{row.segments.map((segment, index) => (
						// eslint-disable-next-line react/no-array-index-key
						<Text key={index} {...toneStyle(segment.tone, segment.nick)}>
							{segment.text}
						</Text>
					))}
				</Text>
			))}
			{newBelow === undefined ? null : (
				<Text wrap="truncate" inverse>
					{` -- scrolled up: ${newBelow} new ${newBelow === 1 ? 'message' : 'messages'} below (PageDown, End: back to live) -- `}
				</Text>
			)}
		</Box>
	);
});
