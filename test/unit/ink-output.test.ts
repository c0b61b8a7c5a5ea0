import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import InkOutput from '../../node_modules/ink/build/output.js';
import {styledCharsFromTokens, tokenize} from '@alcalzone/ansi-tokenize';
import stringWidth from 'string-width';
import Output, {clearOutputCaches, type OutputTransformer} from '../../source/ui/screen/ink-output.js';
import {BoundedCache, outputCacheSizes} from '../../source/ui/screen/ink-output-caches.js';
import {styledLine} from '../../source/ui/screen/ink-output-row.js';

// Property: for any sequence of frames (writes, clips, transformers), source/ui/screen/ink-output.ts gives
// exactly the output of Ink's own Output, whatever its caches hold from earlier frames.

const sgr = [
	'\u001B[1m', '\u001B[2m', '\u001B[3m', '\u001B[4m', '\u001B[7m', '\u001B[9m', '\u001B[22m', '\u001B[23m', '\u001B[24m', '\u001B[27m',
	'\u001B[31m', '\u001B[92m', '\u001B[38;5;208m', '\u001B[38;2;10;20;30m', '\u001B[39m',
	'\u001B[44m', '\u001B[103m', '\u001B[48;5;17m', '\u001B[48;2;1;2;3m', '\u001B[49m',
	'\u001B[0m', '\u001B[m', '\u001B[1;31;44m', '\u001B[0;7m', '\u001B[22;2m',
	'\u001B]8;;https://example.com\u0007', '\u001B]8;;\u0007',
];
const graphemes = [
	'a', 'b', 'x', 'Z', '0', '.', ' ', ' ', ' ', '\t', 'é', 'ß', '─', '│', '…', '你', '好', '世', 'ア', '한', '　',
	'e\u0301', '😀', '🎉', '👍🏽', '🚀', '✅', '🇫🇷', '❤️', '☺', '👨‍👩‍👧', '\u200B', '\u00A0', '\u3000',
	// Pieces that join what comes before them (after an SGR code: its "m"), or that Ink's tokenizer reads
	// apart: a lone combining mark, Hangul jamo, a ZWJ, a variation selector, a skin tone, one regional
	// indicator; escapes that are no SGR code.
	'\u0301', '\u1100', '\u1161', '\u11A8', '가', '\u200D', '\uFE0F', '🏽', '\u{1F1EB}', '\r', '\u001B', '\u001B[', '\u001B[2K', '\u009B', '\u009B31m', '\u001B]8;;x\u0007',
	// A prepended concatenation mark (joins what follows), a spacing mark, a Devanagari conjunct, Thai.
	'\u0600', '\u0903', 'क्ष', '\u094D', 'क', 'ำ', '\uD83D',
	'────', '─ 12 B ─',
];
const piece = fc.oneof(
	{weight: 2, arbitrary: fc.constantFrom(...sgr)},
	{weight: 6, arbitrary: fc.constantFrom(...graphemes)},
);
const line = fc.array(piece, {maxLength: 16}).map(pieces => pieces.join(''));
const text = fc.array(line, {minLength: 1, maxLength: 4}).map(lines => lines.join('\n'));

// Ink's transformers: a <Text>'s colours and its transform prop; pure functions of the line and its index.
const transformerPool: OutputTransformer[] = [
	line => `\u001B[31m${line}\u001B[39m`,
	line => `\u001B[1m${line}\u001B[22m`,
	line => line.toUpperCase(),
	(line, index) => `${index}${line}`,
	line => `${line}  `,
	line => `\u001B[44m${line}\u001B[49m`,
];
const transformers = fc.array(fc.nat(transformerPool.length - 1), {maxLength: 3}).map(indices => indices.map(index => transformerPool[index]!));

// Mostly whole columns and rows in range, as Yoga gives; sometimes out of range or fractional.
const coordinate = (max: number) => fc.oneof(
	{weight: 12, arbitrary: fc.integer({min: 0, max})},
	{weight: 1, arbitrary: fc.integer({min: -4, max: -1})},
	{weight: 1, arbitrary: fc.constantFrom(0.5, 1.5, 2.25)},
);
const bound = (max: number) => fc.option(coordinate(max), {freq: 4, nil: undefined});

type Op =
	| {kind: 'write'; x: number; y: number; text: string; transformers: OutputTransformer[]}
	| {kind: 'clip'; clip: {x1: number | undefined; x2: number | undefined; y1: number | undefined; y2: number | undefined}}
	| {kind: 'unclip'};

const op: fc.Arbitrary<Op> = fc.oneof(
	{weight: 8, arbitrary: fc.record({kind: fc.constant('write' as const), x: coordinate(28), y: coordinate(11), text, transformers})},
	{weight: 1, arbitrary: fc.record({kind: fc.constant('clip' as const), clip: fc.record({x1: bound(20), x2: bound(30), y1: bound(8), y2: bound(12)})})},
	{weight: 1, arbitrary: fc.constant({kind: 'unclip' as const})},
);

const size = fc.record({
	width: fc.oneof({weight: 10, arbitrary: fc.integer({min: 0, max: 30})}, {weight: 1, arbitrary: fc.constantFrom(-1, 2.5, 7.5)}),
	height: fc.oneof({weight: 10, arbitrary: fc.integer({min: 0, max: 12})}, {weight: 1, arbitrary: fc.constantFrom(-1, 1.5, 3.5)}),
});

// Frames that share most writes, as an app's frames do: each frame takes a subset of a pool of writes, some
// moved by a row or a column (a pane that scrolls), sometimes at another size.
const frames = fc.record({
	pool: fc.array(op, {minLength: 1, maxLength: 24}),
	size,
	frames: fc.array(fc.record({
		keep: fc.array(fc.boolean(), {minLength: 24, maxLength: 24}),
		dy: fc.constantFrom(0, 0, 0, -1, 1),
		dx: fc.constantFrom(0, 0, 0, 0, 1),
		extra: fc.array(op, {maxLength: 3}),
		resize: fc.option(size, {freq: 6, nil: undefined}),
	}), {minLength: 1, maxLength: 6}),
});

type Writable = {
	write(x: number, y: number, text: string, options: {transformers: OutputTransformer[]}): void;
	clip(clip: Op extends infer T ? (T extends {kind: 'clip'; clip: infer C} ? C : never) : never): void;
	unclip(): void;
	get(): {output: string; height: number};
};

function apply(output: Writable, ops: readonly Op[]): {output: string; height: number} {
	for (const each of ops) {
		if (each.kind === 'write') {
			output.write(each.x, each.y, each.text, {transformers: each.transformers});
		} else if (each.kind === 'clip') {
			output.clip(each.clip);
		} else {
			output.unclip();
		}
	}

	return output.get();
}

function compare(dimensions: {width: number; height: number}, ops: readonly Op[]): void {
	const expected = apply(new InkOutput(dimensions), ops);
	const actual = apply(new Output(dimensions), ops);
	expect(actual).toEqual(expected);
}

describe('Output (in place of Ink\'s)', () => {
	it('gives Ink\'s output for random frames, caches warm or cold', () => {
		fc.assert(fc.property(frames, ({pool, size: first, frames: list}) => {
			let dimensions = first;
			for (const frame of list) {
				dimensions = frame.resize ?? dimensions;
				const ops = [
					...pool.filter((_, index) => frame.keep[index]).map(each => each.kind === 'write' ? {...each, x: each.x + frame.dx, y: each.y + frame.dy} : each),
					...frame.extra,
				];
				compare(dimensions, ops);
				// The same frame again: every row from the caches.
				compare(dimensions, ops);
			}
		}), {numRuns: 1500});
	});

	it('gives Ink\'s output after its caches are emptied', () => {
		fc.assert(fc.property(fc.array(op, {maxLength: 20}), size, (ops, dimensions) => {
			clearOutputCaches();
			compare(dimensions, ops);
		}), {numRuns: 300});
	});

	it('gives Ink\'s output for a chat screen as keys are typed and lines come in', () => {
		const width = 120;
		const height = 40;
		const colour: OutputTransformer = line => `\u001B[36m${line}\u001B[39m`;
		const history = Array.from({length: 60}, (_, n) => `\u001B[2m12:${String(n % 60).padStart(2, '0')}\u001B[22m \u001B[1mpeer${n % 7}\u001B[22m line ${n} ${n % 3 === 0 ? '你好世界 😀' : 'the quick brown fox'} ${'x'.repeat(n % 80)}`);
		let draft = '';
		for (let frame = 0; frame < 80; frame++) {
			draft = frame % 30 === 29 ? '' : draft + 'abcdé你😀 '[frame % 9];
			const top = frame % 5 === 4 ? Math.floor(frame / 5) : Math.floor(frame / 5);
			const ops: Op[] = [{kind: 'clip', clip: {x1: 0, x2: width - 16, y1: 0, y2: height - 2}}];
			for (let y = 0; y < height - 2; y++) {
				ops.push({kind: 'write', x: 0, y, text: history[(top + y) % history.length]!, transformers: y % 4 === 0 ? [colour] : []});
			}

			ops.push({kind: 'unclip'});
			for (let y = 0; y < 6; y++) {
				ops.push({kind: 'write', x: width - 15, y, text: `\u001B[32m@nick${y}\u001B[39m`, transformers: []});
			}

			ops.push(
				{kind: 'write', x: 0, y: height - 2, text: `\u001B[7m [lan] #general  ${frame} peers \u001B[27m`, transformers: []},
				{kind: 'write', x: 0, y: height - 1, text: '> ', transformers: [colour]},
				{kind: 'write', x: 2, y: height - 1, text: `${draft}\u001B[7m \u001B[27m`, transformers: []},
			);
			compare({width, height}, ops);
		}
	});

	it('keeps its caches bounded', () => {
		clearOutputCaches();
		for (let frame = 0; frame < 300; frame++) {
			const output = new Output({width: 40, height: 20});
			for (let y = 0; y < 20; y++) {
				output.write(0, y, `frame ${frame} row ${y} \u001B[31m你好\u001B[39m`, {transformers: []});
			}

			output.get();
		}

		const sizes = outputCacheSizes();
		expect(sizes.rows).toBeLessThanOrEqual(2048);
		expect(sizes.widths).toBeLessThanOrEqual(8192);
		expect(sizes.styledLines).toBeLessThanOrEqual(512);
	});

	it('returns the same string for a frame that draws the same rows', () => {
		const draw = (draft: string) => {
			const output = new Output({width: 30, height: 3});
			output.write(0, 0, 'history', {transformers: []});
			output.write(0, 2, `> ${draft}`, {transformers: []});
			return output.get().output;
		};

		const first = draw('a');
		expect(draw('a')).toBe(first);
		expect(draw('ab')).toBe('history\n\n> ab');
	});
});

describe('styledLine', () => {
	it('gives the characters and styles of Ink\'s tokenizer, and string-width\'s widths', () => {
		const look = (chars: ReadonlyArray<{value: string; styles: ReadonlyArray<{code: string; endCode: string}>}>) =>
			chars.map(character => [character.value, character.styles.map(style => `${style.code}|${style.endCode}`).join(' ')]);
		fc.assert(fc.property(line, text => {
			const expected = styledCharsFromTokens(tokenize(text));
			const actual = styledLine(text);
			expect(look(actual.chars)).toEqual(look(expected));
			expect(actual.widths).toEqual(expected.map(character => Math.max(1, stringWidth(character.value))));
		}), {numRuns: 3000});
	});
});

describe('BoundedCache', () => {
	it('keeps at most twice its limit and brings back what is used', () => {
		const cache = new BoundedCache<number>(2);
		cache.set('a', 1);
		cache.set('b', 2);
		cache.set('c', 3);
		expect(cache.get('a')).toBe(1);
		cache.set('d', 4);
		cache.set('e', 5);
		expect(cache.size).toBeLessThanOrEqual(4);
		expect(cache.get('b')).toBeUndefined();
		expect(cache.get('e')).toBe(5);
	});
});
