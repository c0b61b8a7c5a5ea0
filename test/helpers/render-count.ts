import {memo, type ExoticComponent, type FunctionComponent} from 'react';

/** How often each counted component really rendered (a memo bail-out does not count). */
export const renderCounts = new Map<string, number>();

export function rendersOf(name: string): number {
	return renderCounts.get(name) ?? 0;
}

/** What memo() returns holds the function it renders in `type` and its comparison in `compare`. */
type Memoised<P> = {readonly type: FunctionComponent<P>; readonly compare: ((previous: P, next: P) => boolean) | null};

/**
 * The same component, memoised as it is (with its own comparison) or not, counting each render: for
 * vi.mock factories, so a test sees which parts of the App a key or a message draws again.
 */
export function counted<P extends object>(name: string, component: FunctionComponent<P> | ExoticComponent<P>): FunctionComponent<P> | ExoticComponent<P> {
	const memoised = typeof component !== 'function' ? (component as unknown as Memoised<P>) : undefined;
	const render = memoised ? memoised.type : (component as FunctionComponent<P>);
	function Counting(props: P) {
		renderCounts.set(name, rendersOf(name) + 1);
		return render(props);
	}

	return memoised ? memo(Counting, memoised.compare ?? undefined) : Counting;
}
