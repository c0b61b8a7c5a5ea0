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

/** The patched function as loaded in a terminal whose TMUX and TERM are these (read once, at import). */
async function patchedStringWidth(terminal: {TMUX?: string; TERM?: string} = {TERM: 'xterm-256color'}): Promise<(text: string) => number> {
	const saved = {TMUX: process.env['TMUX'], TERM: process.env['TERM']};
	for (const name of ['TMUX', 'TERM'] as const) {
		const value = terminal[name];
		if (value === undefined) {
			delete process.env[name];
		} else {
			process.env[name] = value;
		}
	}

	try {
		return await loadPatched();
	} finally {
		for (const [name, value] of Object.entries(saved)) {
			if (value === undefined) {
				delete process.env[name];
			} else {
				process.env[name] = value;
			}
		}
	}
}

async function loadPatched(): Promise<(text: string) => number> {
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

describe('widths inside tmux', () => {
	it('count emoji sequences as tmux 3.3 draws them (measured), and everything else as before', async () => {
		for (const terminal of [{TMUX: '/tmp/tmux-0/default,1,0', TERM: 'screen'}, {TERM: 'tmux-256color'}]) {
			const inTmux = await patchedStringWidth(terminal);
			expect(inTmux('👍🏽')).toBe(4);
			expect(inTmux('👋🏿你')).toBe(6);
			expect(inTmux('👨\u200D👩\u200D👧')).toBe(2);
			expect(inTmux('🏳\uFE0F\u200D🌈')).toBe(1);
			expect(inTmux('❤\uFE0F')).toBe(1);
			expect(inTmux('☀\uFE0F')).toBe(1);
			expect(inTmux('🇨🇳')).toBe(2);
			expect(inTmux('🇯🇵')).toBe(2);
			// More of tmux 3.3a's widths (measured: printf in a pane, then #{cursor_x}): a modifier inside a ZWJ
			// sequence still adds two, after a text-default base too (✌ is 1).
			expect(inTmux('👩🏽\u200D💻')).toBe(4);
			expect(inTmux('🧑🏿\u200D🤝\u200D🧑🏻')).toBe(6);
			expect(inTmux('✌🏽')).toBe(3);
			expect(inTmux('1\uFE0F\u20E3')).toBe(1);
			expect(inTmux('e\u0301')).toBe(1);
			expect(inTmux('\u001B[31m👍🏽\u001B[0m')).toBe(4);
			for (const text of ['plain ascii', '你好 ✓ ── ·', '가나 ｶﾞ', '']) {
				expect(inTmux(text)).toBe(stringWidth(text));
			}
		}

		const elsewhere = await patchedStringWidth({TERM: 'xterm-256color'});
		expect(elsewhere('👍🏽')).toBe(2);
	});
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
