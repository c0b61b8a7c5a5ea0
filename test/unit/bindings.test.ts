import {describe, expect, it} from 'vitest';
import {readFile} from 'node:fs/promises';
import {bufferNumberOf, keyBindings, keyHelp} from '../../source/ui/keys/bindings.js';
import {decodeKeys} from '../../source/ui/keys/decode.js';

describe('keyBindings', () => {
	it('binds each sequence once', () => {
		const sequences = keyBindings.flatMap(({keys}) => keys.map(([sequence]) => sequence));
		expect(new Set(sequences).size).toBe(sequences.length);
	});

	it('gives /help a line for every binding that has a label, buffer keys included', () => {
		const labels = keyHelp.map(([label]) => label);
		expect(labels).toEqual(expect.arrayContaining(['Ctrl+T', 'Alt+1..9', 'Ctrl+N/P, Alt+Right/Left', 'Up/Down', 'Alt+B/F, Ctrl+Left/Right']));
		expect(keyHelp.every(([, description]) => description !== '')).toBe(true);
	});

	it('names every key for /help: Delete, Esc, paste, buffers, Tab, Alt+Enter, Ctrl+D', () => {
		const text = keyHelp.map(([label, description]) => `${label} ${description}`).join('\n');
		for (const key of ['Delete', 'Esc', 'Paste', 'Alt+1..9', 'Ctrl+N/P', 'Tab', 'Shift+Tab', 'Alt+Enter', 'Ctrl+D', 'Ctrl+C', 'Enter', 'PageUp']) {
			expect(text, key).toContain(key);
		}
	});

	it('gives every bound sequence a labelled line, so /help leaves no key out', () => {
		expect(keyBindings.every(binding => binding.label !== undefined && binding.description !== undefined)).toBe(true);
	});

	it('decodes Tab, Shift+Tab, Alt+Enter and Ctrl+D to their commands', () => {
		expect(decodeKeys('\t')).toEqual([{type: 'key', name: 'complete'}]);
		expect(decodeKeys('\u001B[Z')).toEqual([{type: 'key', name: 'complete-back'}]);
		expect(decodeKeys('\u001B\r')).toEqual([{type: 'key', name: 'newline'}]);
		expect(decodeKeys('\u0004')).toEqual([{type: 'key', name: 'delete-or-quit'}]);
		expect(decodeKeys('\u001B[3~')).toEqual([{type: 'key', name: 'delete'}]);
	});

	it('decodes F2 and F3 as xterm, rxvt and the Linux console send them', () => {
		for (const f2 of ['\u001BOQ', '\u001B[12~', '\u001B[[B']) {
			expect(decodeKeys(f2)).toEqual([{type: 'key', name: 'inspector-toggle'}]);
		}

		for (const f3 of ['\u001BOR', '\u001B[13~', '\u001B[[C']) {
			expect(decodeKeys(f3)).toEqual([{type: 'key', name: 'inspector-pause'}]);
		}
	});

	it('reads the buffer number of buffer-N and nothing else', () => {
		expect(bufferNumberOf('buffer-3')).toBe(3);
		expect(bufferNumberOf('buffer-next')).toBeUndefined();
		expect(bufferNumberOf('up')).toBeUndefined();
	});
});

describe('the readme\'s key table', () => {
	it('has a row for every labelled key binding, as /help gives it', async () => {
		const readme = await readFile(new URL('../../readme.md', import.meta.url), 'utf8');
		for (const [label, description] of keyHelp) {
			expect(readme, label).toContain(`| ${label} | ${description.replaceAll('|', String.raw`\|`)} |`);
		}
	});
});
