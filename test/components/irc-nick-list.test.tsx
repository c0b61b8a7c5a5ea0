import {describe, expect, it} from 'vitest';
import {NickList, nickListWidth} from '../../source/ui/nicklist/nick-list.js';
import {render, rows} from '../helpers/render.js';

/** The nick list's rows, its left border and padding taken off. */
function shown(members: readonly string[], height: number, width = 16): string[] {
	return rows(render(<NickList members={members} width={width} height={height} />).frame()).map(row => row.replace(/^│ ?/, ''));
}

const six = ['@alice', '+bob', 'carol', 'dave', 'erin', 'frank'];

describe('NickList', () => {
	it('heads the list with how many are in the channel', () => {
		expect(shown(six, 10)[0]).toBe('6 nicks');
	});

	it('says "1 nick" for one', () => {
		expect(shown(['@alice'], 4)[0]).toBe('1 nick');
	});

	it('shows every member, with their prefix, in the order given, when they fit', () => {
		expect(shown(six, 10).slice(1, 7)).toEqual(six);
	});

	it('fills the height it is given', () => {
		expect(shown(['@alice'], 5)).toHaveLength(5);
	});

	it('shows as many as fit and "+N more" for the rest when cut to the height', () => {
		expect(shown(six, 5)).toEqual(['6 nicks', '@alice', '+bob', 'carol', '+3 more']);
	});

	it('shows no "+N more" when every member fits exactly', () => {
		expect(shown(six, 7)).toEqual(['6 nicks', ...six]);
	});

	it('cuts a nick too long for its width with an ellipsis', () => {
		const [, first] = shown(['@averyverylongnickname'], 3, 12);
		expect(first).toBe('@averyver…');
	});
});

describe('nickListWidth', () => {
	it('makes room for the widest member and the border', () => {
		expect(nickListWidth(['@alice', 'bartholomew'], 200)).toBe(13);
	});

	it('is never narrower than room for eight columns', () => {
		expect(nickListWidth(['@al'], 200)).toBe(10);
	});

	it('takes at most a quarter of the terminal', () => {
		expect(nickListWidth(['x'.repeat(40)], 80)).toBe(20);
	});
});
