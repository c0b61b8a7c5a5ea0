import {afterEach, expect} from 'vitest';
import {App} from '../../source/ui/app.js';
import {FakeStore} from './fake-store.js';
import {renderInteractive, rows, waitFor, type Interactive} from './render.js';

let running: Interactive[] = [];

afterEach(() => {
	for (const app of running) {
		app.unmount();
	}

	running = [];
});

/** The whole App on a fake service; unmounted after the test. */
export async function startApp(store = new FakeStore(), bell?: () => void): Promise<{app: Interactive; store: FakeStore}> {
	const app = await renderInteractive(<App service={store} bell={bell} />);
	running.push(app);
	return {app, store};
}

/** What the input row shows after the prompt ('' when it shows the placeholder). */
export function draft(app: Interactive): string {
	const row = rows(app.frame()).at(-2) ?? '';
	expect(row.startsWith('>'), `input row in:\n${app.frame()}`).toBe(true);
	const text = row.slice(2);
	return text.startsWith('type a message, Enter sends') ? '' : text;
}

export async function expectDraft(app: Interactive, text: string): Promise<void> {
	await waitFor(() => {
		expect(draft(app)).toBe(text);
	});
}

/** Types each chunk as its own terminal read, in order. */
export function type(app: Interactive, ...chunks: string[]): void {
	for (const chunk of chunks) {
		app.press(chunk);
	}
}
