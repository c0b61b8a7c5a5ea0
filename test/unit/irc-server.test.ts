import {describe, expect, it} from 'vitest';
import {UsageError} from '../../source/domain/endpoint.js';
import {formatIrcServer, parseIrcUrl, parseServerArgument} from '../../source/domain/irc-server.js';

/** The UsageError a parse throws, or a failure when it throws none (or another kind). */
function usageError(parse: () => unknown): UsageError {
	try {
		parse();
	} catch (error) {
		if (error instanceof UsageError) {
			return error;
		}

		throw new Error(`threw ${String(error)}, not a UsageError`);
	}

	throw new Error('threw nothing');
}

describe('parseIrcUrl', () => {
	it('reads irc://host/#room with the plain port, no TLS and the chat\'s nick', () => {
		expect(parseIrcUrl('irc://127.0.0.1/#room')).toEqual({host: '127.0.0.1', port: 6667, tls: false, nick: undefined, channels: ['#room']});
	});

	it('uses TLS and port 6697 for ircs://', () => {
		expect(parseIrcUrl('ircs://irc.example.org')).toEqual({host: 'irc.example.org', port: 6697, tls: true, nick: undefined, channels: []});
	});

	it('reads the scheme in any case', () => {
		expect(parseIrcUrl('IRCS://irc.example.org').tls).toBe(true);
	});

	it('reads a nick before the @ and a port after the host', () => {
		expect(parseIrcUrl('irc://alice@irc.example.org:7000/#room')).toMatchObject({nick: 'alice', host: 'irc.example.org', port: 7000});
	});

	it('reads a bracketed IPv6 address, with and without a port', () => {
		expect(parseIrcUrl('irc://[::1]:6668/#room')).toMatchObject({host: '::1', port: 6668});
		expect(parseIrcUrl('ircs://[::1]/#room')).toMatchObject({host: '::1', port: 6697});
	});

	it('adds the # a URL fragment would eat: irc://host/room is #room', () => {
		expect(parseIrcUrl('irc://127.0.0.1/room').channels).toEqual(['#room']);
	});

	it('reads several channels separated by commas', () => {
		expect(parseIrcUrl('irc://127.0.0.1/#a,#b,c,&local').channels).toEqual(['#a', '#b', '#c', '&local']);
	});

	it('decodes %-escapes in the channels: %23room is #room', () => {
		expect(parseIrcUrl('irc://127.0.0.1/%23room').channels).toEqual(['#room']);
		expect(parseIrcUrl('irc://127.0.0.1/%23a%2C%23b').channels).toEqual(['#a', '#b']);
	});

	it('names the flag it was given in its errors', () => {
		expect(usageError(() => parseIrcUrl('http://host')).message).toMatch(/^--irc: /);
		expect(usageError(() => parseIrcUrl('http://host', '/server')).message).toMatch(/^\/server: /);
	});

	it.each([
		['http://irc.example.org/#room', 'expected irc://[nick@]host[:port]/#room'],
		['irc://', 'expected irc://'],
		['irc.example.org/#room', 'expected irc://'],
		['irc://::1/#room', 'has no host name or address'],
		['irc://bad_host!/#room', 'has no host name or address'],
		['irc://irc.example.org:99999/#room', 'is not a port number'],
		['irc://irc.example.org:/#room', 'is not a port number'],
		['irc://bad nick@irc.example.org/#room', 'is not a nick'],
		['irc://irc.example.org/#', 'is not a channel name'],
		['irc://irc.example.org/#a%20b', 'is not a channel name'],
		['irc://irc.example.org/%00room', 'is not a channel name'],
		['irc://irc.example.org/%zz', 'bad %-escape'],
	])('refuses %j with a UsageError: %s', (url, words) => {
		expect(usageError(() => parseIrcUrl(url)).message).toContain(words);
	});
});

describe('parseServerArgument', () => {
	it('reads host:port and a list of channels', () => {
		expect(parseServerArgument('127.0.0.1:6667 #a,#b')).toEqual({host: '127.0.0.1', port: 6667, tls: false, nick: undefined, channels: ['#a', '#b']});
	});

	it('reads channels given as separate words too', () => {
		expect(parseServerArgument('127.0.0.1 #a #b').channels).toEqual(['#a', '#b']);
	});

	it('uses the plain port without one, and joins nothing without channels', () => {
		expect(parseServerArgument('irc.example.org')).toEqual({host: 'irc.example.org', port: 6667, tls: false, nick: undefined, channels: []});
	});

	it('uses TLS and port 6697 for +host', () => {
		expect(parseServerArgument('+irc.example.org')).toMatchObject({host: 'irc.example.org', port: 6697, tls: true});
	});

	it('keeps the port given with +host:port', () => {
		expect(parseServerArgument('+irc.example.org:7000')).toMatchObject({port: 7000, tls: true});
	});

	it('reads a bracketed IPv6 address', () => {
		expect(parseServerArgument('[::1]:6667 room')).toMatchObject({host: '::1', port: 6667, channels: ['#room']});
	});

	it('reads a whole irc:// URL, its nick too', () => {
		expect(parseServerArgument('ircs://alice@irc.example.org/#room')).toEqual({host: 'irc.example.org', port: 6697, tls: true, nick: 'alice', channels: ['#room']});
	});

	it('refuses a bad host with a /server error', () => {
		expect(usageError(() => parseServerArgument('bad_host!')).message).toMatch(/^\/server: .*has no host name or address/);
	});

	it('refuses a bad channel with a /server error', () => {
		expect(usageError(() => parseServerArgument('127.0.0.1 #a\u0007b')).message).toMatch(/^\/server: .*is not a channel name/);
	});
});

describe('formatIrcServer', () => {
	it('writes the scheme, the host (IPv6 bracketed) and the port', () => {
		expect(formatIrcServer({host: 'irc.example.org', port: 6697, tls: true})).toBe('ircs://irc.example.org:6697');
		expect(formatIrcServer({host: '::1', port: 6667, tls: false})).toBe('irc://[::1]:6667');
	});
});
