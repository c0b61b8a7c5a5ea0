import {Box, Text} from 'ink';
import {memo} from 'react';
import {tailRows} from '../format-line.js';
import type {ChatLine} from '../net/chat-line.js';
import {toneStyle} from '../theme.js';

export type MessagePaneProps = {
	readonly lines: readonly ChatLine[];
	readonly width: number;
	readonly height: number;
};

/** A window onto the history: only the rows that fit are laid out and rendered. */
export const MessagePane = memo(function MessagePane({lines, width, height}: MessagePaneProps) {
	const rows = tailRows(lines, width, height);
	return (
		<Box flexDirection="column" height={height} width={width} justifyContent="flex-end" overflow="hidden">
			{rows.map(row => (
				<Text key={row.key} wrap="truncate">
					{row.segments.map((segment, index) => (
						// eslint-disable-next-line react/no-array-index-key
						<Text key={index} {...toneStyle(segment.tone)}>
							{segment.text}
						</Text>
					))}
				</Text>
			))}
		</Box>
	);
});
