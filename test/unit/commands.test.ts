import {describe, expect, it} from 'vitest';
import {commandHelp, keyHelp, parseInput} from '../../source/ui/commands/parse.js';
import {runInput, type ChatActions} from '../../source/ui/commands/run.js';

describe('parseInput: commands', () => {
	it.each([
		['/help', {type: 'help'}],
		['/nick bob', {type: 'nick', nick: 'bob'}],
		['/nick   bob  ', {type: 'nick', nick: 'bob'}],
		['/NICK Bob', {type: 'nick', nick: 'Bob'}],
		['/connect 127.0.0.1:7852', {type: 'connect', endpoint: {host: '127.0.0.1', port: 7852}}],
		['/connect localhost:9000', {type: 'connect', endpoint: {host: 'localhost', port: 9000}}],
		['/connect [::1]:7852', {type: 'connect', endpoint: {host: '::1', port: 7852}}],
		['/query 2', {type: 'query', selector: '2'}],
		['/query alice', {type: 'query', selector: 'alice'}],
		['/query 127.0.0.1:40312', {type: 'query', selector: '127.0.0.1:40312'}],
		['/msg alice', {type: 'query', selector: 'alice'}],
		['/proto udp', {type: 'proto', protocol: 'udp'}],
		['/proto TCP', {type: 'proto', protocol: 'tcp'}],
		['/protocol tcp', {type: 'proto', protocol: 'tcp'}],
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
		['/nick', '/nick'],
		['/nick ' + 'x'.repeat(33), '/nick'],
		['/connect foo', '/connect'],
		['/connect', '/connect'],
		['/connect 127.0.0.1:99999', '/connect'],
		['/proto sctp', '/proto'],
		['/proto', '/proto'],
		['/me', '/me'],
		['/me    ', '/me'],
		['/query', '/query'],
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

/** Runs one line against actions that only record what was asked of them. */
function run(line: string): {calls: Call[]; quits: number} {
	const calls: Call[] = [];
	let quits = 0;
	const actions: ChatActions = {
		send: (text, options) => calls.push(['send', text, options]),
		toggleProtocol: () => calls.push(['toggleProtocol']),
		setProtocol: protocol => calls.push(['setProtocol', protocol]),
		setNick: nick => calls.push(['setNick', nick]),
		connectTo: endpoint => calls.push(['connectTo', endpoint]),
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
		notice: (text, level) => calls.push(['notice', text, level ?? 'info']),
		clearHistory: () => calls.push(['clearHistory']),
		measureDraft: text => ({bytes: Buffer.byteLength(text), datagrams: 1}),
	};
	runInput(line, actions, () => {
		quits++;
	});
	return {calls, quits};
}

describe('runInput', () => {
	it.each<[string, Call[]]>([
		['hello', [['send', 'hello', undefined]]],
		['//etc/passwd', [['send', '/etc/passwd', undefined]]],
		['/me waves', [['send', 'waves', {action: true}]]],
		['/nick bob', [['setNick', 'bob']]],
		['/connect 127.0.0.1:9', [['connectTo', {host: '127.0.0.1', port: 9}]]],
		['/query 2', [['query', '2']]],
		['/proto tcp', [['setProtocol', 'tcp']]],
		['/peers', [['showPeers']]],
		['/clear', [['clearHistory']]],
	])('runs %j as %j', (line, calls) => {
		expect(run(line).calls).toEqual(calls);
	});

	it('quits on /quit and asks nothing of the service', () => {
		const result = run('/quit');
		expect(result.quits).toBe(1);
		expect(result.calls).toEqual([]);
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
