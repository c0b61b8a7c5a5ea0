import {describe, expect, it} from 'vitest';
import {recordingPipeActions} from '../helpers/pipe-actions.js';
import {currentValue, runPipeLine} from '../../source/cli/pipe-input.js';
import type {ConversationSummary} from '../../source/domain/conversation.js';

const bob: ConversationSummary = {
	id: 'c1',
	kind: 'peer',
	name: 'bob',
	address: '127.0.0.1:7852',
	protocol: 'tcp',
	tnc: true,
	transports: ['tcp'],
	lastHeard: 0,
	members: [],
	link: 'idle',
	retryInMs: undefined,
	number: 1,
};

const recorder = recordingPipeActions;

describe('runPipeLine in line mode (TERM=dumb): a person types', () => {
	it('asks for the current value on /nick and /proto alone, changing nothing', () => {
		const {calls, actions} = recorder();
		expect(runPipeLine('/nick', actions, 'line')).toEqual({type: 'show', what: 'nick'});
		expect(runPipeLine('/proto', actions, 'line')).toEqual({type: 'show', what: 'proto'});
		expect(runPipeLine('/protocol  ', actions, 'line')).toEqual({type: 'show', what: 'proto'});
		expect(calls).toEqual([]);
	});

	it('names line mode, not pipe mode, for a command it does not run', () => {
		const {calls, actions} = recorder();
		expect(runPipeLine('/help', actions, 'line')).toEqual({
			type: 'refused',
			message: '/help works only in the chat, not in line mode; not sent (line mode runs /nick /me /proto /connect /query /msg /quit; // starts a message with /)',
		});
		expect(runPipeLine('/frobnicate', actions, 'line')).toEqual({type: 'refused', message: expect.stringMatching(/^unknown command \/frobnicate, not sent \(line mode runs /)});
		expect(calls).toEqual([]);
	});
});

describe('currentValue: the answer, in the chat\'s words', () => {
	it('says who you are', () => {
		expect(currentValue('nick', {nick: 'dee', protocol: 'udp', targetConversation: undefined, conversations: []})).toBe('You are dee.');
	});

	it('says the protocol a typed line goes over, and to whom', () => {
		expect(currentValue('proto', {nick: 'dee', protocol: 'udp', targetConversation: undefined, conversations: []})).toBe('UDP (/proto tcp switches).');
		expect(currentValue('proto', {nick: 'dee', protocol: 'udp', targetConversation: 'c1', conversations: [bob]})).toBe('TCP with bob (/proto udp switches).');
		expect(currentValue('proto', {nick: 'dee', protocol: 'tcp', targetConversation: 'c2', conversations: [{...bob, id: 'c2', kind: 'room'}]})).toBe('TCP: a room is TCP only.');
	});
});

describe('runPipeLine in pipe mode: a script', () => {
	it('refuses /nick and /proto alone without saying they do not run in pipe mode', () => {
		const {calls, actions} = recorder();
		expect(runPipeLine('/nick', actions)).toEqual({type: 'refused', message: '/nick alone works only in the chat or line mode, not in pipe mode; not sent (/nick NAME sets your nick)'});
		expect(runPipeLine('/proto', actions)).toEqual({type: 'refused', message: '/proto alone works only in the chat or line mode, not in pipe mode; not sent (/proto udp|tcp switches)'});
		expect(calls).toEqual([]);
	});
});
