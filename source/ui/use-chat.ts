import {useSyncExternalStore} from 'react';
import type {ChatSnapshot} from '../domain/snapshot.js';

export type ChatStore = {
	readonly subscribe: (listener: () => void) => () => void;
	readonly getSnapshot: () => ChatSnapshot;
};

/** The one place the UI reads the socket service. */
export function useChat(store: ChatStore): ChatSnapshot {
	return useSyncExternalStore(store.subscribe, store.getSnapshot);
}
