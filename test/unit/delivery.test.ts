import {beforeEach, describe, expect, it} from 'vitest';
import type {ChatLine} from '../../source/domain/snapshot.js';
import {Delivery, type QueueRequest} from '../../source/net/delivery/delivery.js';
import type {OutboxEntry} from '../../source/net/delivery/outbox.js';
import {ChatHistory, type StatusFields} from '../../source/net/history/history.js';

let history: ChatHistory;
let delivery: Delivery;

beforeEach(() => {
	history = new ChatHistory(() => ({}) as StatusFields, 1000, 0);
	delivery = new Delivery(history, () => 'me');
});

function queue(overrides: Partial<QueueRequest> = {}): OutboxEntry {
	return delivery.queue({protocol: 'udp', conversation: 'c1', endpoint: {host: '127.0.0.1', port: 7852}, text: 'hello', action: false, to: 'bob', tnc: false, ...overrides});
}

function lines(): readonly ChatLine[] {
	history.flush();
	return history.getSnapshot().lines;
}

function lineOf(entry: OutboxEntry): ChatLine | undefined {
	return lines().find(line => line.id === entry.lineId);
}

function deliveryOf(entry: OutboxEntry): string | undefined {
	const line = lineOf(entry);
	return line?.kind === 'out' ? line.delivery : undefined;
}

describe('Delivery.queue', () => {
	it('shows the own line as pending in its conversation', () => {
		const entry = queue({action: true, tnc: true});
		expect(lineOf(entry)).toMatchObject({kind: 'out', conversation: 'c1', transport: 'udp', from: 'me', to: 'bob', text: 'hello', delivery: 'pending', expectsAck: true, action: true});
	});

	it('puts a pending entry in the outbox, with its endpoint as a label', () => {
		const entry = queue({peerKey: 'tcp:3'});
		expect(delivery.outbox.get(entry.msgid)).toBe(entry);
		expect(entry).toMatchObject({state: 'pending', endpoint: '127.0.0.1:7852', peerKey: 'tcp:3', conversation: 'c1', text: 'hello', attempts: 0});
		expect(delivery.outbox.pendingCount()).toBe(1);
	});

	it('gives each message its own id', () => {
		expect(queue().msgid).not.toBe(queue().msgid);
	});

	it('shows control characters harmlessly but sends the text as typed', () => {
		const entry = queue({text: 'a\u001B]0;x\u0007b'});
		expect(lineOf(entry)).toMatchObject({text: 'a␛]0;x␇b'});
		expect(entry.text).toBe('a\u001B]0;x\u0007b');
	});
});

describe('Delivery.written', () => {
	it('settles a plain peer\'s message as sent and takes it out of the outbox', () => {
		const entry = queue({tnc: false});
		delivery.written(entry);
		expect(deliveryOf(entry)).toBe('sent');
		expect(delivery.outbox.get(entry.msgid)).toBeUndefined();
	});

	it('keeps a tui-netchat\'s message in the outbox as sent, awaiting its acknowledgement', () => {
		const entry = queue({tnc: true});
		delivery.written(entry);
		expect(deliveryOf(entry)).toBe('sent');
		expect(delivery.outbox.get(entry.msgid)).toMatchObject({state: 'sent'});
		expect(delivery.outbox.pendingCount()).toBe(0);
	});

	it('leaves a message acknowledged while it was being written delivered', () => {
		const entry = queue({tnc: true});
		delivery.acknowledged(entry.msgid, 'c1');
		delivery.written(entry);
		expect(deliveryOf(entry)).toBe('delivered');
	});
});

describe('Delivery.acknowledged', () => {
	it('delivers a message acknowledged from the conversation it went to', () => {
		const entry = queue({tnc: true});
		delivery.written(entry);
		delivery.acknowledged(entry.msgid, 'c1');
		expect(deliveryOf(entry)).toBe('delivered');
		expect(delivery.outbox.get(entry.msgid)).toBeUndefined();
	});

	it('ignores an acknowledgement from another conversation', () => {
		const entry = queue({tnc: true});
		delivery.written(entry);
		delivery.acknowledged(entry.msgid, 'c2');
		expect(deliveryOf(entry)).toBe('sent');
		expect(delivery.outbox.get(entry.msgid)).toBe(entry);
	});

	it('counts an acknowledgement from the conversation the message moved to', () => {
		const entry = queue({tnc: true});
		delivery.outbox.moveConversation('c1', 'c2');
		delivery.acknowledged(entry.msgid, 'c2');
		expect(deliveryOf(entry)).toBe('delivered');
	});
});

describe('Delivery.abandon', () => {
	it('fails every entry given', () => {
		const entries = [queue(), queue()];
		delivery.abandon(entries, 'could not be sent: nobody listens there.');
		expect(entries.map(entry => deliveryOf(entry))).toEqual(['failed', 'failed']);
		expect(delivery.outbox.list()).toEqual([]);
		expect(history.failures()).toBe(2);
	});

	it('says so in one error line, in the conversation of the first', () => {
		delivery.abandon([queue({conversation: 'c3'}), queue({conversation: 'c3'}), queue({conversation: 'c3'})], 'could not be sent: nobody listens there.');
		expect(lines().filter(line => line.kind === 'system')).toEqual([expect.objectContaining({level: 'error', conversation: 'c3', text: '3 messages could not be sent: nobody listens there.'})]);
	});

	it('speaks of one message in the singular', () => {
		delivery.abandon([queue()], 'could not be sent.');
		expect(lines().filter(line => line.kind === 'system').map(line => line.text)).toEqual(['1 message could not be sent.']);
	});

	it('says nothing when there is nothing to abandon', () => {
		delivery.abandon([], 'could not be sent.');
		expect(lines()).toEqual([]);
	});
});

describe('Delivery.unsent', () => {
	it('makes written entries pending again, to go on the next connection', () => {
		const entry = queue({tnc: true, protocol: 'tcp'});
		delivery.written(entry);
		delivery.unsent([entry]);
		expect(entry.state).toBe('pending');
		expect(delivery.outbox.pendingCount()).toBe(1);
	});
});

describe('Delivery.rememberPeer', () => {
	const endpoint = (index: number) => ({host: '10.0.0.1', port: 10_000 + index});

	it('knows a remembered tui-netchat by its endpoint or its label', () => {
		delivery.rememberPeer({host: '127.0.0.1', port: 7852});
		expect(delivery.isKnownPeer({host: '127.0.0.1', port: 7852})).toBe(true);
		expect(delivery.isKnownPeer('127.0.0.1:7852')).toBe(true);
		expect(delivery.isKnownPeer('127.0.0.1:7853')).toBe(false);
		expect(delivery.isKnownPeer(undefined)).toBe(false);
	});

	it('remembers at most 256 peers, forgetting the first remembered', () => {
		for (let index = 0; index <= 256; index++) {
			delivery.rememberPeer(endpoint(index));
		}

		expect(delivery.knownPeers.size).toBe(256);
		expect(delivery.isKnownPeer(endpoint(0))).toBe(false);
		expect(delivery.isKnownPeer(endpoint(1))).toBe(true);
		expect(delivery.isKnownPeer(endpoint(256))).toBe(true);
	});

	it('remembers a peer once, however often it greets', () => {
		delivery.rememberPeer(endpoint(0));
		delivery.rememberPeer(endpoint(0));
		expect(delivery.knownPeers.size).toBe(1);
	});
});
