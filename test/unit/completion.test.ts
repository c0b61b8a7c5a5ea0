import {describe, expect, it} from 'vitest';
import {completionsAt, startCompletion, stepCompletion, type CompletionSources} from '../../source/ui/input/completion.js';
import {commandNames, completionSources} from '../../source/ui/input/completion-sources.js';
import type {InputLine} from '../../source/ui/input/input-line.js';
import {conversation, inLine, outLine, snapshot} from '../helpers/fake-store.js';

const sources: CompletionSources = {
	nicks: ['bob', 'bea', 'carol', 'me'],
	commands: ['/help', '/query', '/quit', '/msg', '/join', '/nick'],
	targets: ['bob', 'dave', '127.0.0.1:7852', '2'],
	channels: ['#rust', '#ruby'],
};

function at(value: string, cursor = value.length): InputLine {
	return {value, cursor};
}

/** Every line Tab shows, pressed `times` times from `line`. */
function tabs(line: InputLine, times: number, step: 1 | -1 = 1): string[] {
	const first = startCompletion(line, sources, step === -1);
	if (!first) {
		return [];
	}

	let [cycle, shown] = first;
	const seen = [shown.value];
	for (let count = 1; count < times; count++) {
		[cycle, shown] = stepCompletion(cycle, step);
		seen.push(shown.value);
	}

	return seen;
}

describe('completionsAt', () => {
	it('completes a nick at line start as "nick: ", most recent speaker first', () => {
		expect(completionsAt('b', 1, sources).candidates).toEqual(['bob: ', 'bea: ']);
	});

	it('completes a nick elsewhere as "nick "', () => {
		expect(completionsAt('hi b', 4, sources)).toEqual({start: 3, candidates: ['bob ', 'bea ']});
	});

	it('matches without regard to case', () => {
		expect(completionsAt('CA', 2, sources).candidates).toEqual(['carol: ']);
	});

	it('offers every nick on an empty line, ours last', () => {
		expect(completionsAt('', 0, sources).candidates).toEqual(['bob: ', 'bea: ', 'carol: ', 'me: ']);
	});

	it('completes commands after "/" at the start', () => {
		expect(completionsAt('/q', 2, sources).candidates).toEqual(['/query ', '/quit ']);
	});

	it('does not complete commands in "//text"', () => {
		expect(completionsAt('//q', 3, sources).candidates).toEqual([]);
	});

	it('completes /query and /msg targets: peers, and for /msg channels', () => {
		expect(completionsAt('/query d', 8, sources).candidates).toEqual(['dave ']);
		expect(completionsAt('/query 1', 8, sources).candidates).toEqual(['127.0.0.1:7852 ']);
		expect(completionsAt('/msg #ru', 8, sources).candidates).toEqual(['#rust ', '#ruby ']);
	});

	it('completes channels after /join and for any word starting with #', () => {
		expect(completionsAt('/join #rub', 10, sources).candidates).toEqual(['#ruby ']);
		expect(completionsAt('see #ru', 7, sources).candidates).toEqual(['#rust ', '#ruby ']);
	});

	it('completes nicks, not targets, in the text of /msg', () => {
		expect(completionsAt('/msg dave hi ca', 15, sources).candidates).toEqual(['carol ']);
	});

	it('treats the start of each line of a multi-line draft as a line start', () => {
		expect(completionsAt('first\nca', 8, sources).candidates).toEqual(['carol: ']);
	});
});

describe('startCompletion and stepCompletion', () => {
	it('cycles through the candidates and round again', () => {
		expect(tabs(at('b'), 3)).toEqual(['bob: ', 'bea: ', 'bob: ']);
	});

	it('goes backwards with Shift+Tab, from the last', () => {
		expect(tabs(at('b'), 2, -1)).toEqual(['bea: ', 'bob: ']);
	});

	it('keeps the text after the cursor and puts the cursor after the completion', () => {
		const first = startCompletion(at('hi ca there', 5), sources);
		expect(first?.[1]).toEqual({value: 'hi carol there', cursor: 8});
	});

	it('gives nothing when nothing matches', () => {
		expect(startCompletion(at('zz'), sources)).toBeUndefined();
	});
});

describe('completionSources', () => {
	it('takes nicks from the buffer\'s incoming lines, most recent first, our own nick last', () => {
		const state = snapshot({
			nick: 'me',
			conversations: [conversation('c1', 'bob'), conversation('c2', 'carol')],
			lines: [
				inLine('1', {from: 'carol', conversation: 'c2'}),
				inLine('2', {from: 'bob', conversation: 'c1'}),
				outLine('3', {from: 'me'}),
				inLine('4', {from: 'dave'}),
			],
		});
		expect(completionSources(state, undefined).nicks).toEqual(['dave', 'bob', 'carol', 'me']);
		expect(completionSources(state, 'c1').nicks).toEqual(['bob', 'me']);
	});

	it('adds a channel\'s members without their rank, and uses our nick on that network', () => {
		const network = {id: 'n1', name: 'net', nick: 'alice', state: 'registered' as const, caps: []};
		const state = snapshot({
			conversations: [conversation('i1', '#room', {kind: 'channel', network, members: ['@op', '+voiced', 'alice', 'zed']}), conversation('c1', 'bob')],
			lines: [inLine('hi', {from: 'zed', conversation: 'i1', transport: 'irc'})],
		});
		const here = completionSources(state, 'i1');
		expect(here.nicks).toEqual(['zed', 'op', 'voiced', 'alice']);
		expect(here.channels).toEqual(['#room']);
		expect(here.targets).toEqual(['zed', 'op', 'voiced']);
	});

	it('offers peers as targets: nicks by last heard, then addresses, then numbers', () => {
		const state = snapshot({
			conversations: [conversation('c1', 'bob', {lastHeard: 1, address: '127.0.0.1:1'}), conversation('c2', 'carol', {lastHeard: 2, address: '127.0.0.1:2'})],
		});
		expect(completionSources(state, undefined).targets).toEqual(['carol', 'bob', '127.0.0.1:2', '127.0.0.1:1', '2', '1']);
	});

	it('names every command of /help, the IRC ones too, and not //text', () => {
		const names = commandNames();
		expect(names).toEqual(expect.arrayContaining(['/help', '/query', '/msg', '/buffer', '/b', '/join', '/whois', '/mode', '/away', '/quit']));
		expect(names).not.toContain('//text');
		expect(commandNames([['/buffer N, /b N', 'x'], ['//text', 'y']])).toEqual(['/buffer', '/b']);
	});
});
