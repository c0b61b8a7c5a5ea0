import {describe, expect, it} from 'vitest';
import {capsToRequest, parseCapList, saslPlainChunks} from '../../source/net/irc/capabilities.js';

const everyWanted = [
	'message-tags',
	'server-time',
	'echo-message',
	'batch',
	'labeled-response',
	'multi-prefix',
	'away-notify',
	'chghost',
	'setname',
	'userhost-in-names',
	'draft/chathistory',
	'chathistory',
];

function offered(list: string): Map<string, string> {
	return parseCapList(list);
}

function decode(chunks: readonly string[]): string {
	return Buffer.from(chunks.filter(chunk => chunk !== '+').join(''), 'base64').toString('utf8');
}

describe('parseCapList', () => {
	it('maps each cap to its value, or to an empty string', () => {
		expect(parseCapList('sasl=PLAIN,EXTERNAL server-time multi-prefix')).toEqual(new Map([
			['sasl', 'PLAIN,EXTERNAL'],
			['server-time', ''],
			['multi-prefix', ''],
		]));
	});

	it('keeps everything after the first = as the value', () => {
		expect(parseCapList('draft/example=a=b,c')).toEqual(new Map([['draft/example', 'a=b,c']]));
	});

	it('ignores extra spaces and reads an empty list as no caps', () => {
		expect(parseCapList('  batch   echo-message ')).toEqual(new Map([['batch', ''], ['echo-message', '']]));
		expect(parseCapList('')).toEqual(new Map());
	});
});

describe('capsToRequest', () => {
	it('asks for every cap it knows, in its own order, when all are offered', () => {
		const list = `unknown-cap sasl=PLAIN account-tag ${[...everyWanted].reverse().join(' ')}`;
		expect(capsToRequest(offered(list), false)).toEqual(everyWanted);
	});

	it('asks only for caps that are offered', () => {
		expect(capsToRequest(offered('server-time account-notify batch extended-join'), false)).toEqual(['server-time', 'batch']);
		expect(capsToRequest(new Map(), true)).toEqual([]);
	});

	it('asks for sasl only when an account is to be used', () => {
		expect(capsToRequest(offered('batch sasl=PLAIN'), true)).toEqual(['batch', 'sasl']);
		expect(capsToRequest(offered('batch sasl=PLAIN'), false)).toEqual(['batch']);
	});

	it('asks for sasl when PLAIN is among its mechanisms or none are listed', () => {
		expect(capsToRequest(offered('sasl=EXTERNAL,PLAIN,SCRAM-SHA-256'), true)).toEqual(['sasl']);
		expect(capsToRequest(offered('sasl'), true)).toEqual(['sasl']);
	});

	it('does not ask for sasl when PLAIN is not offered', () => {
		expect(capsToRequest(offered('sasl=EXTERNAL,SCRAM-SHA-256'), true)).toEqual([]);
		expect(capsToRequest(offered('batch'), true)).toEqual(['batch']);
	});
});

describe('saslPlainChunks', () => {
	it('encodes an empty authzid, the account and the password', () => {
		expect(saslPlainChunks('jilles', 'sesame')).toEqual([Buffer.from('\0jilles\0sesame').toString('base64')]);
		expect(saslPlainChunks('jilles', 'sesame')).toEqual(['AGppbGxlcwBzZXNhbWU=']);
	});

	it('encodes a non-ASCII password as UTF-8', () => {
		expect(decode(saslPlainChunks('zoë', 'pässwörd 你好'))).toBe('\0zoë\0pässwörd 你好');
	});

	it('sends a payload under 400 characters as one chunk', () => {
		const chunks = saslPlainChunks('a', 'x'.repeat(293));
		expect(chunks.map(chunk => chunk.length)).toEqual([396]);
	});

	// 300 bytes encode to exactly 400 base64 characters: '\0' 'a' '\0' and 297 bytes of password.
	it('ends a payload of exactly 400 characters with +', () => {
		const chunks = saslPlainChunks('a', 'x'.repeat(297));
		expect(chunks.map(chunk => chunk.length)).toEqual([400, 1]);
		expect(chunks.at(-1)).toBe('+');
		expect(decode(chunks)).toBe(`\0a\0${'x'.repeat(297)}`);
	});

	it('cuts a longer payload into 400-character chunks', () => {
		const chunks = saslPlainChunks('a', 'x'.repeat(400));
		expect(chunks.map(chunk => chunk.length)).toEqual([400, 140]);
		expect(decode(chunks)).toBe(`\0a\0${'x'.repeat(400)}`);
	});

	it('ends a payload of exactly 800 characters with +', () => {
		const chunks = saslPlainChunks('a', 'x'.repeat(597));
		expect(chunks).toHaveLength(3);
		expect(chunks.slice(0, 2).map(chunk => chunk.length)).toEqual([400, 400]);
		expect(chunks[2]).toBe('+');
	});
});
