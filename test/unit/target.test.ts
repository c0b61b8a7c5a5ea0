import {beforeEach, describe, expect, it} from 'vitest';
import {Targeting} from '../../source/net/session/target.js';

let targeting: Targeting;

beforeEach(() => {
	targeting = new Targeting();
});

describe('Targeting', () => {
	it('has no target before anyone is chosen or writes', () => {
		expect(targeting.current()).toBeUndefined();
	});

	it('targets whoever wrote last', () => {
		targeting.heardFrom('c1');
		targeting.heardFrom('c2');
		expect(targeting.current()).toEqual({conversation: 'c2', source: 'last-sender'});
	});

	it('prefers the chosen conversation to the last sender', () => {
		targeting.choose('c1', 'chosen');
		targeting.heardFrom('c2');
		expect(targeting.current()).toEqual({conversation: 'c1', source: 'chosen'});
	});

	it('keeps how the target was chosen (--peer)', () => {
		targeting.heardFrom('c2');
		targeting.choose('c1', 'peer');
		expect(targeting.current()).toEqual({conversation: 'c1', source: 'peer'});
	});

	it('makes a greeter the target when nobody is yet', () => {
		targeting.greetedBy('c1');
		expect(targeting.current()).toEqual({conversation: 'c1', source: 'last-sender'});
	});

	it('does not let a greeting take the place of the last sender', () => {
		targeting.heardFrom('c1');
		targeting.greetedBy('c2');
		expect(targeting.current()?.conversation).toBe('c1');
	});

	it('follows a merge of the chosen conversation, keeping its source', () => {
		targeting.choose('c1', 'peer');
		targeting.moved('c1', 'c3');
		expect(targeting.current()).toEqual({conversation: 'c3', source: 'peer'});
	});

	it('follows a merge of the last sender', () => {
		targeting.heardFrom('c2');
		targeting.moved('c2', 'c3');
		expect(targeting.current()).toEqual({conversation: 'c3', source: 'last-sender'});
	});

	it('is not moved by a merge of another conversation', () => {
		targeting.heardFrom('c1');
		targeting.moved('c2', 'c3');
		expect(targeting.current()?.conversation).toBe('c1');
	});

	it('forgets a last sender that was forgotten', () => {
		targeting.heardFrom('c1');
		targeting.forget('c1');
		expect(targeting.current()).toBeUndefined();
	});

	it('keeps the last sender when another conversation is forgotten', () => {
		targeting.heardFrom('c1');
		targeting.forget('c2');
		expect(targeting.current()?.conversation).toBe('c1');
	});

	it('lets a greeting name the target again once the last sender is forgotten', () => {
		targeting.heardFrom('c1');
		targeting.forget('c1');
		targeting.greetedBy('c2');
		expect(targeting.current()?.conversation).toBe('c2');
	});
});
