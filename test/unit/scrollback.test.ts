import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {layoutLine, type LayoutOptions, type Row} from '../../source/ui/pane/format-line.js';
import type {ChatLine} from '../../source/domain/snapshot.js';
import {live, pageDown, pageUp, view, type Scroll} from '../../source/ui/pane/scrollback.js';
import {inLine, outLine, systemLine} from '../helpers/fake-store.js';

const width = 80;
const height = 20;

function messages(count: number): ChatLine[] {
	return Array.from({length: count}, (_, index) => inLine(`msg ${index}`));
}

/** The message texts a view shows, top to bottom ("msg 3" from "12:34:56 udp <peer> msg 3"). */
function texts(rows: readonly Row[]): string[] {
	return rows.map(row => row.segments.at(-1)?.text ?? '');
}

describe('scrollback view', () => {
	it('shows the newest rows while live', () => {
		const lines = messages(40);
		const shown = view(lines, width, height, live);
		expect(texts(shown.rows)).toEqual(Array.from({length: 20}, (_, index) => `msg ${index + 20}`));
		expect(shown.held).toBe(false);
		expect(shown.newBelow).toBe(0);
	});

	it('shows every line when they all fit', () => {
		expect(texts(view(messages(3), width, height, live).rows)).toEqual(['msg 0', 'msg 1', 'msg 2']);
	});

	it('leaves one row for the marker while scrolled up', () => {
		const lines = messages(40);
		const shown = view(lines, width, height, pageUp(lines, width, height, live));
		expect(shown.held).toBe(true);
		expect(shown.rows).toHaveLength(height - 1);
	});
});

describe('pageUp', () => {
	it('shows older lines and hides the newest', () => {
		const lines = messages(40);
		const shown = texts(view(lines, width, height, pageUp(lines, width, height, live)).rows);
		expect(shown).toContain('msg 5');
		expect(shown).not.toContain('msg 39');
	});

	it('keeps the line that was at the top of the live view in sight', () => {
		const lines = messages(40);
		const top = texts(view(lines, width, height, live).rows)[0];
		const shown = texts(view(lines, width, height, pageUp(lines, width, height, live)).rows);
		expect(shown).toContain(top);
		expect(shown.at(-1)).not.toBe('msg 39');
	});

	it('goes further back on a second press', () => {
		const lines = messages(100);
		const once = pageUp(lines, width, height, live);
		const twice = pageUp(lines, width, height, once);
		const first = texts(view(lines, width, height, once).rows);
		const second = texts(view(lines, width, height, twice).rows);
		expect(Number(second.at(-1)?.slice(4))).toBeLessThan(Number(first.at(-1)?.slice(4)));
	});

	it('stops at the oldest full page: the first line at the top, and no further', () => {
		const lines = messages(40);
		let scroll: Scroll = live;
		for (let press = 0; press < 10; press++) {
			scroll = pageUp(lines, width, height, scroll);
		}

		// One row is the "scrolled up" marker: the page holds height - 1 lines, msg 0 on top.
		const page = Array.from({length: height - 1}, (_, index) => `msg ${index}`);
		expect(scroll).toMatchObject({mode: 'held', anchorId: lines[height - 2]!.id});
		expect(texts(view(lines, width, height, scroll).rows)).toEqual(page);
		expect(pageUp(lines, width, height, scroll)).toEqual(scroll);
		// Held at a line older than the oldest full page (a resize), the view still shows a full page.
		expect(texts(view(lines, width, height, {mode: 'held', anchorId: lines[0]!.id, seenId: 0}).rows)).toEqual(page);
	});

	it('counts a wrapped line as several rows', () => {
		const long = inLine('x'.repeat(400));
		const lines = [...messages(30), long, ...messages(2)];
		// 20 columns of prefix leave 60 for the text: 400 characters take 7 rows.
		expect(layoutLine(long, width)).toHaveLength(7);
		const scroll = pageUp(lines, width, height, live);
		// A page is height - 2 = 18 rows back from the newest line: 2 + 7 + 9 more one-row lines, so the
		// view ends at index 21 (it would be index 15 if the long line counted as one row).
		expect(scroll).toMatchObject({mode: 'held', anchorId: lines[21]!.id});
	});

	it('does nothing when there are no lines', () => {
		expect(pageUp([], width, height, live)).toBe(live);
	});
});

describe('pageDown', () => {
	it('returns to live at the end', () => {
		const lines = messages(40);
		expect(pageDown(lines, width, height, pageUp(lines, width, height, live))).toEqual(live);
	});

	it('moves one page towards the end when far back', () => {
		const lines = messages(100);
		const back = pageUp(lines, width, height, pageUp(lines, width, height, pageUp(lines, width, height, live)));
		const forward = pageDown(lines, width, height, back);
		expect(forward.mode).toBe('held');
		expect(forward.mode === 'held' && back.mode === 'held' && forward.anchorId > back.anchorId).toBe(true);
	});

	it('stays live when already live', () => {
		expect(pageDown(messages(40), width, height, live)).toBe(live);
	});
});

describe('new messages below the view', () => {
	function scrolledUp(count = 40): {lines: ChatLine[]; scroll: Scroll} {
		const lines = messages(count);
		return {lines, scroll: pageUp(lines, width, height, live)};
	}

	it('keeps showing the same rows when lines arrive while scrolled up', () => {
		const {lines, scroll} = scrolledUp();
		const before = view(lines, width, height, scroll).rows;
		const after = view([...lines, inLine('fresh'), systemLine('joined')], width, height, scroll).rows;
		expect(after).toEqual(before);
	});

	it('counts messages from others that arrive while scrolled up, not your own lines', () => {
		const {lines, scroll} = scrolledUp();
		const before = view(lines, width, height, scroll).newBelow;
		const after = view([...lines, inLine('fresh'), outLine('mine')], width, height, scroll).newBelow;
		expect(after - before).toBe(1);
	});

	it('does not count system lines that arrive while scrolled up', () => {
		const {lines, scroll} = scrolledUp();
		const before = view(lines, width, height, scroll).newBelow;
		const after = view([...lines, systemLine('a'), systemLine('b', 'error')], width, height, scroll).newBelow;
		expect(after).toBe(before);
	});

	it('reports no new messages right after scrolling up (the lines below were already seen)', () => {
		const {lines, scroll} = scrolledUp();
		expect(view(lines, width, height, scroll).newBelow).toBe(0);
	});

	it('reports exactly one new message after one arrives while scrolled up', () => {
		const {lines, scroll} = scrolledUp();
		expect(view([...lines, inLine('fresh')], width, height, scroll).newBelow).toBe(1);
	});

	it('falls back to live when the history is cleared while scrolled up', () => {
		const {scroll} = scrolledUp();
		expect(view([], width, height, scroll)).toEqual({rows: [], newBelow: 0, held: false});
	});
});

describe('scrollback after /clear', () => {
	it('follows the end again, and pages up from there, when the line it was held at is gone', () => {
		const before = messages(40);
		const held = pageUp(before, width, height, live);
		const after = messages(60);
		expect(view(after, width, height, held).held).toBe(false);
		const again = pageUp(after, width, height, held);
		expect(again.mode).toBe('held');
		expect(view(after, width, height, again).newBelow).toBe(0);
	});
});

describe('a line taller than the pane (a multi-line message, a long line wrapped)', () => {
	/** A message of `count` rows: "row 0" to "row N". */
	const tall = (count: number) => inLine(Array.from({length: count}, (_, index) => `row ${index}`).join('\n'));
	/** Every row of every line, top to bottom, as `texts` shows them. */
	const allRows = (lines: readonly ChatLine[]) => lines.flatMap(line => texts(layoutLine(line, width)));

	it('is scrolled past by PageUp, row by row, to the oldest line, which is on top of a full page', () => {
		const lines = [...messages(3), tall(50), ...messages(5)];
		let scroll: Scroll = live;
		const seen = new Set(texts(view(lines, width, height, live).rows));
		for (let press = 0; press < 10; press++) {
			scroll = pageUp(lines, width, height, scroll);
			for (const text of texts(view(lines, width, height, scroll).rows)) {
				seen.add(text);
			}
		}

		const top = view(lines, width, height, scroll).rows;
		expect(top).toHaveLength(height - 1);
		expect(texts(top)).toEqual(allRows(lines).slice(0, height - 1));
		expect(pageUp(lines, width, height, scroll)).toEqual(scroll);
		// No row was skipped on the way up.
		expect(allRows(lines).filter(text => !seen.has(text))).toEqual([]);
	});

	it('is shown whole by PageDown from the top, a page at a time, and then live', () => {
		const lines = [...messages(3), tall(50), ...messages(5)];
		let scroll: Scroll = live;
		for (let press = 0; press < 10; press++) {
			scroll = pageUp(lines, width, height, scroll);
		}

		const seen = new Set<string>();
		for (let press = 0; press < 10 && scroll.mode === 'held'; press++) {
			const rows = view(lines, width, height, scroll).rows;
			expect(rows).toHaveLength(height - 1);
			for (const text of texts(rows)) {
				seen.add(text);
			}

			scroll = pageDown(lines, width, height, scroll);
		}

		expect(scroll).toBe(live);
		for (const text of texts(view(lines, width, height, live).rows)) {
			seen.add(text);
		}

		expect(allRows(lines).filter(text => !seen.has(text))).toEqual([]);
	});
});

describe('scrolling, as a property', () => {
	// Lines of 1 to 30 rows, some on a new day (a date rule above them); panes of 4 to 30 rows.
	const histories = fc.array(fc.record({rows: fc.integer({min: 1, max: 30}), newDay: fc.boolean()}), {minLength: 1, maxLength: 40});
	const build = (shapes: ReadonlyArray<{rows: number; newDay: boolean}>) => {
		let day = 1;
		return shapes.map((shape, index) => {
			day += shape.newDay ? 1 : 0;
			return inLine(Array.from({length: shape.rows}, (_, row) => `l${index}r${row}`).join('\n'), {time: new Date(2026, 0, day, 12).getTime()});
		});
	};

	const laidOut = new WeakMap<readonly ChatLine[], string[]>();
	/** The keys of every row of the lines, laid out once per history. */
	const allKeys = (lines: readonly ChatLine[], options?: LayoutOptions) => {
		const known = laidOut.get(lines) ?? lines.flatMap((line, index) => layoutLine(line, width, options, lines[index - 1]).map(row => row.key));
		laidOut.set(lines, known);
		return known;
	};

	/** The view's rows as indexes into all the rows there are (a view is always a run of them). */
	const span = (lines: readonly ChatLine[], scroll: Scroll, pane: number, options?: LayoutOptions) => {
		const every = allKeys(lines, options);
		const keys = view(lines, width, pane, scroll, options).rows.map(row => row.key);
		const first = every.indexOf(keys[0] ?? '');
		expect(keys).toEqual(every.slice(first, first + keys.length));
		return {first, last: first + keys.length - 1, total: every.length};
	};

	it('pages up to a full oldest page and down to live, never skipping a row, never taller than the pane', () => {
		fc.assert(
			// A read marker above one of the lines (maybe the one a date rule dates too), or none.
			fc.property(histories, fc.integer({min: 4, max: 30}), fc.option(fc.nat()), (shapes, pane, markAt) => {
				const lines = build(shapes);
				const marked = markAt === null ? undefined : lines[markAt % lines.length];
				const options: LayoutOptions | undefined = marked ? {marker: {beforeId: marked.id, label: 'new since 12:34'}} : undefined;
				let scroll: Scroll = live;
				let shown = span(lines, scroll, pane, options);
				// A pane of 4 rows pages one row at a time: enough presses for every row there is.
				for (let press = 0; press < 1500; press++) {
					const next = pageUp(lines, width, pane, scroll, options);
					if (JSON.stringify(next) === JSON.stringify(scroll)) {
						break;
					}

					const now = span(lines, next, pane, options);
					expect(now.last).toBeLessThan(shown.last);
					expect(now.last).toBeGreaterThanOrEqual(shown.first - 1);
					[scroll, shown] = [next, now];
				}

				if (scroll.mode === 'held') {
					// The oldest page: the first row on top, the page full (or everything, when it is less).
					expect(shown.first).toBe(0);
					expect(shown.last - shown.first + 1).toBe(Math.min(pane - 1, shown.total));
				}

				for (let press = 0; press < 1500 && scroll.mode === 'held'; press++) {
					scroll = pageDown(lines, width, pane, scroll, options);
					const now = span(lines, scroll, pane, options);
					expect(now.last).toBeGreaterThan(shown.last);
					expect(now.first).toBeLessThanOrEqual(shown.last + 1);
					shown = now;
				}

				expect(scroll).toBe(live);
			}),
			{numRuns: 100},
		);
	});
});
