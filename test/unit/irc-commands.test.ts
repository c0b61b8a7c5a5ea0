import {describe, expect, it} from 'vitest';
import type {ConversationSummary, IrcNetworkSummary} from '../../source/domain/conversation.js';
import {initialBuffers, reduceBuffers, type BufferAction, type BufferList} from '../../source/ui/buffers/buffer-list.js';
import {parseInput} from '../../source/ui/commands/parse.js';
import {runInput, type ChatActions} from '../../source/ui/commands/run.js';
import {defaultDisplay, type DisplayOptions} from '../../source/ui/display-options.js';
import {conversation} from '../helpers/fake-store.js';

const network: IrcNetworkSummary = {id: 'i1', name: 'TestNet', nick: 'alice', state: 'registered', caps: []};
const onNetwork = {network, address: 'irc://127.0.0.1:6667', protocol: 'tcp' as const, tnc: false, transports: []};
const networkBuffer = conversation('i1', 'TestNet', {kind: 'network', ...onNetwork});
const channel = conversation('i2', '#room', {kind: 'channel', members: ['@alice', 'bob'], ...onNetwork});
const query = conversation('i3', 'bob', {kind: 'query', ...onNetwork});
const peer = conversation('c1', 'carol');
const everyone: readonly ConversationSummary[] = [networkBuffer, channel, query, peer];

/** The buffers of every conversation above, `shown` (a conversation id, or undefined for buffer 1) current. */
function buffersIn(shown: string | undefined): BufferList {
	let list = reduceBuffers(initialBuffers, {type: 'sync', lines: [], conversations: everyone, nick: 'alice'});
	for (const summary of everyone) {
		list = reduceBuffers(list, {type: 'open', id: summary.id});
	}

	return shown === undefined ? reduceBuffers(list, {type: 'select', number: 1}) : reduceBuffers(list, {type: 'open', id: shown});
}

type Call = [string, ...unknown[]];

/** Runs one line typed in the buffer of `shown` against actions that only record what was asked of them. */
function run(line: string, shown?: string): {calls: Call[]; dispatched: BufferAction[]} {
	const calls: Call[] = [];
	const dispatched: BufferAction[] = [];
	let display: DisplayOptions = defaultDisplay;
	const actions: ChatActions = {
		send: (text, options) => calls.push(['send', text, options]),
		toggleProtocol: () => calls.push(['toggleProtocol']),
		setProtocol: protocol => calls.push(['setProtocol', protocol]),
		setNick: nick => calls.push(['setNick', nick]),
		connectTo: endpoint => calls.push(['connectTo', endpoint]),
		query(selector) {
			calls.push(['query', selector]);
			return true;
		},
		lookup: () => 'c1',
		message(selector, text) {
			calls.push(['message', selector, text]);
			return 'c1';
		},
		showPeers: () => calls.push(['showPeers']),
		who: () => calls.push(['who']),
		notice: (text, level) => calls.push(['notice', text, level ?? 'info']),
		clearHistory: () => calls.push(['clearHistory']),
		irc(command) {
			calls.push(['irc', command]);
			return command.type === 'join' || command.type === 'query' || command.type === 'server' ? 'i9' : undefined;
		},
		measureDraft: text => ({bytes: Buffer.byteLength(text), datagrams: 1}),
		away: text => calls.push(text === undefined ? ['away'] : ['away', text]),
		async quit(reason) {
			calls.push(reason === undefined ? ['quit'] : ['quit', reason]);
		},
	};
	runInput(line, actions, {
		buffers: () => buffersIn(shown),
		dispatch(action) {
			dispatched.push(action);
		},
		quit(before) {
			// The UI leaves (the quit is not held here): what is said before leaving runs first.
			before?.();
			calls.push(['quit']);
		},
		toggleNicklist() {
			calls.push(['toggleNicklist']);
		},
		display: () => display,
		setDisplay(change) {
			display = {...display, ...change};
			calls.push(['setDisplay', change]);
		},
		status: () => ({nick: 'me', protocol: 'udp'}),
	});
	return {calls, dispatched};
}

describe('parseInput: IRC commands', () => {
	it.each([
		['/join #x', {type: 'join', channel: '#x'}],
		['/join #x key', {type: 'join', channel: '#x', key: 'key'}],
		['/join x', {type: 'join', channel: '#x'}],
		['/j &local', {type: 'join', channel: '&local'}],
		['/part', {type: 'part'}],
		['/part #x', {type: 'part', channel: '#x'}],
		['/part #x see you  later', {type: 'part', channel: '#x', reason: 'see you  later'}],
		['/part gone for lunch', {type: 'part', reason: 'gone for lunch'}],
		['/leave #x', {type: 'part', channel: '#x'}],
		['/topic', {type: 'topic'}],
		['/whois bob', {type: 'quote', line: 'WHOIS bob'}],
		['/mode #x +o bob', {type: 'quote', line: 'MODE #x +o bob'}],
		['/away', {type: 'away'}],
		['/away back soon', {type: 'away', text: 'back soon'}],
		['/disconnect', {type: 'disconnect'}],
		['/disconnect for today', {type: 'disconnect', reason: 'for today'}],
		['/topic  a new topic ', {type: 'topic', text: 'a new topic'}],
		['/names', {type: 'names'}],
		['/quote WHOIS alice', {type: 'quote', line: 'WHOIS alice'}],
		['/raw MODE #x +i', {type: 'quote', line: 'MODE #x +i'}],
		['/nicklist', {type: 'nicklist'}],
		['/server 127.0.0.1:6667 #room', {type: 'server', server: {host: '127.0.0.1', port: 6667, tls: false, nick: undefined, channels: ['#room']}}],
		['/server +irc.example.org', {type: 'server', server: {host: 'irc.example.org', port: 6697, tls: true, nick: undefined, channels: []}}],
		['/server ircs://bob@irc.example.org/room', {type: 'server', server: {host: 'irc.example.org', port: 6697, tls: true, nick: 'bob', channels: ['#room']}}],
	])('parses %j', (line, command) => {
		expect(parseInput(line)).toEqual(command);
	});

	it.each([
		['/join', 'usage: /join'],
		['/join #a,#b', 'one channel at a time'],
		['/join #a\u0007b', '/join'],
		['/quote', 'usage: /quote'],
		['/quote   ', 'usage: /quote'],
		['/server', 'usage: /server'],
		['/server bad_host!', '/server'],
		['/server 127.0.0.1:0', '/server'],
	])('refuses %j with an error saying %j', (line, words) => {
		const result = parseInput(line);
		expect(result.type).toBe('error');
		expect(result.type === 'error' ? result.message : '').toContain(words);
	});
});

describe('runInput: IRC commands', () => {
	it('joins with a key and opens the channel\'s buffer', () => {
		const {calls, dispatched} = run('/join #x key');
		expect(calls).toEqual([['irc', {type: 'join', conversation: undefined, channel: '#x', key: 'key'}]]);
		expect(dispatched).toEqual([{type: 'open', id: 'i9'}]);
	});

	it('joins on the network of the buffer it is typed in', () => {
		expect(run('/join #y', 'i2').calls).toEqual([['irc', {type: 'join', conversation: 'i2', channel: '#y'}]]);
	});

	it('disconnects the network of the buffer on /disconnect', () => {
		expect(run('/disconnect bye', 'i2').calls).toEqual([['irc', {type: 'disconnect', conversation: 'i2', reason: 'bye'}]]);
	});

	it('parts the channel of the buffer on /part', () => {
		expect(run('/part', 'i2').calls).toEqual([['irc', {type: 'part', conversation: 'i2'}]]);
	});

	it('parts the channel named, with the reason, on /part #x REASON', () => {
		expect(run('/part #x off to bed', 'i2').calls).toEqual([['irc', {type: 'part', conversation: 'i2', channel: '#x', reason: 'off to bed'}]]);
	});

	it('asks for or sets the topic of the buffer\'s channel', () => {
		expect(run('/topic', 'i2').calls).toEqual([['irc', {type: 'topic', conversation: 'i2'}]]);
		expect(run('/topic all about tests', 'i2').calls).toEqual([['irc', {type: 'topic', conversation: 'i2', text: 'all about tests'}]]);
	});

	it('asks for the names of the buffer\'s channel', () => {
		expect(run('/names', 'i2').calls).toEqual([['irc', {type: 'names', conversation: 'i2'}]]);
	});

	it('sends a raw line to the buffer\'s network on /quote', () => {
		expect(run('/away lunch', 'i1').calls).toEqual([['irc', {type: 'quote', conversation: 'i1', line: 'AWAY :lunch'}]]);
		expect(run('/away', 'i1').calls).toEqual([['irc', {type: 'quote', conversation: 'i1', line: 'AWAY'}]]);
		// Outside IRC, /away is for the tui-netchat peers.
		expect(run('/away lunch').calls).toEqual([['away', 'lunch']]);
		expect(run('/away').calls).toEqual([['away']]);
		expect(run('/quit see you').calls).toEqual([['irc', {type: 'quit', reason: 'see you'}], ['quit', 'see you'], ['quit']]); // IRC and the service told, then the UI leaves
		expect(run('/quote WHOIS bob', 'i1').calls).toEqual([['irc', {type: 'quote', conversation: 'i1', line: 'WHOIS bob'}]]);
	});

	it('connects on /server and opens the buffer it names', () => {
		const {calls, dispatched} = run('/server 127.0.0.1:6667 #room');
		expect(calls).toEqual([['irc', {type: 'server', server: {host: '127.0.0.1', port: 6667, tls: false, nick: undefined, channels: ['#room']}}]]);
		expect(dispatched).toEqual([{type: 'open', id: 'i9'}]);
	});

	it('toggles the nick list on /nicklist, asking nothing of the networks', () => {
		expect(run('/nicklist', 'i2').calls).toEqual([['toggleNicklist']]);
	});
});

describe('runInput: /msg, /query and /nick in an IRC buffer and elsewhere', () => {
	it.each(['i1', 'i2', 'i3'])('sends /msg to the network in IRC buffer %s', shown => {
		expect(run('/msg bob hello there', shown).calls).toEqual([['irc', {type: 'msg', conversation: shown, target: 'bob', text: 'hello there'}]]);
	});

	it('sends /msg to a peer in a peer\'s buffer and in buffer 1', () => {
		expect(run('/msg bob hello', 'c1').calls).toEqual([['message', 'bob', 'hello']]);
		expect(run('/msg bob hello').calls).toEqual([['message', 'bob', 'hello']]);
	});

	it('opens a query on the network with /query in an IRC buffer', () => {
		const {calls, dispatched} = run('/query bob', 'i2');
		expect(calls).toEqual([['irc', {type: 'query', conversation: 'i2', nick: 'bob'}]]);
		expect(dispatched).toEqual([{type: 'open', id: 'i9'}]);
	});

	it('queries a peer with /query in a peer\'s buffer', () => {
		expect(run('/query bob', 'c1').calls).toEqual([['query', 'bob']]);
	});

	it('changes the nick on the network with /nick in an IRC buffer', () => {
		expect(run('/nick robert', 'i2').calls).toEqual([['irc', {type: 'nick', conversation: 'i2', nick: 'robert'}]]);
	});

	it('changes the chat\'s nick with /nick in a peer\'s buffer and in buffer 1', () => {
		expect(run('/nick robert', 'c1').calls).toEqual([['setNick', 'robert']]);
		expect(run('/nick robert').calls).toEqual([['setNick', 'robert']]);
	});

	it('says your nick on the network with /nick alone in an IRC buffer, and the chat\'s nick elsewhere', () => {
		expect(run('/nick', 'i2').calls).toEqual([['notice', 'You are alice on TestNet.', 'info']]);
		expect(run('/nick', 'c1').calls).toEqual([['notice', 'You are me.', 'info']]);
	});

	it('says an IRC buffer is on IRC with /proto alone, and changes nothing', () => {
		const {calls} = run('/proto', 'i2');
		expect(calls).toEqual([['notice', expect.stringContaining('IRC (TestNet)'), 'info']]);
	});
});

describe('runInput: /close of an IRC buffer', () => {
	const numberOf = (id: string) => buffersIn(undefined).entries.findIndex(buffer => buffer.id === id) + 1;

	it('parts the channel when its buffer is closed', () => {
		const {calls, dispatched} = run('/close', 'i2');
		expect(calls).toEqual([['irc', {type: 'part', conversation: 'i2'}]]);
		expect(dispatched).toEqual([{type: 'close', number: numberOf('i2')}]);
	});

	it('parts the channel when its buffer is closed by number from elsewhere', () => {
		expect(run(`/close ${numberOf('i2')}`).calls).toEqual([['irc', {type: 'part', conversation: 'i2'}]]);
	});

	it('parts nothing when a query\'s buffer is closed', () => {
		const {calls, dispatched} = run('/close', 'i3');
		expect(calls).toEqual([]);
		expect(dispatched).toEqual([{type: 'close', number: numberOf('i3')}]);
	});
});
