import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {escapeTagValue, formatMessage, parseMessage, unescapeTagValue} from '../../source/net/irc/message.js';

/** A message in the shape of the ircdocs parser-tests: absent keys are empty. */
type Atoms = {readonly tags?: Record<string, string>; readonly source?: string; readonly verb: string; readonly params?: readonly string[]};

// ircdocs/parser-tests msg-split.yaml (CC0)
const splitVectors: ReadonlyArray<readonly [string, Atoms]> = [
	['foo bar baz asdf', {verb: 'foo', params: ['bar', 'baz', 'asdf']}],
	[':coolguy foo bar baz asdf', {source: 'coolguy', verb: 'foo', params: ['bar', 'baz', 'asdf']}],
	['foo bar baz :asdf quux', {verb: 'foo', params: ['bar', 'baz', 'asdf quux']}],
	['foo bar baz :', {verb: 'foo', params: ['bar', 'baz', '']}],
	['foo bar baz ::asdf', {verb: 'foo', params: ['bar', 'baz', ':asdf']}],
	[':coolguy foo bar baz :asdf quux', {source: 'coolguy', verb: 'foo', params: ['bar', 'baz', 'asdf quux']}],
	[':coolguy foo bar baz :  asdf quux ', {source: 'coolguy', verb: 'foo', params: ['bar', 'baz', '  asdf quux ']}],
	[':coolguy PRIVMSG bar :lol :) ', {source: 'coolguy', verb: 'PRIVMSG', params: ['bar', 'lol :) ']}],
	[':coolguy foo bar baz :', {source: 'coolguy', verb: 'foo', params: ['bar', 'baz', '']}],
	[':coolguy foo bar baz :  ', {source: 'coolguy', verb: 'foo', params: ['bar', 'baz', '  ']}],
	['@a=b;c=32;k;rt=ql7 foo', {tags: {a: 'b', c: '32', k: '', rt: 'ql7'}, verb: 'foo'}],
	[String.raw`@a=b\\and\nk;c=72\s45;d=gh\:764 foo`, {tags: {a: 'b\\and\nk', c: '72 45', d: 'gh;764'}, verb: 'foo'}],
	['@c;h=;a=b :quux ab cd', {tags: {c: '', h: '', a: 'b'}, source: 'quux', verb: 'ab', params: ['cd']}],
	[':src JOIN #chan', {source: 'src', verb: 'JOIN', params: ['#chan']}],
	[':src JOIN :#chan', {source: 'src', verb: 'JOIN', params: ['#chan']}],
	[':src AWAY', {source: 'src', verb: 'AWAY'}],
	[':src AWAY ', {source: 'src', verb: 'AWAY'}],
	[':cool\tguy foo bar baz', {source: 'cool\tguy', verb: 'foo', params: ['bar', 'baz']}],
	[':coolguy!ag@net\u00035w\u0003ork.admin PRIVMSG foo :bar baz', {source: 'coolguy!ag@net\u00035w\u0003ork.admin', verb: 'PRIVMSG', params: ['foo', 'bar baz']}],
	[':coolguy!~ag@n\u0002et\u000305w\u000Fork.admin PRIVMSG foo :bar baz', {source: 'coolguy!~ag@n\u0002et\u000305w\u000Fork.admin', verb: 'PRIVMSG', params: ['foo', 'bar baz']}],
	['@tag1=value1;tag2;vendor1/tag3=value2;vendor2/tag4= :irc.example.com COMMAND param1 param2 :param3 param3', {tags: {tag1: 'value1', tag2: '', 'vendor1/tag3': 'value2', 'vendor2/tag4': ''}, source: 'irc.example.com', verb: 'COMMAND', params: ['param1', 'param2', 'param3 param3']}],
	[':irc.example.com COMMAND param1 param2 :param3 param3', {source: 'irc.example.com', verb: 'COMMAND', params: ['param1', 'param2', 'param3 param3']}],
	['@tag1=value1;tag2;vendor1/tag3=value2;vendor2/tag4 COMMAND param1 param2 :param3 param3', {tags: {tag1: 'value1', tag2: '', 'vendor1/tag3': 'value2', 'vendor2/tag4': ''}, verb: 'COMMAND', params: ['param1', 'param2', 'param3 param3']}],
	['COMMAND', {verb: 'COMMAND'}],
	[String.raw`@foo=\\\\\:\\s\s\r\n COMMAND`, {tags: {foo: '\\\\;\\s \r\n'}, verb: 'COMMAND'}],
	[':gravel.mozilla.org 432  #momo :Erroneous Nickname: Illegal characters', {source: 'gravel.mozilla.org', verb: '432', params: ['#momo', 'Erroneous Nickname: Illegal characters']}],
	[':gravel.mozilla.org MODE #tckk +n ', {source: 'gravel.mozilla.org', verb: 'MODE', params: ['#tckk', '+n']}],
	[':services.esper.net MODE #foo-bar +o foobar  ', {source: 'services.esper.net', verb: 'MODE', params: ['#foo-bar', '+o', 'foobar']}],
	[String.raw`@tag1=value\\ntest COMMAND`, {tags: {tag1: 'value\\ntest'}, verb: 'COMMAND'}],
	[String.raw`@tag1=value\1 COMMAND`, {tags: {tag1: 'value1'}, verb: 'COMMAND'}],
	[String.raw`@tag1=value1\ COMMAND`, {tags: {tag1: 'value1'}, verb: 'COMMAND'}],
	['@tag1=1;tag2=3;tag3=4;tag1=5 COMMAND', {tags: {tag1: '5', tag2: '3', tag3: '4'}, verb: 'COMMAND'}],
	['@tag1=1;tag2=3;tag3=4;tag1=5;vendor/tag2=8 COMMAND', {tags: {tag1: '5', tag2: '3', tag3: '4', 'vendor/tag2': '8'}, verb: 'COMMAND'}],
	[':SomeOp MODE #channel :+i', {source: 'SomeOp', verb: 'MODE', params: ['#channel', '+i']}],
	[':SomeOp MODE #channel +oo SomeUser :AnotherUser', {source: 'SomeOp', verb: 'MODE', params: ['#channel', '+oo', 'SomeUser', 'AnotherUser']}],
];

// ircdocs/parser-tests msg-join.yaml (CC0), without the sources, which a client does not send.
const joinVectors: ReadonlyArray<readonly [Atoms, readonly string[]]> = [
	[{verb: 'foo', params: ['bar', 'baz', 'asdf']}, ['foo bar baz asdf', 'foo bar baz :asdf']],
	[{verb: 'AWAY'}, ['AWAY']],
	[{verb: 'AWAY', params: ['']}, ['AWAY :']],
	[{verb: 'foo', params: ['bar', 'baz', 'asdf quux']}, ['foo bar baz :asdf quux']],
	[{verb: 'foo', params: ['bar', 'baz', '']}, ['foo bar baz :']],
	[{verb: 'foo', params: ['bar', 'baz', ':asdf']}, ['foo bar baz ::asdf']],
	[{verb: 'foo', params: ['bar', 'baz', '  asdf quux ']}, ['foo bar baz :  asdf quux ']],
	[{verb: 'PRIVMSG', params: ['bar', 'lol :) ']}, ['PRIVMSG bar :lol :) ']],
	[{verb: 'foo', params: ['bar', 'baz', '  ']}, ['foo bar baz :  ']],
	[{verb: 'foo', params: ['b\tar', 'baz']}, ['foo b\tar baz', 'foo b\tar :baz']],
	[{tags: {asd: ''}, verb: 'foo', params: ['bar', 'baz', '  ']}, ['@asd foo bar baz :  ']],
	[{tags: {a: 'b\\and\nk', d: 'gh;764'}, verb: 'foo'}, [String.raw`@a=b\\and\nk;d=gh\:764 foo`, String.raw`@d=gh\:764;a=b\\and\nk foo`]],
	[{tags: {a: 'b\\and\nk', d: 'gh;764'}, verb: 'foo', params: ['par1', 'par2']}, [String.raw`@a=b\\and\nk;d=gh\:764 foo par1 par2`, String.raw`@a=b\\and\nk;d=gh\:764 foo par1 :par2`]],
	[{tags: {foo: '\\\\;\\s \r\n'}, verb: 'COMMAND'}, [String.raw`@foo=\\\\\:\\s\s\r\n COMMAND`]],
];

describe('parseMessage', () => {
	it.each(splitVectors)('splits %j as the ircdocs parser tests expect', (line, {tags = {}, source, verb, params = []}) => {
		const message = parseMessage(line);
		expect(message && {tags: Object.fromEntries(message.tags), source: message.source?.raw, command: message.command, params: message.params})
			.toEqual({tags, source, command: verb.toUpperCase(), params});
	});

	it.each([
		['coolguy!ag@127.0.0.1', 'coolguy', 'ag', '127.0.0.1'],
		['coolguy!~ag@localhost', 'coolguy', '~ag', 'localhost'],
		['coolguy@127.0.0.1', 'coolguy', undefined, '127.0.0.1'],
		['coolguy!ag', 'coolguy', 'ag', undefined],
		['coolguy!ag@net\u00035w\u0003ork.admin', 'coolguy', 'ag', 'net\u00035w\u0003ork.admin'],
		['irc.example.net', 'irc.example.net', undefined, undefined],
	])('splits the source %j into nick, user and host', (raw, nick, user, host) => {
		expect(parseMessage(`:${raw} PRIVMSG #a :hi`)?.source).toEqual({nick, user, host, raw});
	});

	it('reads the tags of the message-tags spec examples', () => {
		const message = parseMessage('@aaa=bbb;ccc;example.com/ddd=eee :nick!ident@host.com PRIVMSG me :Hello');
		expect(message?.tags).toEqual(new Map([['aaa', 'bbb'], ['ccc', ''], ['example.com/ddd', 'eee']]));
		expect(message?.source).toEqual({nick: 'nick', user: 'ident', host: 'host.com', raw: 'nick!ident@host.com'});
		expect(parseMessage(String.raw`@+example=raw+:=,escaped\:\s\\ :irc.example.com NOTICE #channel :Message`)?.tags.get('+example')).toBe('raw+:=,escaped; \\');
		expect(parseMessage('@label=123;msgid=abc;+example-client-tag=example-value :nick!user@example.com TAGMSG #channel')?.tags)
			.toEqual(new Map([['label', '123'], ['msgid', 'abc'], ['+example-client-tag', 'example-value']]));
	});

	it('upper-cases the command and keeps numerics as they are', () => {
		expect(parseMessage('privmsg #a :hi')?.command).toBe('PRIVMSG');
		expect(parseMessage(':irc.example.net 001 me :Welcome')?.command).toBe('001');
	});

	it('reads more than 15 params, as modern clients must', () => {
		const tokens = Array.from({length: 20}, (_, index) => `T${index}`);
		expect(parseMessage(`:irc.example.net 005 me ${tokens.join(' ')} :are supported`)?.params).toEqual(['me', ...tokens, 'are supported']);
	});

	it('skips empty tags', () => {
		expect(parseMessage('@;a=1;;=x; PING')?.tags).toEqual(new Map([['a', '1']]));
	});

	it.each(['', '   ', '@a=b', '@a=b ', ':src', '@a=b :src  ', ': '])('refuses %j, which has no command', line => {
		expect(parseMessage(line)).toBeUndefined();
	});

	it('never throws, whatever the line (property)', () => {
		fc.assert(fc.property(fc.string({unit: 'binary', maxLength: 200}), line => {
			parseMessage(line);
		}), {numRuns: 2000});
	});
});

describe('formatMessage', () => {
	it.each(joinVectors)('joins %j as the ircdocs parser tests expect', ({tags, verb, params = []}, matches) => {
		expect(matches).toContain(formatMessage(verb, params, tags));
	});

	it('writes a tag with an empty value as its key alone', () => {
		expect(formatMessage('TAGMSG', ['#channel'], {'+typing': 'active', '+draft/reply': ''})).toBe('@+typing=active;+draft/reply TAGMSG #channel');
	});

	it('writes no tag prefix for no tags', () => {
		expect(formatMessage('PING', ['x'], {})).toBe('PING x');
	});

	it.each([[''], ['a b'], [':a']])('refuses the middle param %j', param => {
		expect(() => formatMessage('PRIVMSG', [param, 'text'])).toThrow(Error);
	});

	it.each(['a\rb', 'a\nb', 'a\0b'])('refuses %j in any param, the trailing one too', param => {
		expect(() => formatMessage('PRIVMSG', ['#a', param])).toThrow(Error);
		expect(() => formatMessage('PRIVMSG', [param, 'text'])).toThrow(Error);
	});

	it('names a refused param by its place, never by its text', () => {
		expect(() => formatMessage('PASS', ['hunter2\r\nQUIT'])).toThrow('Cannot send PASS: parameter 1 has a line break or NUL');
	});

	it.each(['', 'a b', 'a;b', 'a=b', 'a\nb', '+', 'vendor/'])('refuses the tag key %j', key => {
		expect(() => formatMessage('TAGMSG', ['#a'], {[key]: 'v'})).toThrow(Error);
	});

	it('escapes CR and LF in a tag value but refuses NUL', () => {
		expect(formatMessage('TAGMSG', ['#a'], {k: 'a\r\nb'})).toBe(String.raw`@k=a\r\nb TAGMSG #a`);
		expect(() => formatMessage('TAGMSG', ['#a'], {k: 'a\0b'})).toThrow(Error);
	});

	it.each(['', 'PRIV MSG', '01', '0001', 'PRIVMSG\r\n', 'A1'])('refuses the command %j', command => {
		expect(() => formatMessage(command, [])).toThrow(Error);
	});
});

const command = fc.oneof(fc.stringMatching(/^[A-Za-z]{1,12}$/), fc.stringMatching(/^\d{3}$/));
const middle = fc.string({unit: 'binary', minLength: 1, maxLength: 12}).filter(param => !/[ \r\n\0]/.test(param) && !param.startsWith(':'));
const trailing = fc.string({unit: 'binary', maxLength: 40}).filter(param => !/[\r\n\0]/.test(param));
const params = fc.tuple(fc.array(middle, {maxLength: 18}), fc.option(trailing)).map(([middles, last]) => (last === null ? middles : [...middles, last]));
const tags = fc.dictionary(fc.stringMatching(/^\+?(?:[A-Za-z\d.-]{1,8}\/)?[A-Za-z\d-]{1,8}$/), fc.string({unit: 'binary', maxLength: 20}).filter(value => !value.includes('\0')), {maxKeys: 5});

describe('formatMessage and parseMessage together', () => {
	it('parse back what was formatted (property)', () => {
		fc.assert(fc.property(command, params, tags, (verb, parameters, tagRecord) => {
			expect(parseMessage(formatMessage(verb, parameters, tagRecord)))
				.toEqual({tags: new Map(Object.entries(tagRecord)), source: undefined, command: verb.toUpperCase(), params: parameters});
		}), {numRuns: 1000});
	});

	it('unescape what was escaped (property)', () => {
		fc.assert(fc.property(fc.string({unit: 'binary'}), value => {
			expect(unescapeTagValue(escapeTagValue(value))).toBe(value);
		}));
	});

	it('escapes the raw value of the spec example as the spec does', () => {
		expect(escapeTagValue('raw+:=,escaped; \\')).toBe(String.raw`raw+:=,escaped\:\s\\`);
	});
});
