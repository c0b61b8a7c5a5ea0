import {useRef, useState} from 'react';

type Handlers = Record<string, (...args: never[]) => unknown>;

/**
 * One object for the component's whole life whose functions call the ones given at its latest render: a
 * child gets the same handlers every time (nothing to re-render for), and each call reads the parent's
 * current state and props.
 */
export function useLatestHandlers<T extends Handlers>(handlers: T): T {
	const latest = useRef(handlers);
	latest.current = handlers;
	const [stable] = useState(
		() => Object.fromEntries(Object.keys(handlers).map(name => [name, (...args: never[]) => latest.current[name]?.(...args)])) as T,
	);
	return stable;
}
