import {execFileSync} from 'node:child_process';
import {mkdtempSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import {homedir, tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {sanitizeFileName, uniqueName} from '../../source/net/files/names.js';
import {shellWord} from '../../source/net/files/plain-transfers.js';
import {parseFileCommand} from '../../source/ui/commands/parse-files.js';

// What a file's name can do on the receiver's disk and in the nc lines a person pastes.

const directories: string[] = [];
afterEach(() => {
	for (const directory of directories.splice(0)) {
		rmSync(directory, {recursive: true, force: true});
	}
});

describe('names from a peer', () => {
	it('drops line separators, invisible format characters and tag characters', () => {
		expect(sanitizeFileName('a\u2028b\u2029c\u061Cd\u2060e\u180Ef\u{E0041}g.txt')).toBe('abcdefg.txt');
	});

	it('does not take a name a dangling symbolic link already has (the partial file would follow it)', () => {
		const directory = mkdtempSync(join(tmpdir(), 'tnc-names-'));
		directories.push(directory);
		symlinkSync(join(directory, 'nowhere', 'x'), join(directory, 'report.bin.part'));
		expect(uniqueName(directory, 'report.bin', ['.part'])).toBe('report (1).bin');
	});
});

describe('nc lines for plain peers', () => {
	it('quotes a name so the shell reads it as one word and runs nothing in it', () => {
		const directory = mkdtempSync(join(tmpdir(), 'tnc-quote-'));
		directories.push(directory);
		for (const name of ['my report.pdf', "it's $(touch pwned) `x`; & y.txt"]) {
			execFileSync('sh', ['-c', `printf ok > ${shellWord(name)}`], {cwd: directory});
			expect(execFileSync('sh', ['-c', 'ls'], {cwd: directory, encoding: 'utf8'})).toContain(name);
			rmSync(join(directory, name));
		}

		expect(() => execFileSync('sh', ['-c', 'ls pwned'], {cwd: directory, stdio: 'ignore'})).toThrow();
	});
});

describe('/send paths as terminals paste them', () => {
	const send = (rest: string, exists: (path: string) => boolean = () => false) => parseFileCommand('send', rest, exists)?.command;

	it('reads a quoted or backslash-escaped path, with or without a peer after it', () => {
		expect(send("'/tmp/a b.txt' ")).toEqual({type: 'send', path: '/tmp/a b.txt'});
		expect(send('"/tmp/a b.txt" bob')).toEqual({type: 'send', path: '/tmp/a b.txt', peer: 'bob'});
		expect(send('/tmp/a\\ b.txt')).toEqual({type: 'send', path: '/tmp/a b.txt'});
		expect(send('/tmp/a\\ b.txt 2')).toEqual({type: 'send', path: '/tmp/a b.txt', peer: '2'});
	});

	it('expands ~ before asking whether the path exists', () => {
		const file = join(homedir(), 'my file.txt');
		expect(send('~/my file.txt', path => path === file)).toEqual({type: 'send', path: file});
		expect(send('~/notes.txt')).toEqual({type: 'send', path: join(homedir(), 'notes.txt')});
	});

	it('still reads an unquoted path with spaces and a peer at the end', () => {
		expect(send('my file.txt 2')).toEqual({type: 'send', path: 'my file.txt', peer: '2'});
	});
});
