// Start-up patch for string-width 8 (used by Ink to measure every piece of text). At import it builds an
// Intl.Segmenter and \p{…}/v regexes, about 10 ms before anything is drawn. The patch builds them on the
// first call that needs them, and widens the ASCII fast path to characters whose width is their East
// Asian Width alone (no combining, no emoji): box drawing, CJK, Latin-1, common punctuation. The test
// test/unit/string-width-patch.test.ts checks the patched function against the original for every such
// character.

import {readFileSync} from 'node:fs';

const lazyNames = ['segmenter', 'visibleCharacterRegex', 'spacingMarkRegex', 'rgiEmojiRegex', 'extendedPictographicRegex'];

/** Characters that never combine, join or turn into emoji, so their width is eastAsianWidth() of each. */
export const {ranges: simpleCharacters} = JSON.parse(readFileSync(new URL('../../source/text/simple-characters.json', import.meta.url), 'utf8'));

/** Patches string-width 8; other versions (wrap-ansi keeps a 7) are returned as they are. */
export function patchStringWidth(source) {
	if (!source.includes('const rgiEmojiRegex')) {
		return source;
	}

	let patched = source;
	const initializers = [];
	for (const name of lazyNames) {
		const pattern = new RegExp(`^const ${name} = (.+);$`, 'm');
		const match = pattern.exec(patched);
		if (!match) {
			throw new Error(`string-width patch: "const ${name} = …" not found; update scripts/patches/string-width.mjs`);
		}

		initializers.push(`${name} = ${match[1]};`);
		patched = patched.replace(pattern, `let ${name};`);
	}

	const fastPathEnd = '\t\treturn string.length;\n\t}\n';
	if (patched.split(fastPathEnd).length !== 2) {
		throw new Error('string-width patch: the ASCII fast path was not found once; update scripts/patches/string-width.mjs');
	}

	patched = patched.replace(
		fastPathEnd,
		[
			fastPathEnd,
			`\tif (/^[${simpleCharacters}]*$/.test(string)) {`,
			'\t\tlet simpleWidth = 0;',
			'\t\tfor (const character of string) {',
			'\t\t\tsimpleWidth += eastAsianWidth(character.codePointAt(0), {ambiguousAsWide: !ambiguousIsNarrow});',
			'\t\t}',
			'',
			'\t\treturn simpleWidth;',
			'\t}',
			'',
			'\tinitializeStringWidth();',
			'',
		].join('\n'),
	);
	const exported = 'export default function stringWidth(';
	if (patched.split(exported).length !== 2) {
		throw new Error('string-width patch: "export default function stringWidth(" was not found once; update scripts/patches/string-width.mjs');
	}

	patched = patched.replace(exported, 'function unicodeStringWidth(');
	return `${patched}\nfunction initializeStringWidth() {\n\tif (segmenter !== undefined) return;\n\t${initializers.join('\n\t')}\n}\n${tmuxWidths}`;
}

// Inside tmux the grid is tmux's, whatever terminal shows it, and tmux 3.3 measures an emoji sequence its own
// way (measured): a skin-tone modifier is two more columns (👍🏽 is 4), a code point joined by ZWJ adds none
// (👨‍👩‍👧 is 2, 🏳️‍🌈 is 1), a variation selector adds none (❤️ and ☀️ are 1), each regional indicator is one.
// Ink and the pane must count as tmux does, or a row that fits by Unicode's count wraps on the screen.
const tmuxWidths = `
const tmuxGrid = typeof process === 'object' && (process.env.TMUX !== undefined || /^tmux/.test(process.env.TERM ?? ''));
const plainAscii = /^[\\x20-\\x7e]*$/;

export default function stringWidth(input, options = {}) {
	if (!tmuxGrid || typeof input !== 'string' || plainAscii.test(input)) {
		return unicodeStringWidth(input, options);
	}

	let width = 0;
	let joined = false;
	for (const character of stripAnsi(input)) {
		const code = character.codePointAt(0);
		if (code === 0x200d) {
			joined = true;
			continue;
		}

		const cells = unicodeStringWidth(character, options);
		if (!joined || cells === 0) {
			width += cells;
		}

		joined = false;
	}

	return width;
}
`;
