import {Box, Text} from 'ink';
import {memo, useRef, useSyncExternalStore, type RefObject} from 'react';
import type {PeerSummary} from '../../domain/snapshot.js';
import type {CaptureSnapshot, PacketCapture} from '../../net/index.js';
import {filterName, recordTest} from './inspector-filter.js';
import {inspectorView, type InspectorRow} from './inspector-rows.js';
import type {InspectorState} from './inspector-state.js';
import type {ScrollLimits} from './use-inspector.js';
import {useColor} from '../pane/theme.js';
import {glyphs} from '../../text/glyphs.js';

export type InspectorPaneProps = {
	readonly capture: PacketCapture;
	readonly state: InspectorState;
	readonly peers: readonly PeerSummary[];
	readonly width: number;
	/** With the title row. */
	readonly height: number;
	/** Set each time the pane is laid out: the scroll keys stop at the oldest row, and page by its height. */
	readonly scrollLimits: RefObject<ScrollLimits>;
};

const tones: Record<InspectorRow['tone'], {readonly color?: string; readonly dimColor?: boolean; readonly bold?: boolean}> = {
	head: useColor ? {color: 'cyan'} : {bold: true},
	dump: {},
	event: useColor ? {color: 'yellow'} : {},
};

function title(state: InspectorState, live: CaptureSnapshot, shown: CaptureSnapshot, matched: number): string {
	const held = live.seen - shown.seen;
	const parts = [
		'packets',
		filterName(state.filter),
		`${matched} shown of ${live.seen} seen`,
		...(state.paused ? [`paused${held > 0 ? `, ${held} new` : ''} (F3 resumes)`] : state.scroll > 0 ? [`scrolled${held > 0 ? `, ${held} new` : ''}`] : []),
		'F2 closes',
		'F3 pauses',
		'Shift/Alt+Up/Down scroll',
	];
	return ` ${parts.join(` ${glyphs.separator} `)} `;
}

/**
 * The packet inspector's pane: the last records the capture holds, filtered, newest at the bottom. It alone
 * reads the capture (re-rendering at most as often as the capture publishes), so the App does not. While
 * paused or scrolled up it keeps showing the records it had.
 */
export const InspectorPane = memo(function InspectorPane({capture, state, peers, width, height, scrollLimits}: InspectorPaneProps) {
	const live = useSyncExternalStore(capture.subscribe, capture.getSnapshot);
	const held = useRef(live);
	if (!state.paused && state.scroll === 0) {
		held.current = live;
	}

	const shown = held.current;
	const test = recordTest(state.filter, peers);
	const records = test ? shown.records.filter(record => test(record)) : [];
	const rowsHigh = Math.max(1, height - 1);
	const view = inspectorView(records, width, rowsHigh, state.scroll);
	scrollLimits.current = {max: Math.max(0, view.totalRows - rowsHigh), page: Math.max(1, rowsHigh - 1)};
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Text inverse wrap="truncate">
				{title(state, live, shown, records.length).padEnd(width)}
			</Text>
			<Box flexDirection="column" height={rowsHigh} justifyContent="flex-end">
				{test === undefined ? (
					<Text wrap="truncate">{`No peer ${filterName(state.filter)}: /peers lists them.`}</Text>
				) : view.rows.length === 0 ? (
					<Text dimColor wrap="truncate">
						Nothing yet: datagrams and TCP chunks show here as they pass.
					</Text>
				) : (
					view.rows.map(row => (
						<Text key={row.key} wrap="truncate" {...tones[row.tone]}>
							{row.text}
						</Text>
					))
				)}
			</Box>
		</Box>
	);
});
