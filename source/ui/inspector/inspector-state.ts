import type {InspectFilter} from '../commands/parse-inspect.js';

export type InspectorState = {
	readonly open: boolean;
	readonly filter: InspectFilter;
	/** The view holds still (records are still captured and counted). */
	readonly paused: boolean;
	/** Rows scrolled up from the newest; 0 is live. */
	readonly scroll: number;
};

export type InspectorAction =
	| {readonly type: 'toggle'}
	| {readonly type: 'close'}
	| {readonly type: 'show'; readonly filter: InspectFilter}
	| {readonly type: 'pause'}
	/** `max`: the most rows there are to scroll, as last laid out. */
	| {readonly type: 'scroll'; readonly by: number; readonly max: number};

export const closedInspector: InspectorState = {open: false, filter: {kind: 'all'}, paused: false, scroll: 0};

export function reduceInspector(state: InspectorState, action: InspectorAction): InspectorState {
	switch (action.type) {
		case 'toggle': {
			return state.open ? closedInspector : {...closedInspector, open: true, filter: state.filter};
		}

		case 'close': {
			return closedInspector;
		}

		case 'show': {
			return {...state, open: true, filter: action.filter, scroll: 0};
		}

		case 'pause': {
			return state.open ? {...state, paused: !state.paused} : state;
		}

		case 'scroll': {
			return state.open ? {...state, scroll: Math.max(0, Math.min(action.max, state.scroll + action.by))} : state;
		}
	}
}
