import {useCallback, useReducer, useRef} from 'react';
import type {ChatSnapshot} from '../../domain/snapshot.js';
import {initialBuffers, reduceBuffers, type BufferAction, type BufferList} from './buffer-list.js';

export type Buffers = {
	readonly list: BufferList;
	/** The list as it is now, for handlers that run before the next render. */
	readonly get: () => BufferList;
	readonly dispatch: (action: BufferAction) => void;
};

/**
 * The buffer list, brought up to date with each snapshot while rendering (so a frame never shows a
 * snapshot's lines with the buffers of the one before). Kept in a ref, as the input line is, so that
 * several keys in one chunk each see the result of the one before.
 */
export function useBuffers(snapshot: ChatSnapshot): Buffers {
	const listRef = useRef<BufferList>(initialBuffers);
	const syncedRef = useRef<ChatSnapshot | undefined>(undefined);
	const [, rerender] = useReducer((count: number) => count + 1, 0);
	const synced = syncedRef.current;
	if (synced?.lines !== snapshot.lines || synced.conversations !== snapshot.conversations || synced.nick !== snapshot.nick) {
		listRef.current = reduceBuffers(listRef.current, {type: 'sync', lines: snapshot.lines, conversations: snapshot.conversations, nick: snapshot.nick});
		syncedRef.current = snapshot;
	}

	const get = useCallback(() => listRef.current, []);
	const dispatch = useCallback((action: BufferAction) => {
		const next = reduceBuffers(listRef.current, action);
		if (next !== listRef.current) {
			listRef.current = next;
			rerender();
		}
	}, []);

	return {list: listRef.current, get, dispatch};
}
