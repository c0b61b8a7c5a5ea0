// Ink's Output (node_modules/ink/build/output.js), replaced in the bundle by scripts/build.mjs (patch
// "ink-output"): the same class and the same output, byte for byte, at a cost that follows what changed.
//
// Ink makes a new Output for every frame, and its get() builds a grid of every cell of the screen,
// tokenizes every piece of text and turns every row back into a string, about 8 ms at 120x40 for a frame in
// which one typed letter changed. Here get() first works out, for each row, the list of writes that land on
// it (column and text, after clipping and transformers, in order): a row's string is a function of that list
// and of the width alone. Rows whose list was seen before (in this frame or an earlier one, at any row:
// history that scrolls up by one row is still a hit) take the string made then; only the others get cells,
// placed as Ink places them, and a serialisation. Their text is tokenized in pieces (cut at SGR codes and
// where printable ASCII starts or stops), and the pieces, widths and ANSI slices are kept across frames, so
// a row that changes in one place (the draft, a counter) costs about that place. All caches are bounded.
// test/unit/ink-output.test.ts checks the output against Ink's own Output for random frames, and the
// tokenizer against Ink's.
//
// The parts: ink-output-caches.ts (the bounded caches, and the cached string-width, slice-ansi and tokenize),
// ink-output-tokenize.ts (the fast line tokenizer), ink-output-row.ts (a row's cells and their string).
import {clearCaches, getSlice, getStringWidth, getWidestLine} from './ink-output-caches.js';
import {rowString} from './ink-output-row.js';

export type OutputTransformer = (line: string, index: number) => string;

type Clip = {
	x1: number | undefined;
	x2: number | undefined;
	y1: number | undefined;
	y2: number | undefined;
};

type Operation =
	| {readonly type: 'write'; readonly x: number; readonly y: number; readonly text: string; readonly transformers: readonly OutputTransformer[]}
	| {readonly type: 'clip'; readonly clip: Clip}
	| {readonly type: 'unclip'};

// The last frame's rows and output: a frame whose rows are the same strings returns the same string, which
// Ink and log-update then compare by reference.
let lastRows: string[] = [];
let lastOutput = '';

/** Empties the caches shared by all frames (tests; nothing else needs it). */
export function clearOutputCaches(): void {
	clearCaches();

	lastRows = [];
	lastOutput = '';
}

export default class Output {
	width: number;
	height: number;
	private readonly operations: Operation[] = [];

	constructor(options: {width: number; height: number}) {
		const {width, height} = options;
		this.width = width;
		this.height = height;
	}

	write(x: number, y: number, text: string, options: {transformers: OutputTransformer[]}): void {
		const {transformers} = options;
		if (!text) {
			return;
		}

		this.operations.push({type: 'write', x, y, text, transformers});
	}

	clip(clip: Clip): void {
		this.operations.push({type: 'clip', clip});
	}

	unclip(): void {
		this.operations.push({type: 'unclip'});
	}

	get(): {output: string; height: number} {
		// As many rows and cells as Ink's loops `for (let y = 0; y < this.height; y++)` make.
		const rowCount = this.height > 0 ? Math.ceil(this.height) : 0;
		const columns = this.width > 0 ? Math.ceil(this.width) : 0;
		// For each row, the writes that land on it: column, text, column, text, …
		const writes: Array<Array<number | string> | undefined> = [];
		const clips: Array<Clip | undefined> = [];
		for (const operation of this.operations) {
			if (operation.type === 'clip') {
				clips.push(operation.clip);
			}

			if (operation.type === 'unclip') {
				clips.pop();
			}

			if (operation.type === 'write') {
				// Ink's clipping, as it is.
				const {text, transformers} = operation;
				let {x, y} = operation;
				let lines = text.split('\n');
				const clip = clips.at(-1);
				if (clip) {
					const clipHorizontally = typeof clip?.x1 === 'number' && typeof clip?.x2 === 'number';
					const clipVertically = typeof clip?.y1 === 'number' && typeof clip?.y2 === 'number';
					if (clipHorizontally) {
						const width = getWidestLine(text);
						if (x + width < clip.x1! || x > clip.x2!) {
							continue;
						}
					}

					if (clipVertically) {
						const height = lines.length;
						if (y + height < clip.y1! || y > clip.y2!) {
							continue;
						}
					}

					if (clipHorizontally) {
						const x1 = clip.x1!;
						const x2 = clip.x2!;
						lines = lines.map(line => {
							const from = x < x1 ? x1 - x : 0;
							const width = getStringWidth(line);
							const to = x + width > x2 ? x2 - x : width;
							return getSlice(line, from, to);
						});
						if (x < x1) {
							x = x1;
						}
					}

					if (clipVertically) {
						const from = y < clip.y1! ? clip.y1! - y : 0;
						const height = lines.length;
						const to = y + height > clip.y2! ? clip.y2! - y : height;
						lines = lines.slice(from, to);
						if (y < clip.y1!) {
							y = clip.y1!;
						}
					}
				}

				let offsetY = 0;
				for (let index = 0; index < lines.length; index++) {
					let line = lines[index]!;
					const rowIndex = y + offsetY;
					// Ink skips a line whose row is missing without moving on a row: after one, none lands.
					if (!(Number.isInteger(rowIndex) && rowIndex >= 0 && rowIndex < rowCount)) {
						continue;
					}

					for (const transformer of transformers) {
						line = transformer(line, index);
					}

					(writes[rowIndex] ??= []).push(x, line);
					offsetY++;
				}
			}
		}

		const rows: string[] = [];
		let same = lastRows.length === rowCount;
		for (let y = 0; y < rowCount; y++) {
			const rowWrites = writes[y];
			const row = rowWrites === undefined ? '' : rowString(columns, rowWrites);
			same &&= row === lastRows[y];
			rows.push(row);
		}

		if (!same) {
			lastRows = rows;
			lastOutput = rows.join('\n');
		}

		return {output: lastOutput, height: rowCount};
	}
}
