import {describe, expect, it} from 'vitest';
import {Echoes} from '../../source/net/irc/echoes.js';

describe('Echoes', () => {
	it('confirms a line by the label its echo carries, whatever the text', () => {
		const echoes = new Echoes();
		const first = echoes.label();
		const second = echoes.label();
		echoes.expect(1, '#room', 'same', first);
		echoes.expect(2, '#room', 'same', second);
		expect(echoes.echoed('#room', 'same', second)).toEqual({ours: true, complete: 2});
		expect(echoes.echoed('#room', 'same', first)).toEqual({ours: true, complete: 1});
	});

	it('hands out a new label each time', () => {
		const echoes = new Echoes();
		expect(echoes.label()).not.toBe(echoes.label());
	});

	it('without labels, confirms the first line waiting with the same target and text', () => {
		const echoes = new Echoes();
		echoes.expect(1, '#room', 'hi', undefined);
		echoes.expect(2, '#room', 'hi', undefined);
		echoes.expect(3, '#other', 'hi', undefined);
		expect(echoes.echoed('#room', 'hi', undefined).complete).toBe(1);
		expect(echoes.echoed('#room', 'hi', undefined).complete).toBe(2);
		expect(echoes.echoed('#other', 'hi', undefined).complete).toBe(3);
	});

	it('confirms a message sent in three pieces only when the third comes back', () => {
		const echoes = new Echoes();
		for (const piece of ['one ', 'two ', 'three']) {
			echoes.expect(7, '#room', piece, undefined);
		}

		expect(echoes.echoed('#room', 'one ', undefined)).toEqual({ours: true, complete: undefined});
		expect(echoes.echoed('#room', 'two ', undefined)).toEqual({ours: true, complete: undefined});
		expect(echoes.echoed('#room', 'three', undefined)).toEqual({ours: true, complete: 7});
	});

	it('says an echo it was not waiting for is not ours', () => {
		const echoes = new Echoes();
		echoes.expect(1, '#room', 'hi', undefined);
		expect(echoes.echoed('#room', 'something else', undefined)).toEqual({ours: false, complete: undefined});
		expect(echoes.echoed('#other', 'hi', undefined)).toEqual({ours: false, complete: undefined});
	});

	it('says a second echo of the same line is not ours', () => {
		const echoes = new Echoes();
		echoes.expect(1, '#room', 'hi', undefined);
		echoes.echoed('#room', 'hi', undefined);
		expect(echoes.echoed('#room', 'hi', undefined).ours).toBe(false);
	});

	it('waits for at most 1000 lines, giving up the oldest', () => {
		const echoes = new Echoes();
		for (let id = 1; id <= 1001; id++) {
			echoes.expect(id, '#room', `line ${id}`, undefined);
		}

		expect(echoes.echoed('#room', 'line 1', undefined).ours).toBe(false);
		expect(echoes.echoed('#room', 'line 2', undefined).complete).toBe(2);
		expect(echoes.echoed('#room', 'line 1001', undefined).complete).toBe(1001);
	});

	it('gives up every piece of the oldest line, so a late piece confirms nothing', () => {
		const echoes = new Echoes();
		echoes.expect(1, '#room', 'first half ', undefined);
		echoes.expect(1, '#room', 'second half', undefined);
		for (let id = 2; id <= 1000; id++) {
			echoes.expect(id, '#room', `line ${id}`, undefined);
		}

		expect(echoes.echoed('#room', 'second half', undefined)).toEqual({ours: false, complete: undefined});
	});

	it('waits for nothing after clear()', () => {
		const echoes = new Echoes();
		echoes.expect(1, '#room', 'hi', echoes.label());
		echoes.clear();
		expect(echoes.echoed('#room', 'hi', undefined).ours).toBe(false);
	});
});
