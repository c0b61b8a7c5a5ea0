import {beforeEach, describe, expect, it} from 'vitest';
import type {ChatLine} from '../../source/domain/snapshot.js';
import {Delivery} from '../../source/net/delivery/delivery.js';
import {ChatHistory, type StatusFields} from '../../source/net/history/history.js';
import {ConversationBook, conversationName, type Conversation} from '../../source/net/session/conversations.js';
import {FloodGate} from '../../source/net/session/flood-gate.js';
import {Acks} from '../../source/net/session/acks.js';
import {destKey, Greetings} from '../../source/net/session/greetings.js';
import {handleLine, type InboundParts} from '../../source/net/session/inbound.js';
import {Notices} from '../../source/net/session/notices.js';
import {PeerBook, type Peer} from '../../source/net/session/peers.js';
import {Reassembler} from '../../source/net/session/reassembler.js';
import {Receiver} from '../../source/net/session/receiver.js';
import {RoomState} from '../../source/net/session/room-inbound.js';
import {SeenIds} from '../../source/net/session/seen-ids.js';
import {Targeting} from '../../source/net/session/target.js';
import {formatGreeting} from '../../source/net/wire/greeting.js';
import {formatTagged} from '../../source/net/wire/tags.js';

const ourGreeting = formatGreeting('me', 7000);

let book: ConversationBook;
let peers: PeerBook;
let history: ChatHistory;
let delivery: Delivery;
let parts: InboundParts;
/** Lines sent: greetings by Greetings, acknowledgements and "@direct" by sendControl; "tcp:3 <line>". */
let sent: string[];
let merges: Array<[string, string]>;
let flushes: Array<[string, string]>;
/** What inbound told presence: "greeted udp:127.0.0.1:7852", "talked c1 ours" / "talked c1 theirs". */
let told: string[];

beforeEach(() => {
	book = new ConversationBook();
	peers = new PeerBook();
	history = new ChatHistory(() => ({}) as StatusFields, 1000, 0);
	delivery = new Delivery(history, () => 'me');
	const targeting = new Targeting();
	const notices = new Notices(history);
	sent = [];
	merges = [];
	flushes = [];
	told = [];
	const record = (dest: Parameters<InboundParts['sendControl']>[0], line: string) => {
		sent.push(`${destKey(dest)} ${line}`);
	};

	parts = {
		conversations: book,
		greetings: new Greetings(async (dest, line) => record(dest, line), () => ourGreeting, () => undefined),
		delivery,
		history,
		receiver: new Receiver(history, new FloodGate(1000, 1000), targeting, notices),
		notices,
		targeting,
		seen: new SeenIds(),
		reassembler: new Reassembler(),
		rooms: new RoomState(),
		sendControl: record,
		acks: new Acks(record),
		claimants: () => [],
		tokenFor: () => undefined,
		merge(from, into) {
			merges.push([from.id, into.id]);
			for (const peer of peers.of(from.id)) {
				peer.conversation = into.id;
			}
		},
		flush(peer, conversation) {
			flushes.push([peer.key, conversation.id]);
		},
		changed() {
			history.changed();
		},
		presence: {
			heard() {},
			talked(conversation, ours) {
				told.push(`talked ${conversation.id} ${ours ? 'ours' : 'theirs'}`);
			},
			greeted(peer) {
				told.push(`greeted ${peer.key}`);
			},
		},
	};
});

function udpPeer(port = 7852): Peer {
	const peer = peers.udp('127.0.0.1', port);
	peer.conversation = book.forEndpoint({host: '127.0.0.1', port}).id;
	return peer;
}

/** A connection we dialled: its conversation is the endpoint dialled. */
function dialled(connectionId: number, port: number): Peer {
	const peer = peers.tcp(connectionId, '127.0.0.1', port, 'out');
	peer.conversation = book.forEndpoint({host: '127.0.0.1', port}).id;
	return peer;
}

/** A client that connected to us from a passing port. */
function accepted(connectionId: number, port: number): Peer {
	const peer = peers.tcp(connectionId, '127.0.0.1', port, 'in');
	peer.conversation = book.forClient(`127.0.0.1:${port}`).id;
	return peer;
}

function conversationOf(peer: Peer): Conversation {
	const conversation = book.get(peer.conversation);
	if (conversation === undefined) {
		throw new Error(`no conversation ${peer.conversation}`);
	}

	return conversation;
}

/** Each line as if it came alone (a datagram of its own): acknowledgements gathered for it go out after it. */
function say(peer: Peer, ...raws: string[]): void {
	for (const raw of raws) {
		handleLine(parts, peer, conversationOf(peer), raw);
		parts.acks.flush();
	}
}

function greet(peer: Peer, nick: string, port: number | undefined = peer.port): void {
	say(peer, formatGreeting(nick, port));
}

function lines(): readonly ChatLine[] {
	history.flush();
	return history.getSnapshot().lines;
}

const incoming = () => lines().filter((line): line is Extract<ChatLine, {kind: 'in'}> => line.kind === 'in');
const notices = () => lines().flatMap(line => (line.kind === 'system' ? [line.text] : []));
const acks = (id: string) => sent.filter(line => line.endsWith(` @ack=${id}`));

function queueFor(conversation: Conversation) {
	return delivery.queue({protocol: 'udp', conversation: conversation.id, endpoint: conversation.endpoint, text: 'ours', action: false, to: conversation.address, tnc: true});
}

function deliveryOf(lineId: number) {
	const line = lines().find(candidate => candidate.id === lineId);
	return line?.kind === 'out' ? line.delivery : undefined;
}

describe('handleLine: plain peers and greetings', () => {
	it('makes a plain line an incoming line of the peer\'s conversation', () => {
		const peer = udpPeer();
		say(peer, 'hello there');
		expect(incoming()).toEqual([expect.objectContaining({kind: 'in', conversation: peer.conversation, transport: 'udp', from: '127.0.0.1:7852', address: '127.0.0.1:7852', text: 'hello there'})]);
	});

	it('names the conversation after a greeting, and says who it is once', () => {
		const peer = udpPeer();
		greet(peer, 'bob');
		greet(peer, 'bob');
		const conversation = conversationOf(peer);
		expect(conversation.tnc).toBe(true);
		expect(conversationName(conversation)).toBe('bob');
		expect(notices().filter(text => text === '127.0.0.1:7852 is bob, on tui-netchat.')).toHaveLength(1);
	});

	it('relabels the lines a peer sent before its greeting', () => {
		const peer = udpPeer();
		say(peer, 'before');
		greet(peer, 'bob');
		expect(incoming().map(line => line.from)).toEqual(['bob']);
	});

	it('greets a new tui-netchat back once', () => {
		const peer = udpPeer();
		greet(peer, 'bob');
		greet(peer, 'bob');
		expect(sent).toEqual([`udp:127.0.0.1:7852 ${ourGreeting}`]);
	});

	it('merges a connection whose greeting names a port where another conversation already is', () => {
		const udp = udpPeer(7852);
		const client = accepted(5, 40_312);
		const from = client.conversation;
		greet(client, 'bob', 7852);
		expect(merges).toEqual([[from, udp.conversation]]);
		expect(book.get(from)).toBeUndefined();
		expect(conversationOf(udp).nick).toBe('bob');
	});

	it('flushes what waits for the conversation on a connection whose greeting says where it listens', () => {
		const udp = udpPeer(7852);
		const client = accepted(5, 40_312);
		greet(client, 'bob', 7852);
		expect(flushes).toEqual([[client.key, udp.conversation]]);
	});

	it('tells a client that connected to us and greets that it reached us directly', () => {
		greet(accepted(5, 40_312), 'bob', 7852);
		expect(sent).toContain('tcp:5 @direct');
	});
});

describe('handleLine: tagged messages from a tui-netchat', () => {
	function tncPeer(port = 7852): Peer {
		const peer = udpPeer(port);
		greet(peer, `nick${port}`);
		return peer;
	}

	it('shows a tagged message and acknowledges it', () => {
		const peer = tncPeer();
		say(peer, '@id=AbCdEfGh-1 hello');
		expect(incoming().map(line => [line.text, line.from])).toEqual([['hello', 'nick7852']]);
		expect(acks('AbCdEfGh-1')).toEqual(['udp:127.0.0.1:7852 @ack=AbCdEfGh-1']);
	});

	it('acknowledges a repeated id again but shows it once', () => {
		const peer = tncPeer();
		say(peer, '@id=AbCdEfGh-1 hello', '@id=AbCdEfGh-1 hello');
		expect(incoming()).toHaveLength(1);
		expect(acks('AbCdEfGh-1')).toHaveLength(2);
	});

	it('remembers ids per conversation: the same id from another conversation is shown', () => {
		const one = tncPeer(7852);
		const two = tncPeer(7853);
		say(one, '@id=AbCdEfGh-1 from one');
		say(two, '@id=AbCdEfGh-1 from two');
		expect(incoming().map(line => line.text)).toEqual(['from one', 'from two']);
	});

	it('shows a /me action as an action', () => {
		say(tncPeer(), '@id=AbCdEfGh-2;me waves');
		expect(incoming()).toEqual([expect.objectContaining({text: 'waves', action: true})]);
	});

	it('counts an acknowledgement only from the conversation the message was sent to', () => {
		const a = tncPeer(7852);
		const b = tncPeer(7853);
		const entry = queueFor(conversationOf(a));
		say(b, formatTagged({tags: {ack: entry.msgid}, text: ''}));
		expect(delivery.outbox.get(entry.msgid)).toBe(entry);
		expect(deliveryOf(entry.lineId)).toBe('pending');
		say(a, formatTagged({tags: {ack: entry.msgid}, text: ''}));
		expect(delivery.outbox.get(entry.msgid)).toBeUndefined();
		expect(deliveryOf(entry.lineId)).toBe('delivered');
	});

	it('puts the pieces of a long message together, and acknowledges the whole once', () => {
		const peer = tncPeer();
		say(peer, '@id=AbCdEfGh-3;part=1/2 hel');
		expect(incoming()).toEqual([]);
		expect(acks('AbCdEfGh-3')).toEqual([]);
		say(peer, '@id=AbCdEfGh-3;part=2/2 lo, world');
		expect(incoming().map(line => line.text)).toEqual(['hello, world']);
		expect(acks('AbCdEfGh-3')).toHaveLength(1);
	});

	it('reads a keepalive and control lines it does not know silently', () => {
		const peer = tncPeer();
		const before = lines().length;
		say(peer, '@alive;ack=', '@alive', '@some-future-tag', '@future=1;other');
		expect(lines().slice(before)).toEqual([]);
		expect(sent.filter(line => !line.endsWith(ourGreeting))).toEqual([]);
	});

	it('tells presence of a new tui-netchat once, after greeting it back', () => {
		const peer = udpPeer();
		greet(peer, 'bob');
		greet(peer, 'bob');
		expect(told).toEqual(['greeted udp:127.0.0.1:7852']);
	});

	it('tells presence a conversation talked: a new message of its own, or an acknowledgement of ours', () => {
		const peer = tncPeer();
		const id = peer.conversation;
		say(peer, '@id=AbCdEfGh-1 hello', '@id=AbCdEfGh-1 hello', formatTagged({tags: {ack: 'NotOurs0-1'}, text: ''}));
		expect(told.filter(line => line.startsWith('talked'))).toEqual([`talked ${id} theirs`]);
		const entry = queueFor(conversationOf(peer));
		say(peer, formatTagged({tags: {ack: entry.msgid}, text: ''}));
		expect(told.filter(line => line.startsWith('talked'))).toEqual([`talked ${id} theirs`, `talked ${id} ours`]);
	});

	it('greets again, once, a tui-netchat that writes without tags', () => {
		const peer = tncPeer();
		say(peer, 'untagged', 'untagged again');
		expect(sent.filter(line => line.endsWith(ourGreeting))).toHaveLength(2);
		expect(incoming().map(line => line.text)).toEqual(['untagged', 'untagged again']);
	});

	// We restarted; the peer did not. Our outbox file says it is a tui-netchat, so our message went tagged
	// (after our greeting, which it does not answer: it knows us). Its acknowledgement must count.
	it('settles a message acknowledged by a known tui-netchat that has not greeted us since we restarted, without showing the ack', () => {
		const peer = udpPeer();
		const conversation = conversationOf(peer);
		delivery.rememberPeer({host: '127.0.0.1', port: 7852});
		const entry = queueFor(conversation);
		say(peer, formatTagged({tags: {ack: entry.msgid}, text: ''}));
		expect({shown: incoming().map(line => line.text), waiting: delivery.outbox.get(entry.msgid) !== undefined}).toEqual({shown: [], waiting: false});
	});
});

describe('handleLine: rooms', () => {
	it('takes a dialled connection whose greeting names another port for a room of plain text', () => {
		const peer = dialled(1, 9000);
		greet(peer, 'bob', 7852);
		say(peer, 'hello there');
		const conversation = conversationOf(peer);
		expect(conversation).toMatchObject({kind: 'room', tnc: false});
		expect(peer.room).toBe('broker');
		expect(incoming()).toEqual([expect.objectContaining({conversation: conversation.id, from: '127.0.0.1:9000', text: 'hello there'})]);
	});

	it('turns such a room back into a direct tui-netchat conversation on "@direct"', () => {
		const peer = dialled(1, 9000);
		greet(peer, 'bob', 7852);
		say(peer, '@direct', '@id=AbCdEfGh-4 now direct');
		expect(conversationOf(peer)).toMatchObject({kind: 'peer', tnc: true, nick: 'bob'});
		expect(peer.room).toBeUndefined();
		expect(acks('AbCdEfGh-4')).toHaveLength(1);
		expect(incoming().at(-1)).toMatchObject({from: 'bob', text: 'now direct'});
	});

	it('makes an ncat --chat room of a connection that announces', () => {
		const peer = dialled(2, 8000);
		say(peer, '<announce> 127.0.0.1 is connected as <user4>.');
		expect(conversationOf(peer).kind).toBe('room');
		expect(peer.room).toBe('chat');
	});

	it('names a room speaker by its greeting and relabels its earlier lines', () => {
		const peer = dialled(2, 8000);
		say(peer, '<announce> 127.0.0.1 is connected as <user4>.', '<user5> hello');
		expect(incoming().map(line => line.from)).toEqual(['user5']);
		say(peer, '<user5> *** alice is here via tui-netchat (tnc/1 port 7852)');
		expect(conversationOf(peer).members.get('user5')).toBe('alice');
		expect(incoming().map(line => line.from)).toEqual(['alice']);
	});

	it('credits a named room speaker\'s later lines to its nick', () => {
		const peer = dialled(2, 8000);
		say(peer, '<announce> 127.0.0.1 is connected as <user4>.', '<user5> *** alice is here via tui-netchat (tnc/1 port 7852)', '<user5> hi');
		expect(incoming()).toEqual([expect.objectContaining({from: 'alice', text: 'hi'})]);
	});

	it.each([
		['an ncat --chat room', (peer: Peer) => say(peer, '<announce> 127.0.0.1 is connected as <user4>.'), '<user5> @id=AbCdEfGh-9 psst'],
		['a broker room', (peer: Peer) => greet(peer, 'bob', 7852), '@id=AbCdEfGh-9 psst'],
	])('reads a tagged-looking line in %s as plain text and never acknowledges it', (_room, become, line) => {
		const peer = dialled(3, 8000);
		become(peer);
		say(peer, line);
		expect(incoming().map(shown => shown.text)).toEqual(['@id=AbCdEfGh-9 psst']);
		expect(acks('AbCdEfGh-9')).toEqual([]);
	});
});
