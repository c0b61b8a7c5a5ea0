import {afterAll, afterEach, describe, expect, it, vi} from 'vitest';

// Chalk decides on colour when Ink is first imported: forced so the configured colours can be seen.
const previousForceColor = vi.hoisted(() => {
	const previous = process.env['FORCE_COLOR'];
	process.env['FORCE_COLOR'] = '1';
	return previous;
});

import type {ChatLine} from '../../source/domain/snapshot.js';
import {setDateChanges, tailRows} from '../../source/ui/pane/format-line.js';
import {MessagePane} from '../../source/ui/pane/message-pane.js';
import {setColours} from '../../source/ui/pane/theme.js';
import {StatusBar} from '../../source/ui/status/status-bar.js';
import {inLine, outLine, snapshot} from '../helpers/fake-store.js';
import {render, rows} from '../helpers/render.js';

afterAll(() => {
	if (previousForceColor === undefined) {
		delete process.env['FORCE_COLOR'];
	} else {
		process.env['FORCE_COLOR'] = previousForceColor;
	}
});

afterEach(() => {
	setColours();
	setDateChanges(true);
});

const pane = (lines: readonly ChatLine[], width = 50, height = 6) => render(<MessagePane rows={tailRows(lines, width, height)} width={width} height={height} />);

/** The SGR parameters written right before `needle` in a raw frame. */
function sgrBefore(raw: string, needle: string): string[] {
	const index = raw.indexOf(needle);
	expect(index, `${needle} in the frame`).toBeGreaterThanOrEqual(0);
	const run = /(?:\u001B\[[\d;]*m)*$/.exec(raw.slice(0, index))?.[0] ?? '';
	return [...run.matchAll(/\u001B\[([\d;]*)m/g)].map(match => match[1] ?? '');
}

describe('MessagePane: date changes and colours', () => {
	const late = () => inLine('good night', {time: new Date(2026, 11, 1, 23, 59).getTime()});
	const early = () => inLine('good morning', {time: new Date(2026, 11, 2, 0, 1).getTime()});

	it('draws a dim rule with the date between the lines of two days', () => {
		const frame = pane([late(), early()]);
		expect(rows(frame.frame()).filter(Boolean)).toEqual([
			'23:59:00 udp <peer> good night',
			`── Wednesday 2 December 2026 ${'─'.repeat(21)}`,
			'00:01:00 udp <peer> good morning',
		]);
		expect(sgrBefore(frame.rawFrame(), '── Wednesday')).toContain('2');
	});

	it('draws no rule with date_changes = false', () => {
		setDateChanges(false);
		expect(rows(pane([late(), early()]).frame()).filter(Boolean)).toHaveLength(2);
	});

	it('draws the tones in the colours of [colours], "#rrggbb" included, and "default" as no colour', () => {
		setColours({own: 'magentaBright', date: '#ff0000', nicks: ['blue'], time: 'default'});
		const raw = pane([late(), early(), outLine('mine', {from: 'me', time: new Date(2026, 11, 2, 0, 2).getTime()})]).rawFrame();
		expect(sgrBefore(raw, '<me>')).toContain('95');
		expect(sgrBefore(raw, '<peer>')).toContain('34');
		expect(sgrBefore(raw, '── Wednesday').join(';')).toMatch(/^38;2;255;0;0$|^38;5;196$|^91$/);
		// The time is neither dim (2) nor coloured.
		expect(sgrBefore(raw, '00:01:00')).toEqual([]);
	});
});

describe('StatusBar: a mention in the colour of mentions', () => {
	it('follows a configured mention colour', () => {
		setColours({mention: 'cyanBright'});
		const buffers = {number: 1, name: 'all', conversation: undefined, count: 3, active: [{number: 3, activity: 'mention' as const}]};
		const raw = render(<StatusBar snapshot={snapshot()} width={100} buffers={buffers} />).rawFrame();
		expect(raw).toMatch(/\u001B\[96m3!/);
	});
});
