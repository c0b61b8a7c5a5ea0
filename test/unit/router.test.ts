import {describe, expect, it} from 'vitest';
import {ConversationBook, type Conversation} from '../../source/net/session/conversations.js';
import {PeerBook, type Peer} from '../../source/net/session/peers.js';
import {protocolOf, route} from '../../source/net/session/router.js';

const listening = {host: '127.0.0.1', port: 7852};

function listener(): Conversation {
	return new ConversationBook().forEndpoint(listening);
}

/** A client that connected to us from a passing port: no endpoint to send to or dial. */
function client(): Conversation {
	return new ConversationBook().forClient('127.0.0.1:40312');
}

function connection(conversation: Conversation, direction: 'in' | 'out' = 'out'): Peer {
	const peer = new PeerBook().tcp(3, '127.0.0.1', direction === 'out' ? 7852 : 40312, direction);
	peer.conversation = conversation.id;
	return peer;
}

describe('route', () => {
	it('sends over UDP to where the conversation listens', () => {
		expect(route(listener(), 'udp', undefined)).toEqual({kind: 'udp', endpoint: listening});
	});

	it('sends over UDP even when a TCP connection is open', () => {
		const conversation = listener();
		expect(route(conversation, 'udp', connection(conversation))).toEqual({kind: 'udp', endpoint: listening});
	});

	it('cannot send over UDP to a client without an endpoint, and says TCP would do', () => {
		const next = route(client(), 'udp', undefined);
		expect(next.kind).toBe('none');
		expect(next.kind === 'none' && next.why).toMatch(/^127\.0\.0\.1:40312 can only be reached over its TCP connection/);
	});

	it('writes on the open connection over TCP', () => {
		const conversation = listener();
		const peer = connection(conversation);
		expect(route(conversation, 'tcp', peer)).toEqual({kind: 'tcp', peer});
	});

	it('writes on the open connection of a client that connected to us', () => {
		const conversation = client();
		const peer = connection(conversation, 'in');
		expect(route(conversation, 'tcp', peer)).toEqual({kind: 'tcp', peer});
	});

	it('dials where the conversation listens when no connection is open', () => {
		expect(route(listener(), 'tcp', undefined)).toEqual({kind: 'link', endpoint: listening});
	});

	it('says a plain client that closed its connection cannot be dialled back', () => {
		const conversation = client();
		const next = route(conversation, 'tcp', undefined);
		expect(next.kind).toBe('none');
		expect(next.kind === 'none' && next.why).toMatch(/^Not sent: 127\.0\.0\.1:40312 closed its connection.*cannot be dialled back/);
	});

	it('names the conversation by its nick in the reason', () => {
		const conversation = client();
		conversation.nick = 'bob';
		const next = route(conversation, 'tcp', undefined);
		expect(next.kind === 'none' && next.why).toMatch(/^Not sent: bob closed/);
	});
});

describe('protocolOf', () => {
	it('is always TCP for a room, whatever was chosen or the default', () => {
		const room = listener();
		room.kind = 'room';
		room.protocol = 'udp';
		expect(protocolOf(room, 'udp')).toBe('tcp');
	});

	it('is the conversation\'s own choice over the default', () => {
		const conversation = listener();
		conversation.protocol = 'tcp';
		expect(protocolOf(conversation, 'udp')).toBe('tcp');
		conversation.protocol = 'udp';
		expect(protocolOf(conversation, 'tcp')).toBe('udp');
	});

	it('follows the default when the conversation chose nothing', () => {
		expect(protocolOf(listener(), 'tcp')).toBe('tcp');
		expect(protocolOf(listener(), 'udp')).toBe('udp');
	});

	it('is the default without a conversation', () => {
		expect(protocolOf(undefined, 'tcp')).toBe('tcp');
	});
});
