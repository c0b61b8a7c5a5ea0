import {describe, expect, it} from 'vitest';
import {mentions} from '../../source/ui/buffers/mentions.js';

describe('mentions', () => {
	it.each([
		['alice: are you there?', 'alice'],
		['hi Alice!', 'alice'],
		['ALICE', 'alice'],
		['(alice)', 'alice'],
		['ping bob-2, please', 'bob-2'],
		['a.b said so', 'a.b'],
		['[x] look', '[x]'],
		['小明你好', '小明'],
		['alice你好', 'alice'],
		['你好 bob', 'bob'],
	])('finds the nick in %j (nick %j)', (text, nick) => {
		expect(mentions(text, nick)).toBe(true);
	});

	it.each([
		['malice is not a name', 'alice'],
		['alices', 'alice'],
		['alice_bot says hi', 'alice'],
		['alice2', 'alice'],
		['axb', 'a.b'],
		['nothing here', 'alice'],
		['', 'alice'],
	])('does not find it inside another word: %j (nick %j)', (text, nick) => {
		expect(mentions(text, nick)).toBe(false);
	});

	it('never matches an empty nick', () => {
		expect(mentions('anything', '')).toBe(false);
	});

	it('follows a change of nick', () => {
		expect(mentions('hi alice', 'alice')).toBe(true);
		expect(mentions('hi alice', 'bob')).toBe(false);
		expect(mentions('hi bob', 'bob')).toBe(true);
	});
});
