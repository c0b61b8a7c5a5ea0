import {describe, expect, it} from 'vitest';
import {formatEndpoint, parseEndpoint, UsageError} from '../../source/domain/endpoint.js';
import {defaultPort, resolveOptions} from '../../source/cli/options.js';
import {defaultDisplay} from '../../source/ui/display-options.js';

describe('resolveOptions', () => {
	it('defaults to port 7852, UDP, no peer, all interfaces', () => {
		const options = resolveOptions({});
		expect(options).toMatchObject({port: defaultPort, portExplicit: false, protocol: 'udp', peer: undefined, bind: undefined});
		expect(options.nick.length).toBeGreaterThan(0);
	});

	it('takes every flag', () => {
		expect(resolveOptions({port: '9000', peer: '10.0.0.2:7852', protocol: 'TCP', nick: 'alice', bind: '127.0.0.1'})).toEqual({
			port: 9000,
			portExplicit: true,
			peer: {host: '10.0.0.2', port: 7852},
			protocol: 'tcp',
			nick: 'alice',
			bind: '127.0.0.1',
			encoding: 'utf8',
			maxDatagram: 1024,
			log: undefined,
			display: defaultDisplay,
			peers: new Map(),
			send: undefined,
			irc: [],
			discover: false,
			format: {kind: 'template', template: '{time} <{nick}> {text}'},
			listen: false,
		});
	});

	it('takes --format (a template or json) and --listen, which needs no --peer', () => {
		expect(resolveOptions({format: '{nick}\\t{text}'}, {}).format).toEqual({kind: 'template', template: '{nick}\\t{text}'});
		expect(resolveOptions({format: 'json'}, {}).format).toEqual({kind: 'json'});
		expect(resolveOptions({listen: true}, {})).toMatchObject({listen: true, peer: undefined});
		expect(() => resolveOptions({listen: true, send: 'hi', peer: 'h:1'}, {})).toThrow(/--listen keeps running and --send exits/);
		expect(() => resolveOptions({listen: true, discover: true}, {})).toThrow(/--discover only lists/);
	});

	it('takes --discovery, --no-discovery and TUI_NETCHAT_DISCOVERY (a flag wins), and --discover alone', () => {
		expect(resolveOptions({}, {}).discovery).toBeUndefined();
		expect(resolveOptions({discovery: false}, {}).discovery).toBe(false);
		expect(resolveOptions({}, {TUI_NETCHAT_DISCOVERY: 'off'}).discovery).toBe(false);
		expect(resolveOptions({}, {TUI_NETCHAT_DISCOVERY: '0'}).discovery).toBe(false);
		expect(resolveOptions({}, {TUI_NETCHAT_DISCOVERY: 'on'}).discovery).toBe(true);
		expect(resolveOptions({discovery: true}, {TUI_NETCHAT_DISCOVERY: 'off'}).discovery).toBe(true);
		expect(resolveOptions({discover: true}, {}).discover).toBe(true);
		expect(() => resolveOptions({discover: true, peer: 'h:1'}, {})).toThrow(/--discover only lists the peers on the LAN/);
	});

	it('takes --irc URLs and the IRC password from the flag or TUI_NETCHAT_IRC_PASSWORD', () => {
		const options = resolveOptions({irc: ['irc://bob@127.0.0.1:6668/#room,#b', 'ircs://irc.example.net/room']}, {TUI_NETCHAT_IRC_PASSWORD: 'pw'});
		expect(options.irc).toEqual([
			{host: '127.0.0.1', port: 6668, tls: false, nick: 'bob', channels: ['#room', '#b']},
			{host: 'irc.example.net', port: 6697, tls: true, nick: undefined, channels: ['#room']},
		]);
		expect(options.ircPassword).toBe('pw');
		expect(resolveOptions({ircPassword: '-'}, {TUI_NETCHAT_IRC_PASSWORD: 'pw'}).ircPassword).toBe('-');
		expect(() => resolveOptions({irc: ['http://x/#a']})).toThrow(/--irc: expected irc:\/\//);
	});

	it('takes the encoding, datagram size, log, bell and send flags', () => {
		expect(resolveOptions({encoding: 'GBK', maxDatagram: '65507', log: 'chat.log', bell: false, send: 'hi', peer: 'h:1'})).toMatchObject({
			encoding: 'gbk',
			maxDatagram: 65_507,
			log: 'chat.log',
			display: {...defaultDisplay, bell: 'off'},
			send: 'hi',
		});
	});

	it.each([
		[{port: '70000'}, '--port'],
		[{port: 'abc'}, '--port'],
		[{port: '-1'}, '--port'],
		[{peer: 'foo'}, '--peer'],
		[{peer: '1.2.3.4:0'}, '--peer'],
		[{peer: '1.2.3.4:99999'}, '--peer'],
		[{peer: '::1:7852'}, '--peer'],
		[{peer: 'bad_host!:80'}, '--peer'],
		[{protocol: 'sctp'}, '--protocol'],
		[{nick: 'two words'}, '--nick'],
		[{nick: '1234'}, '--nick'],
		[{nick: 'bob:7852'}, '--nick'],
		[{bind: 'not-an-ip'}, '--bind'],
		[{encoding: 'latin1'}, '--encoding'],
		[{maxDatagram: '65508'}, '--max-datagram'],
		[{maxDatagram: '10'}, '--max-datagram'],
		[{send: 'hi'}, '--peer'],
		[{send: ' ', peer: 'h:1'}, '--send'],
		[{format: 'plain'}, '--format'],
		[{format: '{who}'}, '--format'],
	])('refuses %j with an error naming %s', (flags, flag) => {
		expect(() => resolveOptions(flags)).toThrow(UsageError);
		expect(() => resolveOptions(flags)).toThrow(flag);
	});
});

describe('parseEndpoint', () => {
	it.each([
		['127.0.0.1:7852', {host: '127.0.0.1', port: 7852}],
		['[::1]:7852', {host: '::1', port: 7852}],
		['pc.lan:9000', {host: 'pc.lan', port: 9000}],
		['localhost:1', {host: 'localhost', port: 1}],
	])('reads %s', (text, endpoint) => {
		expect(parseEndpoint(text)).toEqual(endpoint);
		expect(formatEndpoint(endpoint)).toBe(text);
	});
});
