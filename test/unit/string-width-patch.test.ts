import {readFileSync, writeFileSync, mkdtempSync} from 'node:fs';
import {createRequire} from 'node:module';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {pathToFileURL} from 'node:url';
import stringWidth from 'string-width';
import {describe, expect, it} from 'vitest';
// @ts-expect-error the build script's patch is plain JavaScript
import {patchStringWidth, simpleCharacters} from '../../scripts/patches/string-width.mjs';

const require = createRequire(import.meta.url);

async function patchedStringWidth(): Promise<(text: string) => number> {
	const path = require.resolve('string-width');
	const source = readFileSync(path, 'utf8');
	const directory = mkdtempSync(join(tmpdir(), 'string-width-patch-'));
	const file = join(directory, 'index.mjs');
	// Imports stay resolvable: point them at the originals.
	const patched = (patchStringWidth(source) as string)
		.replace(/from 'strip-ansi'/, `from '${pathToFileURL(require.resolve('strip-ansi', {paths: [path]})).href}'`)
		.replace(/from 'get-east-asian-width'/, `from '${pathToFileURL(require.resolve('get-east-asian-width', {paths: [path]})).href}'`);
	writeFileSync(file, patched);
	const module = (await import(pathToFileURL(file).href)) as {default: (text: string) => number};
	return module.default;
}

describe('the start-up patch of string-width', () => {
	it('gives the same width as the original for every character of its fast path, and for mixed text', async () => {
		const patched = await patchedStringWidth();
		const simple = new RegExp(`^[${simpleCharacters as string}]$`);
		let checked = 0;
		for (let code = 0x20; code <= 0xFFFF; code++) {
			const character = String.fromCodePoint(code);
			if (simple.test(character)) {
				expect(patched(character), `U+${code.toString(16)}`).toBe(stringWidth(character));
				checked++;
			}
		}

		expect(checked).toBeGreaterThan(30_000);
		for (const text of ['── ·UDP· 你好 ✓', 'e\u0301 👩‍👩‍👧 👍🏽', '\u001B[31mred\u001B[0m', '가나 ｶﾞ', '']) {
			expect(patched(text)).toBe(stringWidth(text));
		}
	}, 60_000);
});

describe('the segmenter patch', () => {
	it('splits text of simple characters exactly where Intl.Segmenter does: no such character joins a neighbour', async () => {
		// @ts-expect-error the build script's patch is plain JavaScript
		const {segmentAsCodePoints} = (await import('../../scripts/patches/segmenters.mjs')) as {segmentAsCodePoints: string};
		const simple = new RegExp(segmentAsCodePoints.replace(/^\^\[/, '^[').replace(/\]\*\$$/, ']$'));
		const segmenter = new Intl.Segmenter(undefined, {granularity: 'grapheme'});
		const characters: string[] = [];
		for (let code = 0; code <= 0xFFFF; code++) {
			const character = String.fromCharCode(code);
			if (simple.test(character)) {
				characters.push(character);
			}
		}

		expect(characters.length).toBeGreaterThan(30_000);
		// Every simple character between letters, and after every other one in turn, stays a grapheme of its own.
		for (const [index, character] of characters.entries()) {
			const neighbour = characters[(index * 7919) % characters.length] ?? 'a';
			for (const text of [`a${character}b`, `${character}${neighbour}`, `${neighbour}${character}`]) {
				expect(Array.from(segmenter.segment(text), part => part.segment), JSON.stringify(text)).toEqual(Array.from(text));
			}
		}
	}, 60_000);
});
