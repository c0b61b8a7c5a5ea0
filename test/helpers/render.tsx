import {stripVTControlCharacters} from 'node:util';
import {useEffect, type ReactElement, type ReactNode} from 'react';
import {render as inkRender} from 'ink-testing-library';
import {vi} from 'vitest';

/** What a terminal sends for each key (xterm sequences; Ink passes them through to the app unchanged). */
export const keys = {
	enter: '\r',
	backspace: '\u007F',
	delete: '\u001B[3~',
	left: '\u001B[D',
	right: '\u001B[C',
	up: '\u001B[A',
	down: '\u001B[B',
	home: '\u001B[H',
	end: '\u001B[F',
	pageUp: '\u001B[5~',
	pageDown: '\u001B[6~',
	ctrlA: '\u0001',
	ctrlE: '\u0005',
	ctrlT: '\u0014',
	ctrlC: '\u0003',
	tab: '\t',
} as const;

/** Retries an assertion until it passes, for about three seconds; never a fixed sleep. */
export async function waitFor<T>(assertion: () => T): Promise<T> {
	return vi.waitFor(assertion, {timeout: 3000, interval: 10});
}

/** Renders a component to a 100-column fake terminal; frame() is the last frame as plain text. */
export function render(tree: ReactElement) {
	const instance = inkRender(tree);
	return {
		...instance,
		frame(): string {
			return stripVTControlCharacters(instance.lastFrame() ?? '');
		},
		rawFrame(): string {
			return instance.lastFrame() ?? '';
		},
	};
}

export type Rendered = ReturnType<typeof render>;

function UnmountProbe({onUnmount, children}: {readonly onUnmount: () => void; readonly children: ReactNode}) {
	useEffect(() => onUnmount, [onUnmount]);
	return children;
}

/**
 * Renders an app that reads keys: waits until it listens to stdin (its effects run after the first frame)
 * so that no key is lost. `exited` settles once Ink has unmounted the tree, e.g. after useApp().exit();
 * ink-testing-library does not expose waitUntilExit, so a probe around the tree notices the unmount.
 */
export async function renderInteractive(tree: ReactElement) {
	let unmounted = false;
	let markExited: () => void = () => undefined;
	const exited = new Promise<void>(resolve => {
		markExited = resolve;
	});
	const onUnmount = () => {
		unmounted = true;
		markExited();
	};

	const rendered = render(<UnmountProbe onUnmount={onUnmount}>{tree}</UnmountProbe>);
	await waitFor(() => {
		if (rendered.stdin.listenerCount('readable') === 0) {
			throw new Error('the app does not read stdin yet');
		}
	});

	return {
		...rendered,
		exited,
		isUnmounted: () => unmounted,
		/** Sends one chunk of terminal input, as one read from the terminal. */
		press(data: string): void {
			rendered.stdin.write(data);
		},
	};
}

export type Interactive = Awaited<ReturnType<typeof renderInteractive>>;

/** The frame's rows with trailing spaces removed. */
export function rows(frame: string): string[] {
	return frame.split('\n').map(row => row.trimEnd());
}
