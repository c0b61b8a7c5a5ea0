import {useStdin} from 'ink';
import {useEffect, useRef} from 'react';
import {decodeKeys, type KeyEvent} from './decode.js';

/**
 * Raw key events from Ink's stdin. Ink's own useInput folds Backspace and Delete into one key and types
 * Ctrl+T's letter into text inputs, so the chat reads the input events itself and decodes them in keys.ts.
 */
/** The handler gets all events of one input chunk at once, so a paste can be told from typing. */
export function useKeyEvents(handler: (events: KeyEvent[]) => void): void {
	const {internal_eventEmitter: emitter, setRawMode, isRawModeSupported} = useStdin();
	const handlerRef = useRef(handler);
	handlerRef.current = handler;

	useEffect(() => {
		if (!isRawModeSupported) {
			return;
		}

		setRawMode(true);
		return () => {
			setRawMode(false);
		};
	}, [isRawModeSupported, setRawMode]);

	useEffect(() => {
		const onInput = (raw: string) => {
			const events = decodeKeys(raw);
			if (events.length > 0) {
				handlerRef.current(events);
			}
		};

		emitter.on('input', onInput);
		return () => {
			emitter.off('input', onInput);
		};
	}, [emitter]);
}
