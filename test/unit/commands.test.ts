import {describe, expect, it} from 'vitest';
import {initialBuffers, reduceBuffers, type BufferAction, type BufferList} from '../../source/ui/buffers/buffer-list.js';
import {commandHelp, parseInput} from '../../source/ui/commands/parse.js';
import {runInput, type ChatActions} from '../../source/ui/commands/run.js';
import {defaultDisplay, type DisplayOptions} from '../../source/ui/display-options.js';
import {keyHelp} from '../../source/ui/keys/bindings.js';
import {conversation as conversationSummary, inLine} from '../helpers/fake-store.js';

describe('parseInput: commands', () => {
	it.each([
		['/help', {type: 'help'}],
		['/nick bob', {type: 'nick', nick: 'bob'}],
		['/nick   bob  ', {type: 'nick', nick: 'bob'}],
		['/NICK Bob', {type: 'nick', nick: 'Bob'}],
		['/connect 127.0.0.1:7852', {type: 'connect', endpoint: {host: '127.0.0.1', port: 7852}}],
		['/connect localhost:9000', {type: 'connect', endpoint: {host: 'localhost', port: 9000}}],
		['/connect [::1]:7852', {type: 'connect', endpoint: {host: '::1', port: 7852}}],
		['/connect 5', {type: 'pick', selector: '5'}],
		['/connect carol', {type: 'pick', selector: 'carol'}],
		['/who', {type: 'who'}],
		['/encoding gbk', {type: 'encoding', encoding: 'gbk'}],
		['/encoding UTF-8', {type: 'encoding', encoding: 'utf8'}],
		['/encoding', {type: 'encoding'}],
		['/query 2', {type: 'query', selector: '2'}],
		['/query alice', {type: 'query', selector: 'alice'}],
		['/query 127.0.0.1:40312', {type: 'query', selector: '127.0.0.1:40312'}],
		['/msg alice hi there', {type: 'msg', selector: 'alice', text: 'hi there'}],
		['/msg 2  two  spaces', {type: 'msg', selector: '2', text: ' two  spaces'}],
		['/buffers', {type: 'buffers'}],
		['/buffer 2', {type: 'buffer', number: 2}],
		['/b 3', {type: 'buffer', number: 3}],
		['/close', {type: 'close'}],
		['/close 4', {type: 'close', number: 4}],
		['/proto udp', {type: 'proto', protocol: 'udp'}],
		['/proto TCP', {type: 'proto', protocol: 'tcp'}],
		['/protocol tcp', {type: 'proto', protocol: 'tcp'}],
		['/nick', {type: 'show-nick'}],
		['/nick   ', {type: 'show-nick'}],
		['/proto', {type: 'show-proto'}],
		['/bell', {type: 'bell'}],
		['/bell OFF', {type: 'bell', mode: 'off'}],
		['/bell all', {type: 'bell', mode: 'all'}],
		['/bell mention', {type: 'bell', mode: 'mention'}],
		['/notify', {type: 'notify'}],
		['/notify on', {type: 'notify', on: true}],
		['/notify off', {type: 'notify', on: false}],
		['/me waves hello', {type: 'me', text: 'waves hello'}],
		['/peers', {type: 'peers'}],
		['/clear', {type: 'clear'}],
		['/quit', {type: 'quit'}],
		['/exit', {type: 'quit'}],
	])('parses %j', (line, command) => {
		expect(parseInput(line)).toEqual(command);
	});

	it('sends "//text" as the line "/text"', () => {
		expect(parseInput('//text')).toEqual({type: 'say', text: '/text'});
	});

	it('sends a line without a leading "/" as it is', () => {
		expect(parseInput('hello /nick bob')).toEqual({type: 'say', text: 'hello /nick bob'});
	});

	it('keeps spaces of a line it sends', () => {
		expect(parseInput('  two  spaces ')).toEqual({type: 'say', text: '  two  spaces '});
	});
});

describe('parseInput: bad arguments', () => {
	it.each([
		['/nick two words', '/nick'],
		['/nick ' + 'x'.repeat(33), '/nick'],
		['/connect foo:bar', '/connect'],
		['/encoding latin1', '--encoding'],
		['/connect', '/connect'],
		['/connect 127.0.0.1:99999', '/connect'],
		['/proto sctp', '/proto'],
		['/bell loud', '/bell'],
		['/notify maybe', '/notify'],
		['/me', '/me'],
		['/me    ', '/me'],
		['/query', '/query'],
		['/msg alice', '/msg'],
		['/msg alice   ', '/msg'],
		['/msg', '/msg'],
		['/buffer', '/buffer'],
		['/buffer two', '/buffer'],
		['/b 0', '/buffer'],
		['/close x', '/close'],
	])('refuses %j with an error naming %s', (line, command) => {
		const result = parseInput(line);
		expect(result.type).toBe('error');
		expect(result.type === 'error' ? result.message : '').toContain(command);
	});

	it('does not leak the command-line flag name into a /proto error', () => {
		const result = parseInput('/proto sctp');
		expect(result.type === 'error' ? result.message : '').not.toContain('--protocol');
	});

	it('does not leak the command-line flag name into a /nick error', () => {
		const result = parseInput('/nick two words');
		expect(result.type === 'error' ? result.message : '').not.toContain('--nick');
	});
});

describe('parseInput: unknown commands', () => {
	it('gives an error naming the command and hinting at /help and //', () => {
		const result = parseInput('/frobnicate now');
		expect(result.type).toBe('error');
		const message = result.type === 'error' ? result.message : '';
		expect(message).toContain('/frobnicate');
		expect(message).toContain('/help');
		expect(message).toContain('//');
	});
});

type Call = [string, ...unknown[]];

/**
 * Runs one line against actions that only record what was asked of them, typed in the current buffer of
 * list. Conversation arguments are recorded only when given.
 */
function run(line: string, list: BufferList = initialBuffers): {calls: Call[]; quits: number; dispatched: BufferAction[]} {
	const calls: Call[] = [];
	const dispatched: BufferAction[] = [];
	let display: DisplayOptions = defaultDisplay;
	let quits = 0;
	const scoped = (name: string, value: unknown, conversation: string | undefined): Call =>
		conversation === undefined ? [name, value] : [name, value, conversation];
	const actions: ChatActions = {
		send: (text, options) => calls.push(['send', text, options]),
		toggleProtocol: () => calls.push(['toggleProtocol']),
		setProtocol: (protocol, conversation) => calls.push(scoped('setProtocol', protocol, conversation)),
		setNick: nick => calls.push(['setNick', nick]),
		connectTo: endpoint => calls.push(['connectTo', endpoint]),
		who: () => calls.push(['who']),
		query: selector => {
			calls.push(['query', selector]);
			return true;
		},
		lookup: () => 'c1',
		message: (selector, text) => {
			calls.push(['message', selector, text]);
			return 'c1';
		},
		showPeers: () => calls.push(['showPeers']),
		notice: (text, level, conversation) => calls.push(['notice', text, level ?? 'info', ...(conversation === undefined ? [] : [conversation])]),
		clearHistory: conversation => calls.push(conversation === undefined ? ['clearHistory'] : ['clearHistory', conversation]),
		irc(command) {
			calls.push(['irc', command]);
			return command.type === 'join' || command.type === 'query' ? 'i9' : undefined;
		},
		measureDraft: text => ({bytes: Buffer.byteLength(text), datagrams: 1}),
	};
	runInput(line, actions, {
		buffers: () => list,
		dispatch(action) {
			dispatched.push(action);
		},
		quit(before) {
			before?.();
			quits++;
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
	return {calls, quits, dispatched};
}

describe('runInput', () => {
	it.each<[string, Call[]]>([
		['hello', [['send', 'hello', undefined]]],
		['//etc/passwd', [['send', '/etc/passwd', undefined]]],
		['/me waves', [['send', 'waves', {action: true}]]],
		['/nick bob', [['setNick', 'bob']]],
		['/connect 127.0.0.1:9', [['connectTo', {host: '127.0.0.1', port: 9}]]],
		['/connect 4', [['query', '4']]],
		['/who', [['who']]],
		['/query 2', [['query', '2']]],
		['/proto tcp', [['setProtocol', 'tcp']]],
		['/peers', [['showPeers']]],
		['/clear', [['clearHistory']]],
	])('runs %j as %j', (line, calls) => {
		expect(run(line).calls).toEqual(calls);
	});

	it('quits on /quit, telling IRC networks the reason first', () => {
		const plain = run('/quit');
		expect(plain.quits).toBe(1);
		expect(plain.calls).toEqual([['irc', {type: 'quit'}]]);
		const reasoned = run('/quit off to lunch');
		expect(reasoned.quits).toBe(1);
		expect(reasoned.calls).toEqual([['irc', {type: 'quit', reason: 'off to lunch'}]]);
	});

	it('shows an unknown command as an error notice and sends nothing', () => {
		const {calls} = run('/frobnicate');
		expect(calls).toHaveLength(1);
		expect(calls[0]?.[0]).toBe('notice');
		expect(calls[0]?.[2]).toBe('error');
		expect(String(calls[0]?.[1])).toContain('/help');
	});

	it('shows a bad argument as an error notice and changes nothing', () => {
		const {calls} = run('/nick two words');
		expect(calls).toEqual([['notice', expect.stringContaining('/nick'), 'error']]);
	});

	it('lists every command and every key binding on /help', () => {
		const notices = run('/help').calls.map(call => String(call[1]));
		for (const name of ['/help', '/nick', '/connect', '/query', '/peers', '/proto', '/me', '/clear', '/quit', '//text', 'Ctrl+T']) {
			expect(notices.some(text => text.trimStart().startsWith(name)), `${name} in:\n${notices.join('\n')}`).toBe(true);
		}

		for (const [name] of [...commandHelp, ...keyHelp]) {
			expect(notices.some(text => text.includes(name))).toBe(true);
		}
	});
});

/** Buffer 1 and a buffer for conversation c1 (opened by its traffic), with buffer `number` current. */
function twoBuffers(number: 1 | 2): BufferList {
	const synced = reduceBuffers(initialBuffers, {type: 'sync', lines: [inLine('hi', {conversation: 'c1'})], conversations: [], nick: 'me'});
	return reduceBuffers(synced, {type: 'select', number});
}

describe('runInput in a conversation\'s buffer', () => {
	it.each<[string, Call[]]>([
		['hello', [['send', 'hello', {conversation: 'c1'}]]],
		['/me waves', [['send', 'waves', {action: true, conversation: 'c1'}]]],
		['/proto tcp', [['setProtocol', 'tcp', 'c1']]],
		['/clear', [['clearHistory', 'c1']]],
		['/frobnicate', [['notice', expect.stringContaining('/frobnicate'), 'error', 'c1']]],
	])('runs %j for that conversation: %j', (line, calls) => {
		expect(run(line, twoBuffers(2)).calls).toEqual(calls);
	});

	it('sends to the target, with no conversation, in buffer 1', () => {
		expect(run('hello', twoBuffers(1)).calls).toEqual([['send', 'hello', undefined]]);
	});
});

describe('runInput: buffer commands', () => {
	it('sends /msg NICK TEXT once through message(), and opens or switches no buffer', () => {
		const result = run('/msg alice see you at 5');
		expect(result.calls).toEqual([['message', 'alice', 'see you at 5']]);
		expect(result.dispatched).toEqual([]);
	});

	it('opens and goes to the buffer of the conversation /query found', () => {
		const result = run('/query bob');
		expect(result.calls).toEqual([['query', 'bob']]);
		expect(result.dispatched).toEqual([{type: 'open', id: 'c1'}]);
	});

	it('switches to buffer N on /buffer N and /b N', () => {
		expect(run('/buffer 2', twoBuffers(1)).dispatched).toEqual([{type: 'select', number: 2}]);
		expect(run('/b 1', twoBuffers(2)).dispatched).toEqual([{type: 'select', number: 1}]);
	});

	it('says there is no such buffer for /buffer 3 with two buffers, and switches nowhere', () => {
		const result = run('/buffer 3', twoBuffers(1));
		expect(result.dispatched).toEqual([]);
		expect(result.calls).toEqual([['notice', expect.stringContaining('no buffer 3'), 'error']]);
	});

	it('closes the current buffer on /close, and buffer N on /close N', () => {
		expect(run('/close', twoBuffers(2)).dispatched).toEqual([{type: 'close', number: 2}]);
		expect(run('/close 2', twoBuffers(1)).dispatched).toEqual([{type: 'close', number: 2}]);
	});

	it('says buffer 1 cannot be closed, from buffer 1 and as /close 1', () => {
		for (const [line, list] of [['/close', twoBuffers(1)], ['/close 1', twoBuffers(2)]] as const) {
			const result = run(line, list);
			expect(result.dispatched).toEqual([]);
			expect(result.calls).toEqual([['notice', expect.stringContaining('Buffer 1'), 'error', ...(list.current === 'c1' ? ['c1'] : [])]]);
		}
	});

	it('lists the buffers with number, name and activity on /buffers, marking the current one', () => {
		const texts = run('/buffers', twoBuffers(1)).calls.map(call => String(call[1]));
		expect(texts.slice(1)).toEqual(['  *1 all: every conversation', '   2 c1 (new messages)']);
	});
});

describe('runInput: current values and display commands', () => {
	const notices = (result: {calls: Call[]}) => result.calls.filter(call => call[0] === 'notice').map(call => String(call[1]));

	it('says who you are on /nick alone, and renames nobody', () => {
		const {calls} = run('/nick');
		expect(calls).toEqual([['notice', 'You are me.', 'info']]);
	});

	it('says the protocol on /proto alone: the merged view\'s, or the conversation\'s in its buffer', () => {
		expect(run('/proto').calls).toEqual([['notice', expect.stringMatching(/^UDP in the merged view/), 'info']]);
		const synced = reduceBuffers(initialBuffers, {
			type: 'sync',
			lines: [inLine('hi', {conversation: 'c1'})],
			conversations: [{...conversationSummary('c1', 'bob'), protocol: 'tcp'}],
			nick: 'me',
		});
		const inBob = reduceBuffers(synced, {type: 'select', number: 2});
		expect(run('/proto', inBob).calls).toEqual([['notice', expect.stringMatching(/^TCP with bob/), 'info', 'c1']]);
	});

	it('says the bell mode on /bell alone and changes it on /bell MODE', () => {
		expect(notices(run('/bell'))[0]).toMatch(/^Bell: mention/);
		const changed = run('/bell off');
		expect(changed.calls[0]).toEqual(['setDisplay', {bell: 'off'}]);
		expect(notices(changed)[0]).toMatch(/^Bell: off/);
		expect(run('/bell all').calls[0]).toEqual(['setDisplay', {bell: 'all'}]);
	});

	it('turns notifications on and off with /notify, and says which on /notify alone', () => {
		expect(notices(run('/notify'))[0]).toMatch(/^Notifications: off/);
		const on = run('/notify on');
		expect(on.calls[0]).toEqual(['setDisplay', {notify: true}]);
		expect(notices(on)[0]).toMatch(/^Notifications: on/);
	});

	it('lists /bell and /notify in the help, so /help and Tab completion know them', () => {
		const names = commandHelp.map(([name]) => name);
		expect(names).toEqual(expect.arrayContaining(['/bell [off|mention|all]', '/notify [on|off]', '/nick [NAME]', '/proto [udp|tcp]']));
	});

	it('goes back to live when a message is sent while scrolled up, and only then', () => {
		const list = reduceBuffers(initialBuffers, {type: 'scroll', scroll: {mode: 'held', anchorId: 1, seenId: 2}});
		expect(run('hello', list).dispatched).toEqual([{type: 'scroll', scroll: {mode: 'live'}}]);
		expect(run('/me waves', list).dispatched).toEqual([{type: 'scroll', scroll: {mode: 'live'}}]);
		expect(run('/peers', list).dispatched).toEqual([]);
		expect(run('hello').dispatched).toEqual([]);
	});
});
