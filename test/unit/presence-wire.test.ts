import {describe, expect, it} from 'vitest';
import {presenceLine} from '../../source/net/session/presence.js';
import {parseTagged} from '../../source/net/wire/tags.js';

describe('presence control lines', () => {
	it('writes quit, away and back in the tag form, escaping the text', () => {
		expect(presenceLine('quit')).toBe('@quit');
		expect(presenceLine('quit', 'gone; back soon')).toBe('@quit=gone\\:\\sback\\ssoon');
		expect(presenceLine('away', 'lunch')).toBe('@away=lunch');
		expect(presenceLine('away')).toBe('@back');
		expect(presenceLine('away', '   ')).toBe('@back');
	});

	it('reads back what it wrote, and cuts a long text', () => {
		expect(parseTagged(presenceLine('quit', 'gone; back soon')).tags).toEqual({quit: 'gone; back soon'});
		const long = parseTagged(presenceLine('away', 'x'.repeat(1000))).tags['away'];
		expect(typeof long === 'string' && long.length).toBe(300);
	});
});
