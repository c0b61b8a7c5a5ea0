import type {InspectorState} from './inspector-state.js';

/** Where the inspector goes: beside the messages on a wide terminal, else below them, in part of their height. */
export type InspectorPlacement = {readonly side: 'beside' | 'below'; readonly width: number; readonly height: number};

export type PaneLayout = {
	readonly inspector: InspectorPlacement | undefined;
	/** What is left for the messages and the nick list beside them. */
	readonly width: number;
	readonly height: number;
};

export const besideFromColumns = 140;
/** 16 bytes a dump row and their ASCII, with the indent. */
const besideWidth = 74;
const messagesKeepRows = 4;

export function placeInspector(columns: number, paneHeight: number): InspectorPlacement {
	if (columns >= besideFromColumns) {
		return {side: 'beside', width: besideWidth, height: paneHeight};
	}

	return {side: 'below', width: columns, height: Math.max(2, Math.min(Math.floor(paneHeight * 0.45), paneHeight - messagesKeepRows))};
}

/** The area above the input box, split between the messages and the inspector when it is open. */
export function paneLayout(state: InspectorState, columns: number, paneHeight: number): PaneLayout {
	if (!state.open) {
		return {inspector: undefined, width: columns, height: paneHeight};
	}

	const inspector = placeInspector(columns, paneHeight);
	return inspector.side === 'beside'
		? {inspector, width: columns - inspector.width, height: paneHeight}
		: {inspector, width: columns, height: paneHeight - inspector.height};
}
