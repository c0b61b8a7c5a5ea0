import {Box, Text} from 'ink';
import {glyphs} from '../../text/glyphs.js';

export type PastePromptProps = {
	readonly lines: readonly string[];
	readonly width: number;
};

/** A multi-line paste waits here, so a stray paste never floods the peer. */
export function PastePrompt({lines, width}: PastePromptProps) {
	const first = lines[0] ?? '';
	return (
		<Box width={width} height={1}>
			<Text wrap="truncate" bold>
				{`Paste of ${lines.length} lines ("${first}"${glyphs.ellipsis}): Enter sends them all, Esc drops them`}
			</Text>
		</Box>
	);
}
