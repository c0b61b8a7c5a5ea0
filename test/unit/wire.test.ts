import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {parseNick} from '../../source/cli/options.js';
import {formatGreeting, parseGreeting, protocolVersion} from '../../source/net/wire/greeting.js';
import {readIncoming} from '../../source/net/wire/incoming.js';
import {parseNcatLine} from '../../source/net/wire/ncat.js';
import {formatTagged, parseTagged, type TaggedLine, type Tags} from '../../source/net/wire/tags.js';

function isValidNick(value: string): boolean {
	try {
		return parseNick(value) === value;
	} catch {
		return false;
	}
}

/** Characters the tag escaping must survive, mixed with anything else. */
const trickyChar = fc.oneof(
	fc.constantFrom(';', ' ', '\\', '\r', '\n', '=', '@', ':', 's', 'r', 'n', '\\s', '\\:', '你', '👍🏽'),
	fc.string({unit: 'binary', minLength: 1, maxLength: 1}),
);
const tagValue = fc.oneof(fc.constant(true as const), fc.string({unit: trickyChar, maxLength: 20}));
const tagKey = fc.stringMatching(/^[a-zA-Z\d-]{1,32}$/);

describe('greeting line', () => {
	it('is the documented human-readable line', () => {
		expect(formatGreeting('alice', 7852)).toBe('*** alice is here via tui-netchat (tnc/1 port 7852)');
	});

	it('parses back the nick, protocol version and port it was formatted with', () => {
		expect(parseGreeting(formatGreeting('alice', 7852))).toEqual({nick: 'alice', version: protocolVersion, port: 7852});
	});

	it('round-trips any valid nick and port', () => {
		fc.assert(
			fc.property(
				fc.string({unit: 'grapheme', minLength: 1, maxLength: 32}).filter(nick => isValidNick(nick)),
				fc.integer({min: 1, max: 65_535}),
				(nick, port) => {
					expect(parseGreeting(formatGreeting(nick, port))).toEqual({nick, version: protocolVersion, port});
				},
			),
		);
	});

	it('round-trips a greeting without a port', () => {
		expect(parseGreeting(formatGreeting('bob', undefined))).toEqual({nick: 'bob', version: protocolVersion, port: undefined});
	});

	it.each([
		'hello there',
		'*** alice is here',
		'*** alice is here via tui-netchat',
		'*** two words is here via tui-netchat (tnc/1 port 7852)',
		'say: *** alice is here via tui-netchat (tnc/1 port 7852)',
		'*** alice is here via tui-netchat (tnc/1 port 7852) and more',
		'@id=1 *** alice is here via tui-netchat (tnc/1 port 7852)x',
	])('does not take the chat line %j for a greeting', line => {
		expect(parseGreeting(line)).toBeUndefined();
	});

	it('never takes a line that does not start with "*** " for a greeting', () => {
		fc.assert(
			fc.property(fc.string({unit: 'grapheme'}).filter(line => !line.startsWith('*** ')), line => {
				expect(parseGreeting(line)).toBeUndefined();
			}),
		);
	});
});

describe('message tags', () => {
	it('formats an id and a flag before the text', () => {
		expect(formatTagged({tags: {id: '7', me: true}, text: 'hello there'})).toBe('@id=7;me hello there');
	});

	it('escapes ";", space, backslash, CR and LF in values so the tag head stays one word', () => {
		const line = formatTagged({tags: {note: 'a; b\\c\r\nd'}, text: 'text'});
		expect(line).toBe('@note=a\\:\\sb\\\\c\\r\\nd text');
		expect(line).not.toMatch(/[\r\n]/);
	});

	it('parses back values with ";", spaces, backslashes, CR and LF', () => {
		const tagged: TaggedLine = {tags: {note: 'a; b\\c\r\nd', id: '1', me: true}, text: 'hi; there \\ friend'};
		expect(parseTagged(formatTagged(tagged))).toEqual(tagged);
	});

	it('round-trips any tags with valid keys and any text (property)', () => {
		fc.assert(
			fc.property(
				fc.dictionary(tagKey, tagValue, {minKeys: 1, maxKeys: 5, noNullPrototype: true}),
				fc.string({unit: trickyChar, maxLength: 40}),
				(tags: Tags, text: string) => {
					expect(parseTagged(formatTagged({tags, text}))).toEqual({tags, text});
				},
			),
			{numRuns: 500},
		);
	});

	it('reads a line without "@" as all text, whatever it contains', () => {
		fc.assert(
			fc.property(fc.string({unit: trickyChar}).filter(line => !line.startsWith('@')), line => {
				expect(parseTagged(line)).toEqual({tags: {}, text: line});
			}),
		);
	});

	it('reads "@home is where..." from a plain peer as all text, as the key has no tag shape', () => {
		expect(parseTagged('@home; is where the heart is')).toEqual({tags: {}, text: '@home; is where the heart is'});
	});

	it('formats a line without tags as just its text', () => {
		expect(formatTagged({tags: {}, text: 'plain'})).toBe('plain');
	});
});

describe('ncat --chat lines', () => {
	it('reads a user line and decodes its octal-escaped UTF-8', () => {
		expect(parseNcatLine('<user5> \\344\\275\\240\\345\\245\\275 hi')).toEqual({kind: 'message', user: 'user5', text: '你好 hi'});
	});

	it('reads an announce line', () => {
		expect(parseNcatLine('<announce> 127.0.0.1 is connected as <user5>.')).toEqual({
			kind: 'announce',
			text: '127.0.0.1 is connected as <user5>.',
		});
	});

	it('leaves text without escapes alone', () => {
		expect(parseNcatLine('<user12> plain text')).toEqual({kind: 'message', user: 'user12', text: 'plain text'});
	});

	it('does not take an ordinary line for an ncat line', () => {
		expect(parseNcatLine('hello <user5> there')).toBeUndefined();
		expect(parseNcatLine('<bob> hi')).toBeUndefined();
	});
});

describe('readIncoming', () => {
	const plainUdp = {tnc: false, transport: 'udp', ncat: false} as const;
	const tncUdp = {tnc: true, transport: 'udp', ncat: false} as const;

	it('reads a greeting from anyone', () => {
		expect(readIncoming('*** bob is here via tui-netchat (tnc/1 port 7852)', plainUdp)).toMatchObject({kind: 'greeting', greeting: {nick: 'bob', port: 7852}});
	});

	it('reads tags only from a tui-netchat, and a plain peer\'s "@home" as text', () => {
		expect(readIncoming('@home sweet home', plainUdp)).toEqual({kind: 'plain', text: '@home sweet home'});
		expect(readIncoming('@id=abc hi', tncUdp)).toEqual({kind: 'tagged', tags: {id: 'abc'}, text: 'hi', recognised: false});
	});

	it('recognises our own tag form from a sender it does not know yet (a restart on either side)', () => {
		expect(readIncoming('@id=AbCdEfGh-12;me waves', plainUdp)).toEqual({kind: 'tagged', tags: {id: 'AbCdEfGh-12', me: true}, text: 'waves', recognised: true});
	});

	it('reads ncat broker lines only over TCP', () => {
		const tcp = {tnc: false, transport: 'tcp', ncat: false} as const;
		expect(readIncoming('<announce> 127.0.0.1 is connected as <user5>.', tcp)).toEqual({kind: 'ncat-announce', text: '127.0.0.1 is connected as <user5>.'});
		expect(readIncoming('<user5> hi', {...tcp, ncat: true})).toEqual({kind: 'ncat-message', user: 'user5', text: 'hi'});
		expect(readIncoming('<user5> hi', tcp)).toEqual({kind: 'plain', text: '<user5> hi'});
		expect(readIncoming('<announce> x', plainUdp)).toEqual({kind: 'plain', text: '<announce> x'});
	});
});
