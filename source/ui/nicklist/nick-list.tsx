import {Box, Text} from 'ink';
import {memo} from 'react';
import {textWidth} from '../../text/text-width.js';
import {nickColour, useColor} from '../pane/theme.js';

export type NickListProps = {
	readonly members: readonly string[];
	readonly width: number;
	readonly height: number;
};

/** Columns the nick list takes: room for most nicks, never more than a quarter of the terminal. */
export function nickListWidth(members: readonly string[], columns: number): number {
	const widest = Math.max(8, ...members.slice(0, 500).map(member => textWidth(member)));
	return Math.min(Math.floor(columns / 4), widest + 2);
}

/** A channel's members beside the pane, highest rank first, as weechat shows them; "+N more" when cut. */
export const NickList = memo(function NickList({members, width, height}: NickListProps) {
	const room = Math.max(0, height - 1);
	const cut = members.length > room;
	const shown = members.slice(0, cut ? Math.max(0, room - 1) : room);
	return (
		<Box flexDirection="column" width={width} height={height} paddingLeft={1} borderStyle="single" borderTop={false} borderBottom={false} borderRight={false}>
			<Text bold wrap="truncate">
				{`${members.length} ${members.length === 1 ? 'nick' : 'nicks'}`}
			</Text>
			{shown.map(member => (
				<Text key={member} wrap="truncate" {...(useColor ? {color: nickColour(member.replace(/^[~&@%+]+/, ''))} : {})}>
					{member}
				</Text>
			))}
			{cut ? <Text dimColor>{`+${members.length - shown.length} more`}</Text> : null}
		</Box>
	);
});
