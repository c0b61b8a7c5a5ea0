import {afterAll, describe, expect, it, vi} from 'vitest';

// Chalk decides on colour when Ink is first imported: forced on, so the highlight's style can be seen.
const previousForceColor = vi.hoisted(() => {
	const previous = process.env['FORCE_COLOR'];
	process.env['FORCE_COLOR'] = '1';
	return previous;
});

import {MessagePane} from '../../source/ui/pane/message-pane.js';
import {tailRows} from '../../source/ui/pane/format-line.js';
import type {ChatLine} from '../../source/domain/snapshot.js';
import {toneStyle} from '../../source/ui/pane/theme.js';
import {fixedClock, inLine} from '../helpers/fake-store.js';
import {render, rows} from '../helpers/render.js';

afterAll(() => {
	if (previousForceColor === undefined) {
		delete process.env['FORCE_COLOR'];
	} else {
		process.env['FORCE_COLOR'] = previousForceColor;
	}
});

const nickFor = () => 'alice';

function pane(lines: readonly ChatLine[], marker?: {beforeId: number; label: string}) {
	const shown = tailRows(lines, 60, 10, lines.length, {nickFor, ...(marker ? {marker} : {})});
	return render(<MessagePane rows={shown} width={60} height={10} />);
}

/** The escape codes just before text in a raw frame. */
function styleBefore(raw: string, text: string): string {
	const at = raw.indexOf(text);
	return /(?:\u001B\[[\d;]*m)*$/.exec(raw.slice(0, at))?.[0] ?? '';
}

describe('MessagePane: mentions', () => {
	it('draws the text of a line naming you in its own style, and other lines plain', () => {
		const raw = pane([inLine('hi Alice, look'), inLine('just talk')]).rawFrame();
		// Yellow, as the status bar's "3!" for the buffer.
		expect(styleBefore(raw, 'hi Alice, look')).toContain('\u001B[33m');
		expect(styleBefore(raw, 'just talk')).not.toContain('\u001B[33m');
		expect(styleBefore(raw, 'just talk')).not.toContain('\u001B[1m');
	});

	it('has a style for mentions apart from plain text and from errors', () => {
		expect(toneStyle('mention')).not.toEqual(toneStyle('text'));
		expect(toneStyle('mention')).not.toEqual(toneStyle('error'));
	});

	it('keeps mentions apart without colour (NO_COLOR): bold', async () => {
		vi.stubEnv('NO_COLOR', '1');
		vi.resetModules();
		try {
			const theme = await import('../../source/ui/pane/theme.js');
			expect(theme.useColor).toBe(false);
			expect(theme.toneStyle('mention')).toEqual({bold: true});
			expect(theme.toneStyle('text')).toEqual({});
		} finally {
			vi.unstubAllEnvs();
			vi.resetModules();
		}
	});
});

describe('MessagePane: read marker', () => {
	it('draws a rule above the first line not read yet, and none without a marker', () => {
		const read = inLine('read before');
		const fresh = inLine('new one');
		const marked = rows(pane([read, fresh], {beforeId: fresh.id, label: 'new since 12:34'}).frame()).filter(Boolean);
		expect(marked).toEqual([`${fixedClock} udp <peer> read before`, `── new since 12:34 ${'─'.repeat(41)}`, `${fixedClock} udp <peer> new one`]);
		expect(rows(pane([read, fresh]).frame()).filter(Boolean)).toHaveLength(2);
	});
});
