import {describe, expect, it} from 'vitest';
import {readFile} from 'node:fs/promises';
import {bufferNumberOf, keyBindings, keyHelp} from '../../source/ui/keys/bindings.js';

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
