// Start-up and frame-time patch for the Intl.Segmenter instances in Ink's text helpers (ansi-tokenize,
// slice-ansi, wrap-ansi's string-width). Building one loads ICU data (several ms) and segmenting is the
// bulk of drawing a frame. The patch builds the segmenter on first need, and for text whose every code
// point is a character of its own (see simpleCharacters) yields code points instead, which is the same
// split: test/unit/string-width-patch.test.ts checks that no such character joins its neighbour.
import {simpleCharacters} from './string-width.mjs';

const declaration = /^const (\w+) = new Intl\.Segmenter\(([^)]*)\);$/m;

/** Characters of escape sequences pass through as code points too: the tokenizers read them one by one. */
export const segmentAsCodePoints = `^[\\u0007\\u000A\\u001B${simpleCharacters}]*$`;

export function patchSegmenter(source, path) {
	if (!declaration.test(source)) {
		throw new Error(`segmenter patch: no "const x = new Intl.Segmenter(...)" in ${path}; update scripts/patches/segmenters.mjs`);
	}

	return source.replace(
		declaration,
		[
			'let $1Instance;',
			`const $1Simple = /${segmentAsCodePoints}/;`,
			// Simple text is all in the BMP: one UTF-16 unit a character. Iterable and containing(), as Segments.
			'function $1CodePoints(text) {',
			'\treturn {',
			'\t\t*[Symbol.iterator]() {',
			'\t\t\tfor (let index = 0; index < text.length; index++) yield {segment: text[index], index, input: text};',
			'\t\t},',
			'\t\tcontaining: index => (index >= 0 && index < text.length ? {segment: text[index], index, input: text} : undefined),',
			'\t};',
			'}',
			'const $1 = {segment: text => ($1Simple.test(text) ? $1CodePoints(text) : ($1Instance ??= new Intl.Segmenter($2)).segment(text))};',
		].join('\n'),
	);
}
