import {useEffect, useReducer, useRef, useState, type RefObject} from 'react';
import type {PeerSummary} from '../../domain/snapshot.js';
import {PacketCapture} from '../../net/index.js';
import type {InspectCommand} from '../commands/parse-inspect.js';
import {isInspectorCommand, type InspectorCommand} from '../keys/bindings.js';
import {useKeyEvents} from '../keys/use-key-events.js';
import {closedInspector, reduceInspector, type InspectorAction, type InspectorState} from './inspector-state.js';

export type InspectorOptions = {
	/** One made for the App when not given (tests give their own). */
	readonly capture?: PacketCapture;
	/** Read when /inspect peer N runs. */
	readonly peers: () => readonly PeerSummary[];
	readonly notice: (text: string, level: 'info' | 'error') => void;
};

export type ScrollLimits = {readonly max: number; readonly page: number};

export type Inspector = {
	readonly state: InspectorState;
	/** What the pane needs besides its size; it re-renders when one of them changes, or the capture publishes. */
	readonly pane: {
		readonly capture: PacketCapture;
		readonly state: InspectorState;
		/** Only for a peer filter (else always the same empty list): the chat's peers change with every message. */
		readonly peers: readonly PeerSummary[];
		/** How far the scroll keys go and how far a page is: the pane sets them each time it is laid out. */
		readonly scrollLimits: RefObject<ScrollLimits>;
	};
	/** Runs a parsed /inspect (the command runner hands it on). */
	readonly run: (command: InspectCommand) => void;
};

const noPeers: readonly PeerSummary[] = [];

function keyAction(command: InspectorCommand, max: number, page: number): InspectorAction {
	switch (command) {
		case 'inspector-toggle': {
			return {type: 'toggle'};
		}

		case 'inspector-pause': {
			return {type: 'pause'};
		}

		default: {
			const rows = command === 'inspector-up' || command === 'inspector-down' ? 1 : page;
			return {type: 'scroll', by: command.endsWith('up') ? rows : -rows, max};
		}
	}
}

/**
 * The packet inspector's state, keys (F2, F3, Shift/Alt+Up/Down, read beside the input line, which ignores
 * them) and /inspect; the capture runs only while the pane is open.
 */
export function useInspector({capture: given, peers, notice}: InspectorOptions): Inspector {
	const [capture] = useState(() => given ?? new PacketCapture());
	const [state, dispatch] = useReducer(reduceInspector, closedInspector);
	const scrollLimits = useRef<ScrollLimits>({max: 0, page: 10});
	useEffect(() => {
		if (!state.open) {
			return;
		}

		capture.start();
		return () => {
			capture.stop();
		};
	}, [state.open, capture]);

	useKeyEvents(events => {
		for (const event of events) {
			if (event.type === 'key' && isInspectorCommand(event.name)) {
				dispatch(keyAction(event.name, scrollLimits.current.max, scrollLimits.current.page));
			}
		}
	});

	const run = (command: InspectCommand) => {
		switch (command.type) {
			case 'inspect-toggle': {
				dispatch({type: 'toggle'});
				break;
			}

			case 'inspect-off': {
				dispatch({type: 'close'});
				break;
			}

			case 'inspect-show': {
				const {filter} = command;
				if (filter.kind === 'peer' && !peers().some(peer => peer.number === filter.number)) {
					notice(`No peer ${filter.number}: /peers lists them.`, 'error');
				} else {
					dispatch({type: 'show', filter});
				}

				break;
			}

			case 'inspect-error': {
				notice(command.message, 'error');
				break;
			}
		}
	};

	const pane = {capture, state, peers: state.filter.kind === 'peer' ? peers() : noPeers, scrollLimits};
	return {state, pane, run};
}
