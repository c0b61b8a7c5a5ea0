import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import {destKey, Greetings, tcpGreetingDelayMs, type Dest} from '../../source/net/session/greetings.js';

const greeting = '*** me is here via tui-netchat (tnc/1 port 7852)';
const udp: Dest = {kind: 'udp', endpoint: {host: '127.0.0.1', port: 9000}};
const tcp: Dest = {kind: 'tcp', connectionId: 3};

let sent: Array<[string, string]>;
let released: string[];
let greetings: Greetings;

beforeEach(() => {
	vi.useFakeTimers();
	sent = [];
	released = [];
	greetings = new Greetings(
		async (dest, line) => {
			sent.push([destKey(dest), line]);
		},
		() => greeting,
		() => undefined,
		dest => {
			released.push(destKey(dest));
		},
	);
});

afterEach(() => {
	greetings.close();
	vi.useRealTimers();
});

/** How many greetings went to dest. */
function greeted(dest: Dest): number {
	return sent.filter(([key, line]) => key === destKey(dest) && line === greeting).length;
}

describe('Greetings after a plain message over UDP', () => {
	it('greets right after the first message', async () => {
		await greetings.afterPlain(udp);
		expect(sent).toEqual([['udp:127.0.0.1:9000', greeting]]);
	});

	it('greets only once, however many messages follow', async () => {
		await greetings.afterPlain(udp);
		await greetings.afterPlain(udp);
		expect(greeted(udp)).toBe(1);
	});

	it('never holds a UDP peer back', async () => {
		await greetings.afterPlain(udp);
		expect(greetings.holding(udp)).toBe(false);
		expect(released).toEqual([]);
	});
});

describe('Greetings after a plain message over TCP', () => {
	it('waits tcpGreetingDelayMs before greeting', async () => {
		await greetings.afterPlain(tcp);
		vi.advanceTimersByTime(tcpGreetingDelayMs - 1);
		expect(greeted(tcp)).toBe(0);
		vi.advanceTimersByTime(1);
		expect(greeted(tcp)).toBe(1);
	});

	it('is holding the connection while the greeting waits, and not after', async () => {
		await greetings.afterPlain(tcp);
		expect(greetings.holding(tcp)).toBe(true);
		vi.advanceTimersByTime(tcpGreetingDelayMs);
		expect(greetings.holding(tcp)).toBe(false);
	});

	it('releases the connection when the held greeting goes', async () => {
		await greetings.afterPlain(tcp);
		expect(released).toEqual([]);
		vi.advanceTimersByTime(tcpGreetingDelayMs);
		expect(released).toEqual(['tcp:3']);
	});

	it('greets only once for several messages in the wait', async () => {
		await greetings.afterPlain(tcp);
		await greetings.afterPlain(tcp);
		vi.advanceTimersByTime(tcpGreetingDelayMs * 4);
		expect(greeted(tcp)).toBe(1);
		expect(released).toEqual(['tcp:3']);
	});
});

describe('Greetings.beforeTagged', () => {
	it('greets at once a peer that has not had our greeting', async () => {
		await greetings.beforeTagged(tcp);
		expect(greeted(tcp)).toBe(1);
		expect(greetings.has(tcp)).toBe(true);
	});

	it('does not greet again a peer that has had it', async () => {
		await greetings.beforeTagged(udp);
		await greetings.beforeTagged(udp);
		expect(greeted(udp)).toBe(1);
	});

	it('sends a held greeting at once, releasing the connection, and it does not go again later', async () => {
		await greetings.afterPlain(tcp);
		await greetings.beforeTagged(tcp);
		expect(greeted(tcp)).toBe(1);
		expect(greetings.holding(tcp)).toBe(false);
		expect(released).toEqual(['tcp:3']);
		vi.advanceTimersByTime(tcpGreetingDelayMs * 2);
		expect(greeted(tcp)).toBe(1);
		expect(released).toEqual(['tcp:3']);
	});
});

describe('Greetings.answer', () => {
	it('greets back a peer new to us', () => {
		greetings.answer(udp, true);
		expect(greeted(udp)).toBe(1);
	});

	it('greets back a known peer new to us again, even after our greeting', async () => {
		await greetings.afterPlain(udp);
		greetings.answer(udp, true);
		expect(greeted(udp)).toBe(2);
	});

	it('greets back a known peer that has not had our greeting', () => {
		greetings.answer(udp, false);
		expect(greeted(udp)).toBe(1);
	});

	it('does not greet back a known peer that has had our greeting', async () => {
		await greetings.afterPlain(udp);
		greetings.answer(udp, false);
		expect(greeted(udp)).toBe(1);
	});
});

describe('Greetings.untagged', () => {
	it('greets again a tui-netchat that wrote without tags', async () => {
		await greetings.afterPlain(udp);
		greetings.untagged(udp);
		expect(greeted(udp)).toBe(2);
	});

	it('greets again only once', async () => {
		await greetings.afterPlain(udp);
		greetings.untagged(udp);
		greetings.untagged(udp);
		expect(greeted(udp)).toBe(2);
	});
});

describe('Greetings.forget', () => {
	it('makes the next message greet again', async () => {
		await greetings.afterPlain(udp);
		greetings.forget(udp);
		expect(greetings.has(udp)).toBe(false);
		await greetings.afterPlain(udp);
		expect(greeted(udp)).toBe(2);
	});

	it('lets untagged() greet again once more', async () => {
		greetings.untagged(udp);
		greetings.forget(udp);
		greetings.untagged(udp);
		expect(greeted(udp)).toBe(2);
	});

	it('drops a held greeting', async () => {
		await greetings.afterPlain(tcp);
		greetings.forget(tcp);
		expect(greetings.holding(tcp)).toBe(false);
		vi.advanceTimersByTime(tcpGreetingDelayMs);
		expect(greeted(tcp)).toBe(0);
	});

	it('touches only the destination forgotten', async () => {
		await greetings.afterPlain(udp);
		greetings.forget({kind: 'udp', endpoint: {host: '127.0.0.1', port: 9001}});
		expect(greetings.has(udp)).toBe(true);
	});
});

describe('Greetings.close', () => {
	it('clears the timers of held greetings', async () => {
		await greetings.afterPlain(tcp);
		await greetings.afterPlain({kind: 'tcp', connectionId: 4});
		greetings.close();
		expect(vi.getTimerCount()).toBe(0);
		vi.advanceTimersByTime(tcpGreetingDelayMs);
		expect(sent).toEqual([]);
		expect(released).toEqual([]);
	});
});

describe('Greetings when sending fails', () => {
	it('swallows the failure of a held greeting and still releases the connection', async () => {
		const failing = new Greetings(async () => Promise.reject(new Error('EPIPE')), () => greeting, () => undefined, dest => released.push(destKey(dest)));
		await failing.afterPlain(tcp);
		vi.advanceTimersByTime(tcpGreetingDelayMs);
		await vi.runAllTimersAsync();
		expect(released).toEqual(['tcp:3']);
	});
});
