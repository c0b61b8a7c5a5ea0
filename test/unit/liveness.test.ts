import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import type {ChatLine} from '../../source/domain/snapshot.js';
import {ChatHistory, type StatusFields} from '../../source/net/history/history.js';
import {ackedIds} from '../../source/net/session/acks.js';
import {ConversationBook, type Conversation} from '../../source/net/session/conversations.js';
import {destKey} from '../../source/net/session/greetings.js';
import {formatSeconds, Liveness, livenessStep, type LivenessState} from '../../source/net/session/liveness.js';
import {Notices} from '../../source/net/session/notices.js';
import {PeerBook, type Peer} from '../../source/net/session/peers.js';
import {aliveLine, readIncoming} from '../../source/net/wire/incoming.js';
import {parseTagged} from '../../source/net/wire/tags.js';

const interval = 1000;
const state = (fields: Partial<LivenessState> = {}): LivenessState => ({talked: true, keepsAlive: true, quit: false, silent: false, lastSent: 0, ...fields});

describe('the keepalive line', () => {
	it('is 11 bytes that an older tui-netchat reads as an acknowledgement of nothing', () => {
		expect(Buffer.byteLength(aliveLine)).toBe(11);
		const {tags, text} = parseTagged(aliveLine);
		expect({tags, text}).toEqual({tags: {alive: true, ack: ''}, text: ''});
		expect(ackedIds(tags['ack'] as string)).toEqual([]);
	});

	it('is read as ours from a sender not known as tui-netchat (one that talked with us before we restarted)', () => {
		expect(readIncoming(aliveLine, {tnc: false, transport: 'udp', ncat: false})).toEqual({kind: 'tagged', tags: {alive: true, ack: ''}, text: '', recognised: true});
		expect(readIncoming('@alive', {tnc: false, transport: 'udp', ncat: false})).toEqual({kind: 'plain', text: '@alive'});
	});
});

describe('livenessStep', () => {
	it('sends a keepalive once nothing went to the peer for an interval, not before', () => {
		expect(livenessStep(state(), 0, interval - 1, interval).send).toBe(false);
		expect(livenessStep(state(), 0, interval, interval).send).toBe(true);
		expect(livenessStep(state({lastSent: 500}), 500, interval, interval).send).toBe(false);
	});

	it('does nothing for a conversation that never talked, or whose peer quit', () => {
		expect(livenessStep(state({talked: false}), 0, 10 * interval, interval)).toEqual({send: false, sayGone: false});
		expect(livenessStep(state({quit: true}), 0, 10 * interval, interval)).toEqual({send: false, sayGone: false});
	});

	it('says "not answering" after 3 silent intervals, once', () => {
		expect(livenessStep(state(), 0, 3 * interval - 1, interval).sayGone).toBe(false);
		expect(livenessStep(state(), 0, 3 * interval, interval).sayGone).toBe(true);
		expect(livenessStep(state({silent: true}), 0, 4 * interval, interval).sayGone).toBe(false);
	});

	it('never says it of a peer that never kept alive (an older tui-netchat is silent when idle), and stops sending to it', () => {
		expect(livenessStep(state({keepsAlive: false}), 0, 2 * interval, interval)).toEqual({send: true, sayGone: false});
		expect(livenessStep(state({keepsAlive: false}), 0, 30 * interval, interval)).toEqual({send: false, sayGone: false});
	});

	it('keeps trying a silent peer every 4 intervals, and gives up after 20', () => {
		const silent = state({silent: true, lastSent: 10 * interval});
		expect(livenessStep(silent, 0, 13 * interval, interval).send).toBe(false);
		expect(livenessStep(silent, 0, 14 * interval, interval).send).toBe(true);
		expect(livenessStep(state({silent: true, lastSent: 15 * interval}), 0, 20 * interval, interval).send).toBe(false);
		expect(livenessStep(state({silent: true, lastSent: 0}), 0, 20 * interval, interval).send).toBe(false);
	});

	it('formats the silence in seconds', () => {
		expect(formatSeconds(90_000)).toBe('90 s');
		expect(formatSeconds(600)).toBe('0.6 s');
	});
});

describe('Liveness', () => {
	let peers: PeerBook;
	let book: ConversationBook;
	let history: ChatHistory;
	let liveness: Liveness;
	let sent: string[];

	beforeEach(() => {
		peers = new PeerBook();
		book = new ConversationBook();
		history = new ChatHistory(() => ({}) as StatusFields, 1000, 0);
		sent = [];
		liveness = new Liveness({
			peers,
			conversations: book,
			notices: new Notices(history),
			async send(dest, line) {
				sent.push(`${destKey(dest)} ${line}`);
			},
			intervalMs: interval,
		});
	});

	afterEach(() => {
		liveness.close();
		history.close();
		vi.useRealTimers();
	});

	function tncPeer(port = 7852): [Peer, Conversation] {
		const conversation = book.forEndpoint({host: '127.0.0.1', port});
		conversation.tnc = true;
		conversation.nick = 'bob';
		const peer = peers.udp('127.0.0.1', port);
		peer.conversation = conversation.id;
		peer.tnc = true;
		return [peer, conversation];
	}

	const systemLines = () => {
		history.flush();
		return history.getSnapshot().lines.flatMap((line: ChatLine) => (line.kind === 'system' ? [line.text] : []));
	};

	const heard = (peer: Peer, conversation: Conversation, raw: string) => {
		conversation.lastHeard = Date.now();
		liveness.heard(conversation, readIncoming(raw, {tnc: peer.tnc, transport: peer.transport, ncat: false}));
	};

	it('keeps alive a tui-netchat that talked, over its connection rather than UDP', () => {
		const [, conversation] = tncPeer();
		liveness.talked(conversation, false);
		liveness.tick(Date.now() + interval);
		expect(sent).toEqual([`udp:127.0.0.1:7852 ${aliveLine}`]);
		const connection = peers.tcp(4, '127.0.0.1', 7852, 'out');
		connection.conversation = conversation.id;
		connection.tnc = true;
		liveness.tick(Date.now() + 2 * interval);
		expect(sent).toEqual([`udp:127.0.0.1:7852 ${aliveLine}`, `tcp:4 ${aliveLine}`]);
	});

	it('sends nothing to a plain peer, nor to one whose port refused (no longer known as tui-netchat)', () => {
		const [peer, conversation] = tncPeer();
		liveness.talked(conversation, false);
		peer.tnc = false;
		const plain = book.forEndpoint({host: '127.0.0.1', port: 9000});
		peers.udp('127.0.0.1', 9000).conversation = plain.id;
		liveness.tick(Date.now() + interval);
		expect(sent).toEqual([]);
	});

	it('holds the keepalive while lines go to the peer', () => {
		const [peer, conversation] = tncPeer();
		liveness.talked(conversation, false);
		liveness.sent({kind: 'udp', endpoint: {host: peer.host, port: peer.port}});
		liveness.tick(Date.now() + interval - 50);
		expect(sent).toEqual([]);
	});

	it('answers a keepalive of a peer it does not remember talking with (as after a restart), once per half interval', () => {
		vi.useFakeTimers({toFake: ['Date']});
		const [peer, conversation] = tncPeer();
		heard(peer, conversation, aliveLine);
		expect(sent).toEqual([]);
		vi.setSystemTime(Date.now() + interval);
		heard(peer, conversation, aliveLine);
		heard(peer, conversation, aliveLine);
		expect(sent).toEqual([`udp:127.0.0.1:7852 ${aliveLine}`]);
		liveness.tick(Date.now() + 10 * interval);
		expect(sent).toHaveLength(1);
	});

	it('says once that a peer that kept alive is not answering, and that it answers again when heard', () => {
		const [peer, conversation] = tncPeer();
		heard(peer, conversation, aliveLine);
		liveness.talked(conversation, false);
		const later = Date.now() + 3 * interval;
		liveness.tick(later);
		liveness.tick(later + 1);
		expect(systemLines()).toEqual(['bob is not answering: nothing heard for 3 s.']);
		heard(peer, conversation, '@id=AbCdEfGh-1 back');
		heard(peer, conversation, '@id=AbCdEfGh-2 again');
		expect(systemLines()).toEqual(['bob is not answering: nothing heard for 3 s.', 'bob is answering again.']);
	});

	it('neither keeps alive nor misses a peer that quit, acknowledgements after its quit notwithstanding', () => {
		const [peer, conversation] = tncPeer();
		heard(peer, conversation, aliveLine);
		liveness.talked(conversation, false);
		heard(peer, conversation, '@quit=bye');
		liveness.talked(conversation, true);
		conversation.lastHeard = 0;
		liveness.tick(Date.now() + 10 * interval);
		expect({sent, said: systemLines()}).toEqual({sent: [], said: []});
		heard(peer, conversation, '*** bob is here via tui-netchat (tnc/1 port 7852)');
		liveness.tick(Date.now() + interval);
		expect(sent).toEqual([`udp:127.0.0.1:7852 ${aliveLine}`]);
	});

	it('carries what it knew of a conversation into the one it merged into', () => {
		const [peer, conversation] = tncPeer();
		heard(peer, conversation, aliveLine);
		liveness.talked(conversation, false);
		const [, into] = tncPeer(7853);
		liveness.merged(conversation, into);
		book.remove(conversation);
		liveness.tick(Date.now() + 3 * interval);
		expect(systemLines()).toEqual(['bob is not answering: nothing heard for 3 s.']);
	});

	it('after this process was suspended (Ctrl+Z, a machine asleep), counts silence from when it runs again', () => {
		vi.useFakeTimers({toFake: ['Date', 'setInterval', 'clearInterval']});
		const [peer, conversation] = tncPeer();
		heard(peer, conversation, aliveLine);
		liveness.talked(conversation, false);
		vi.advanceTimersByTime(interval);
		sent = [];
		// Stopped for 100 intervals: the clock jumps, and the timer fires late, before the socket is read.
		vi.setSystemTime(Date.now() + 100 * interval);
		vi.advanceTimersByTime(interval / 2);
		expect(systemLines()).toEqual([]);
		// A keepalive asks at once; what the peer sent meanwhile, or its answer, is read next.
		expect(sent).toEqual([`udp:127.0.0.1:7852 ${aliveLine}`]);
		// A peer that is really gone is said to be, 3 intervals after we run again.
		vi.advanceTimersByTime(2 * interval);
		expect(systemLines()).toEqual([]);
		vi.advanceTimersByTime(interval + interval / 2);
		expect(systemLines()).toEqual(['bob is not answering: nothing heard for 3 s.']);
	});
});
