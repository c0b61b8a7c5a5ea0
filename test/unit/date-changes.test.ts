import {afterEach, describe, expect, it, vi} from 'vitest';
import type {ChatLine} from '../../source/domain/snapshot.js';
import {dateLabel, layoutLine, setDateChanges, tailRows, type Row} from '../../source/ui/pane/format-line.js';
import {live, pageDown, pageUp, view, type Scroll} from '../../source/ui/pane/scrollback.js';
import {inLine, systemLine} from '../helpers/fake-store.js';

const width = 60;
const height = 20;
/** Local times, so the dates are the same in every time zone. */
const at = (day: number, hour: number, minute: number) => new Date(2026, 11, day, hour, minute).getTime();
const text = (row: Row | undefined) => row?.segments.map(segment => segment.text).join('') ?? '';
/** The message texts and date rules of a view, top to bottom. */
const shown = (rows: readonly Row[]) => rows.map(row => (row.key.endsWith(':date') ? `date ${text(row).split(' ').slice(1, 5).join(' ')}` : (row.segments.at(-1)?.text ?? '')));

afterEach(() => {
	setDateChanges(true);
});

describe('date-change rows', () => {
	it('puts a dim rule with the new date above the first line after midnight', () => {
		const late = inLine('late', {time: at(1, 23, 59)});
		const early = inLine('early', {time: at(2, 0, 1)});
		const rows = layoutLine(early, width, undefined, late);
		expect(rows).toHaveLength(2);
		expect(text(rows[0])).toBe(`── Wednesday 2 December 2026 ${'─'.repeat(width - 29)}`);
		expect(rows[0]).toMatchObject({key: `${early.id}:date`, segments: [{tone: 'date'}]});
		expect(text(rows[1])).toMatch(/^00:01:00 udp <peer> early$/);
	});

	it('draws none between lines of the same day, above the first line, or with date_changes = false', () => {
		const morning = inLine('a', {time: at(1, 0, 0)});
		const night = inLine('b', {time: at(1, 23, 59)});
		expect(layoutLine(night, width, undefined, morning)).toHaveLength(1);
		expect(layoutLine(night, width)).toHaveLength(1);
		setDateChanges(false);
		expect(layoutLine(inLine('c', {time: at(2, 0, 1)}), width, undefined, night)).toHaveLength(1);
	});

	it('counts a date a year or a month later as a change, and a line back in time too', () => {
		const one = inLine('a', {time: new Date(2025, 11, 2, 12).getTime()});
		const two = inLine('b', {time: new Date(2026, 11, 2, 12).getTime()});
		expect(layoutLine(two, width, undefined, one)).toHaveLength(2);
		expect(layoutLine(one, width, undefined, two)).toHaveLength(2);
		expect(layoutLine(inLine('c', {time: new Date(2026, 10, 2, 12).getTime()}), width, undefined, two)).toHaveLength(2);
	});

	it('names the date as weechat and irssi readers expect: weekday, day, month, year', () => {
		expect(dateLabel(at(1, 12, 0))).toBe('Tuesday 1 December 2026');
		expect(dateLabel(new Date(2024, 1, 29, 0, 0).getTime())).toBe('Thursday 29 February 2024');
	});

	it('keeps the read marker above the date rule, with keys unique to the line', () => {
		const before = systemLine('before');
		const line = inLine('next day', {time: before.time + 86_400_000});
		const rows = layoutLine(line, width, {marker: {beforeId: line.id, label: 'new since 12:34'}}, before);
		expect(rows.map(row => row.key)).toEqual([`${line.id}:marker`, `${line.id}:date`, `${line.id}:0`]);
		expect(text(rows[0])).toMatch(/^── new since 12:34 ─+$/);
	});

	it('is drawn by tailRows between the lines of two days, and cut from the top like any row', () => {
		const lines = [inLine('one', {time: at(1, 23, 59)}), inLine('two', {time: at(2, 0, 1)})];
		expect(shown(tailRows(lines, width, 5))).toEqual(['one', 'date Wednesday 2 December 2026', 'two']);
		expect(shown(tailRows(lines, width, 2))).toEqual(['date Wednesday 2 December 2026', 'two']);
	});

	it('is ASCII in a locale that is not UTF-8', async () => {
		vi.stubEnv('TUI_NETCHAT_ASCII', '1');
		vi.resetModules();
		try {
			const format = await import('../../source/ui/pane/format-line.js');
			const [rule] = format.layoutLine(inLine('b', {time: at(2, 0, 1)}), 40, undefined, inLine('a', {time: at(1, 23, 59)}));
			expect(text(rule)).toBe(`-- Wednesday 2 December 2026 ${'-'.repeat(11)}`);
		} finally {
			vi.unstubAllEnvs();
			vi.resetModules();
		}
	});
});

describe('scrolling across date rows', () => {
	/** Every line on a day of its own: each takes two rows (its date rule and itself), the first one row. */
	function daily(count: number): ChatLine[] {
		return Array.from({length: count}, (_, index) => inLine(`msg ${index}`, {time: new Date(2026, 0, 1 + index, 12).getTime()}));
	}

	it('stops at the oldest full page, counting the date rows: the first line on top, the page full', () => {
		const lines = daily(40);
		let scroll: Scroll = live;
		for (let press = 0; press < 30; press++) {
			scroll = pageUp(lines, width, height, scroll);
		}

		// height - 1 rows under the "scrolled up" bar: msg 0 (one row), then nine lines of two rows.
		const rows = view(lines, width, height, scroll).rows;
		expect(rows).toHaveLength(height - 1);
		expect(shown(rows)[0]).toBe('msg 0');
		expect(scroll).toMatchObject({mode: 'held', anchorId: lines[9]!.id});
		expect(pageUp(lines, width, height, scroll)).toEqual(scroll);
	});

	it('pages back by rows, date rows counted: the top of the live view stays in sight, the page is full', () => {
		const lines = daily(40);
		// Live: msg 30..39, two rows each. A page is height - 2 = 18 rows: nine lines back from msg 39.
		const top = shown(view(lines, width, height, live).rows).find(row => row.startsWith('msg'));
		expect(top).toBe('msg 30');
		const scroll = pageUp(lines, width, height, live);
		expect(scroll).toMatchObject({mode: 'held', anchorId: lines[31]!.id});
		const back = view(lines, width, height, scroll).rows;
		expect(shown(back)).toContain(top);
		expect(back).toHaveLength(height - 1);
	});

	it('comes back to live with PageDown, every view no taller than the pane and with unique keys', () => {
		const lines = [...daily(20), ...Array.from({length: 20}, (_, index) => inLine(`same day ${index}`, {time: new Date(2026, 0, 21, 12).getTime()}))];
		let scroll: Scroll = live;
		const views: Row[][] = [];
		for (let press = 0; press < 10; press++) {
			scroll = pageUp(lines, width, height, scroll);
			views.push([...view(lines, width, height, scroll).rows]);
		}

		for (let press = 0; press < 10 && scroll.mode === 'held'; press++) {
			scroll = pageDown(lines, width, height, scroll);
			views.push([...view(lines, width, height, scroll).rows]);
		}

		expect(scroll).toBe(live);
		for (const rows of views) {
			expect(rows.length).toBeLessThanOrEqual(height);
			expect(new Set(rows.map(row => row.key)).size).toBe(rows.length);
		}
	});

	it('holds still when lines of a new day arrive while scrolled up', () => {
		const lines = daily(40);
		const scroll = pageUp(lines, width, height, live);
		const before = view(lines, width, height, scroll).rows;
		expect(view([...lines, inLine('tomorrow', {time: new Date(2026, 5, 1).getTime()})], width, height, scroll).rows).toEqual(before);
	});
});
