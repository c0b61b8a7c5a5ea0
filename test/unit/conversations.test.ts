import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import {ConversationBook, conversationName, type Conversation} from '../../source/net/session/conversations.js';

const listening = {host: '127.0.0.1', port: 7852};
const byName = {host: 'localhost', port: 7852};

let book: ConversationBook;

beforeEach(() => {
	book = new ConversationBook();
	vi.useFakeTimers({now: 1_000_000});
});

afterEach(() => {
	vi.useRealTimers();
});

/** Moves the clock on, so what is heard next is heard later. */
function later(conversation: Conversation): Conversation {
	vi.advanceTimersByTime(1000);
	book.heard(conversation, 'udp');
	return conversation;
}

describe('ConversationBook.forEndpoint', () => {
	it('begins a conversation for a new endpoint, at its address', () => {
		const conversation = book.forEndpoint(listening);
		expect(conversation).toMatchObject({kind: 'peer', endpoint: listening, address: '127.0.0.1:7852', tnc: false, nick: undefined});
		expect(book.list()).toEqual([conversation]);
	});

	it('finds the same conversation for the same endpoint every time', () => {
		const first = book.forEndpoint(listening);
		expect(book.forEndpoint({...listening})).toBe(first);
		expect(book.list()).toHaveLength(1);
	});

	it('gives each new conversation its own id and a stable number', () => {
		const one = book.forEndpoint(listening);
		const two = book.forEndpoint({host: '127.0.0.1', port: 9000});
		expect(one.id).not.toBe(two.id);
		expect([one.number, two.number]).toEqual([1, 2]);
		expect(book.get(one.id)).toBe(one);
	});
});

describe('ConversationBook.alias', () => {
	it('makes a host name and the address it resolved to one conversation', () => {
		const conversation = book.forEndpoint(byName);
		book.alias(conversation, listening);
		expect(book.forEndpoint(listening)).toBe(conversation);
		expect(book.at(listening)).toBe(conversation);
		expect(book.list()).toHaveLength(1);
	});

	it('absorbs the conversation already at the address: one instance reached by name and heard by address is one', () => {
		const there = book.forEndpoint(listening);
		there.nick = 'bob';
		const other = book.forEndpoint(byName);
		expect(book.alias(other, listening)).toBe(there);
		expect(book.at(listening)).toBe(other);
		expect(book.get(there.id)).toBeUndefined();
		expect(other.nick).toBe('bob');
	});
});

describe('ConversationBook.forClient', () => {
	it('begins a separate conversation without an endpoint, even from an address already known', () => {
		const known = book.forEndpoint(listening);
		const client = book.forClient('127.0.0.1:7852');
		expect(client).not.toBe(known);
		expect(client).toMatchObject({endpoint: undefined, address: '127.0.0.1:7852'});
		expect(book.at(listening)).toBe(known);
	});
});

describe('ConversationBook.settle', () => {
	it('gives a client conversation the endpoint it listens at when nobody is there', () => {
		const client = book.forClient('127.0.0.1:40312');
		expect(book.settle(client, listening)).toBe(client);
		expect(client).toMatchObject({endpoint: listening, address: '127.0.0.1:7852'});
		expect(book.at(listening)).toBe(client);
	});

	it('returns the conversation already at the endpoint and removes the newer one', () => {
		const existing = book.forEndpoint(listening);
		const client = book.forClient('127.0.0.1:40312');
		expect(book.settle(client, listening)).toBe(existing);
		expect(book.get(client.id)).toBeUndefined();
		expect(book.list()).toEqual([existing]);
	});

	it('carries the newer conversation\'s tnc, nick, transports and last heard over to the existing one', () => {
		const existing = book.forEndpoint(listening);
		book.heard(existing, 'udp');
		const client = book.forClient('127.0.0.1:40312');
		vi.advanceTimersByTime(1000);
		book.heard(client, 'tcp');
		client.tnc = true;
		client.nick = 'bob';
		book.settle(client, listening);
		expect(existing).toMatchObject({tnc: true, nick: 'bob', transports: ['tcp', 'udp'], lastHeard: client.lastHeard});
	});

	it('keeps the existing nick and tnc when the newer conversation has none', () => {
		const existing = book.forEndpoint(listening);
		existing.tnc = true;
		existing.nick = 'alice';
		book.settle(book.forClient('127.0.0.1:40312'), listening);
		expect(existing).toMatchObject({tnc: true, nick: 'alice'});
	});

	it('forgets the removed conversation\'s address', () => {
		book.forEndpoint(listening);
		const client = book.forClient('127.0.0.1:40312');
		book.settle(client, listening);
		expect(book.find('127.0.0.1:40312')).toBeUndefined();
	});
});

describe('ConversationBook.heard', () => {
	it('puts the transport last heard over first, without repeating it', () => {
		const conversation = book.forEndpoint(listening);
		book.heard(conversation, 'udp');
		book.heard(conversation, 'tcp');
		book.heard(conversation, 'udp');
		expect(conversation.transports).toEqual(['udp', 'tcp']);
	});
});

describe('ConversationBook.find', () => {
	it('finds a conversation by its number', () => {
		book.forEndpoint(listening);
		const two = book.forEndpoint({host: '127.0.0.1', port: 9000});
		expect(book.find('2')).toBe(two);
	});

	it('finds a conversation by its nick', () => {
		const conversation = book.forEndpoint(listening);
		conversation.nick = 'bob';
		expect(book.find('bob')).toBe(conversation);
	});

	it('finds a conversation by its address, spaces around it ignored', () => {
		const conversation = book.forEndpoint(listening);
		expect(book.find(' 127.0.0.1:7852 ')).toBe(conversation);
	});

	it('finds a conversation by an alias', () => {
		const conversation = book.forEndpoint(byName);
		book.alias(conversation, listening);
		expect(book.find('127.0.0.1:7852')).toBe(conversation);
	});

	it('finds nothing for an unknown selector', () => {
		book.forEndpoint(listening);
		expect(book.find('nobody')).toBeUndefined();
	});

	it('picks the most recently heard of several that match', () => {
		const first = book.forEndpoint(listening);
		const second = book.forEndpoint({host: '127.0.0.1', port: 9000});
		first.nick = 'bob';
		second.nick = 'bob';
		later(first);
		expect(book.find('bob')).toBe(first);
		later(second);
		expect(book.find('bob')).toBe(second);
	});
});

describe('ConversationBook.trim', () => {
	/** The most conversations remembered at once (conversations.ts). */
	const limit = 1024;

	function fill(count: number): Conversation[] {
		return Array.from({length: count}, (_, index) => later(book.forClient(`10.0.0.1:${10_000 + index}`)));
	}

	it('forgets nothing while there are no more conversations than the limit', () => {
		fill(limit);
		book.trim(() => false);
		expect(book.list()).toHaveLength(limit);
	});

	it('forgets the least recently heard conversations beyond the limit, a batch at a time', () => {
		const [oldest] = fill(limit + 1);
		const gone = book.trim(() => false);
		expect(gone.length).toBeGreaterThan(1);
		expect(book.list().length).toBeLessThan(limit);
		expect(book.get(oldest?.id)).toBeUndefined();
	});

	it('counts hearing from a conversation as recent: the one heard last is kept', () => {
		const [oldest] = fill(limit + 1);
		book.heard(oldest!, 'udp');
		book.trim(() => false);
		expect(book.get(oldest?.id)).toBe(oldest);
	});

	it('keeps what keep() holds on to and forgets the next oldest', () => {
		const [oldest, next] = fill(limit + 1);
		book.trim(conversation => conversation === oldest);
		expect(book.get(oldest?.id)).toBe(oldest);
		expect(book.get(next?.id)).toBeUndefined();
	});
});

describe('conversationName', () => {
	it('names a peer by its nick, or its address without one', () => {
		const conversation = book.forEndpoint(listening);
		expect(conversationName(conversation)).toBe('127.0.0.1:7852');
		conversation.nick = 'bob';
		expect(conversationName(conversation)).toBe('bob');
	});

	it('names a room by its address, whatever nick it has', () => {
		const conversation = book.forEndpoint(listening);
		conversation.kind = 'room';
		conversation.nick = 'bob';
		expect(conversationName(conversation)).toBe('127.0.0.1:7852');
	});
});
