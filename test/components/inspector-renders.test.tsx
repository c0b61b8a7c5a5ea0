import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import {App} from '../../source/ui/app.js';
import {PacketCapture} from '../../source/net/index.js';
import {inspectHook} from '../../source/net/inspect/hook.js';
import {FakeStore, inLine} from '../helpers/fake-store.js';
import {renderInteractive, waitFor, type Interactive} from '../helpers/render.js';
import {renderCounts, rendersOf} from '../helpers/render-count.js';

vi.mock('../../source/ui/inspector/inspector-pane.js', async importOriginal => {
	const original = await importOriginal<typeof import('../../source/ui/inspector/inspector-pane.js')>();
	const {counted} = await import('../helpers/render-count.js');
	return {...original, InspectorPane: counted('InspectorPane', original.InspectorPane)};
});

let running: Interactive | undefined;
beforeEach(() => {
	renderCounts.clear();
});
afterEach(() => {
	running?.unmount();
	running = undefined;
	inspectHook.tap = undefined;
});

describe('the packet inspector pane renders', () => {
	it('at most once a batch under a flood of records, and not for typed keys or chat messages', async () => {
		const store = new FakeStore();
		const app = await renderInteractive(<App service={store} capture={new PacketCapture({batchMs: 100})} />);
		running = app;
		app.press('\u001BOQ');
		await waitFor(() => {
			expect(inspectHook.tap).toBeDefined();
			expect(app.frame()).toContain('packets · all');
		});
		const before = rendersOf('InspectorPane');
		const started = Date.now();
		// 2,000 datagrams over ~400 ms: four or five batches.
		for (let batch = 0; batch < 20; batch++) {
			for (let index = 0; index < 100; index++) {
				inspectHook.tap?.data('udp', 'in', '127.0.0.1:7852', '127.0.0.1:40000', Buffer.from(`flood ${batch * 100 + index}\n`));
			}

			// eslint-disable-next-line no-await-in-loop
			await new Promise(resolve => setTimeout(resolve, 20));
		}

		await waitFor(() => {
			expect(app.frame()).toContain('flood 1999');
		});
		const elapsed = Date.now() - started;
		expect(rendersOf('InspectorPane') - before).toBeLessThanOrEqual(Math.ceil(elapsed / 100) + 1);
		const settled = rendersOf('InspectorPane');
		app.press('abc');
		store.update({lines: [inLine('a chat message')]});
		await waitFor(() => {
			expect(app.frame()).toContain('a chat message');
			expect(app.frame()).toContain('> abc');
		});
		expect(rendersOf('InspectorPane')).toBe(settled);
	});
});
