import {afterEach, describe, expect, it, vi} from 'vitest';
import {BurstCollector} from '../../source/net/history/burst-collector.js';

afterEach(() => {
	vi.useRealTimers();
});

function collector() {
	let now = 0;
	const collect = vi.fn();
	const burst = new BurstCollector(collect, () => now);
	const add = (count: number) => {
		for (let index = 0; index < count; index++) {
			burst.added();
		}
	};

	return {burst, collect, add, advance(ms: number) {
		now += ms;
		vi.advanceTimersByTime(ms);
	}};
}

describe('BurstCollector', () => {
	it('collects once a burst of 20,000 messages is followed by a quarter second of quiet, and not before', () => {
		vi.useFakeTimers();
		const {burst, collect, add, advance} = collector();
		add(19_999);
		advance(1000);
		expect(collect).not.toHaveBeenCalled();
		add(1);
		advance(249);
		expect(collect).not.toHaveBeenCalled();
		advance(1);
		expect(collect).toHaveBeenCalledTimes(1);
		advance(5000);
		expect(collect).toHaveBeenCalledTimes(1);
		burst.close();
	});

	it('waits while messages keep coming', () => {
		vi.useFakeTimers();
		const {burst, collect, add, advance} = collector();
		add(20_000);
		for (let tick = 0; tick < 8; tick++) {
			add(100);
			advance(250);
		}

		expect(collect).not.toHaveBeenCalled();
		advance(250);
		expect(collect).toHaveBeenCalledTimes(1);
		burst.close();
	});

	it('collects during a long flood every 50,000 messages, at most every 500 ms', () => {
		vi.useFakeTimers();
		const {burst, collect, add, advance} = collector();
		advance(1000);
		add(50_000);
		expect(collect).toHaveBeenCalledTimes(1);
		// 50,000 more within 100 ms: too soon for another.
		advance(100);
		add(50_000);
		expect(collect).toHaveBeenCalledTimes(1);
		advance(400);
		add(1000);
		expect(collect).toHaveBeenCalledTimes(2);
		burst.close();
	});

	it('never collects for a chat of a few messages, and close() stops a pending check', () => {
		vi.useFakeTimers();
		const {burst, collect, add, advance} = collector();
		add(500);
		advance(10_000);
		add(20_000);
		burst.close();
		advance(10_000);
		expect(collect).not.toHaveBeenCalled();
	});
});
