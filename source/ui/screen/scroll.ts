/** Rows top..bottom (inclusive) of the screen move up by `shift` rows (down when negative). */
export type Scroll = {readonly top: number; readonly bottom: number; readonly shift: number};

/** Bytes a scroll costs beyond the rows it saves: the region, SU or SD, the region reset, a cursor move. */
const scrollCost = 16;
/** What drawing a row costs, roughly: its text; a row that becomes blank costs a move and an EL. */
const drawCost = (line: string) => (line === '' ? 6 : line.length);

/**
 * The rows of the frame that are rows of the screen moved up or down by `shift`: the longest-paying run
 * of them, as the region to scroll, if scrolling costs less than drawing them where they are.
 */
function bestRun(old: readonly string[], lines: readonly string[], shift: number): {scroll: Scroll; saving: number} | undefined {
	const rows = lines.length;
	let best: {scroll: Scroll; saving: number} | undefined;
	let runStart = -1;
	for (let y = 0; y <= rows; y++) {
		const source = y + shift;
		if (y < rows && source >= 0 && source < rows && lines[y] === old[source]) {
			if (runStart < 0) {
				runStart = y;
			}

			continue;
		}

		if (runStart < 0) {
			continue;
		}

		const [first, last] = [runStart, y - 1];
		runStart = -1;
		let saving = -scrollCost;
		for (let row = first; row <= last; row++) {
			if (lines[row] !== old[row]) {
				saving += drawCost(lines[row]!);
			}
		}

		// The rows that come in blank: those that were right before are drawn again.
		const [top, bottom] = shift > 0 ? [first, last + shift] : [first + shift, last];
		const [blankFrom, blankTo] = shift > 0 ? [last + 1, last + shift] : [first + shift, first - 1];
		for (let row = blankFrom; row <= blankTo; row++) {
			if (lines[row] === old[row]) {
				saving -= lines[row]!.length;
			}
		}

		if (saving > 0 && (best === undefined || saving > best.saving)) {
			best = {scroll: {top, bottom, shift}, saving};
		}
	}

	return best;
}

/**
 * A scroll that brings the screen (rows `old`) closer to the frame (rows `lines`, as many): rows of text
 * that moved as a block, as when a message comes into a full pane. Rows are compared as strings, so
 * only rows that moved are looked at and none is parsed.
 */
export function findScroll(old: readonly string[], lines: readonly string[]): Scroll | undefined {
	const rows = lines.length;
	let changed = 0;
	for (let y = 0; y < rows; y++) {
		if (lines[y] !== old[y]) {
			changed++;
		}
	}

	if (changed < 2) {
		return undefined;
	}

	const where = new Map<string, number[]>();
	for (let y = 0; y < rows; y++) {
		const line = old[y]!;
		if (line !== '') {
			const places = where.get(line);
			if (places === undefined) {
				where.set(line, [y]);
			} else if (places.length < 8) {
				places.push(y);
			}
		}
	}

	// Each changed row votes for the shifts that would bring its text, by how much text that is.
	const votes = new Map<number, number>();
	for (let y = 0; y < rows; y++) {
		const line = lines[y]!;
		if (line !== '' && line !== old[y]) {
			for (const source of where.get(line) ?? []) {
				votes.set(source - y, (votes.get(source - y) ?? 0) + line.length);
			}
		}
	}

	let best: {scroll: Scroll; saving: number} | undefined;
	const candidates = [...votes].sort((a, b) => b[1] - a[1]).slice(0, 3);
	for (const [shift] of candidates) {
		const run = bestRun(old, lines, shift);
		if (run !== undefined && (best === undefined || run.saving > best.saving)) {
			best = run;
		}
	}

	return best?.scroll;
}

/** Rows after the scroll: moved within top..bottom, blank ('') where rows came in. */
export function scrolled<T>(rows: readonly T[], {top, bottom, shift}: Scroll, blank: T): T[] {
	const next = [...rows];
	for (let y = top; y <= bottom; y++) {
		const source = y + shift;
		next[y] = source >= top && source <= bottom ? rows[source]! : blank;
	}

	return next;
}
