import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import {SendQueue} from '../../source/net/irc/send-queue.js';

/** A queue of 3 lines at once, then one a second, writing into `written`. */
function paced() {
	const written: string[] = [];
	const queue = new SendQueue(line => written.push(line), {burst: 3, intervalMs: 1000});
	const push = (...lines: string[]) => {
		for (const line of lines) {
			queue.push(line);
		}
	};

	return {queue, written, push};
}

beforeEach(() => {
	vi.useFakeTimers();
});

afterEach(() => {
	vi.useRealTimers();
});

describe('SendQueue', () => {
	it('writes a burst of lines at once', () => {
		const {written, push} = paced();
		push('A', 'B', 'C', 'D', 'E');
		expect(written).toEqual(['A', 'B', 'C']);
	});

	it('writes one line per interval after the burst', () => {
		const {queue, written, push} = paced();
		push('A', 'B', 'C', 'D', 'E');
		vi.advanceTimersByTime(999);
		expect(written).toEqual(['A', 'B', 'C']);
		vi.advanceTimersByTime(1);
		expect(written).toEqual(['A', 'B', 'C', 'D']);
		expect(queue.length).toBe(1);
		vi.advanceTimersByTime(1000);
		expect(written).toEqual(['A', 'B', 'C', 'D', 'E']);
		expect(queue.length).toBe(0);
	});

	it('allows a whole burst again after enough quiet', () => {
		const {written, push} = paced();
		push('A', 'B', 'C');
		vi.advanceTimersByTime(3000);
		push('D', 'E', 'F', 'G');
		expect(written).toEqual(['A', 'B', 'C', 'D', 'E', 'F']);
	});

	it('writes an urgent line at once, ahead of the lines waiting', () => {
		const {queue, written, push} = paced();
		push('A', 'B', 'C', 'D');
		queue.urgent('PONG :x');
		expect(written).toEqual(['A', 'B', 'C', 'PONG :x']);
		vi.advanceTimersByTime(1000);
		expect(written.at(-1)).toBe('D');
	});

	it('drops the lines waiting on clear()', () => {
		const {queue, written, push} = paced();
		push('A', 'B', 'C', 'D', 'E');
		queue.clear();
		expect(queue.length).toBe(0);
		vi.advanceTimersByTime(10_000);
		expect(written).toEqual(['A', 'B', 'C']);
	});

	it('starts a new connection with a whole burst after clear()', () => {
		const {queue, written, push} = paced();
		push('A', 'B', 'C', 'D');
		queue.clear();
		push('E', 'F', 'G');
		expect(written).toEqual(['A', 'B', 'C', 'E', 'F', 'G']);
	});

	it('calls each line\'s `sent` once it is written, in order', () => {
		const events: string[] = [];
		const queue = new SendQueue(line => events.push(`write ${line}`), {burst: 1, intervalMs: 1000});
		for (const line of ['A', 'B']) {
			queue.push(line, () => events.push(`sent ${line}`));
		}

		expect(events).toEqual(['write A', 'sent A']);
		vi.advanceTimersByTime(1000);
		expect(events).toEqual(['write A', 'sent A', 'write B', 'sent B']);
	});

	it('never calls `sent` for a line dropped by clear()', () => {
		const sent: string[] = [];
		const queue = new SendQueue(() => undefined, {burst: 1, intervalMs: 1000});
		queue.push('A', () => sent.push('A'));
		queue.push('B', () => sent.push('B'));
		queue.clear();
		vi.advanceTimersByTime(5000);
		expect(sent).toEqual(['A']);
	});
});
