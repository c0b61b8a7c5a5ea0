import {describe, expect, it} from 'vitest';
import {TokenBucket} from '../../source/net/session/token-bucket.js';

describe('TokenBucket', () => {
	it('allows a burst of its capacity, then refills at its rate', () => {
		let now = 0;
		const bucket = new TokenBucket(3, 2, () => now);
		expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
		now = 500;
		expect([bucket.take(), bucket.take()]).toEqual([true, false]);
		now = 10_000;
		expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
	});
});
