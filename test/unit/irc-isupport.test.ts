import {describe, expect, it} from 'vitest';
import {applyIsupport, casefold, defaultSupport, isChannel, parseNamesEntry, prefixSymbol} from '../../source/net/irc/isupport.js';

// Two RPL_ISUPPORT lines as Libera.Chat sends them, without the target nick and the trailing text.
const liberaTokens = [
	'CALLERID=g CASEMAPPING=rfc1459 CHANLIMIT=#:250 CHANMODES=eIbq,k,flj,CFLMPQRSTcgimnprstuz CHANNELLEN=64 CHANTYPES=# DEAF=D ELIST=CMNTU EXCEPTS EXTBAN=$,agjrxz',
	'FNC INVEX KICKLEN=255 KNOCK MAXLIST=bqeI:100 MAXTARGETS=4 MODES=4 MONITOR=100 NETWORK=Libera.Chat NICKLEN=16 PREFIX=(ov)@+ SAFELIST STATUSMSG=@+ TOPICLEN=390',
].map(line => line.split(' '));

const ownerToVoice = applyIsupport(defaultSupport, ['PREFIX=(qaohv)~&@%+']);

describe('applyIsupport', () => {
	it('starts from rfc1459, #& channels, (ov)@+ and 512-byte lines', () => {
		expect(defaultSupport).toEqual({
			network: undefined,
			casemapping: 'rfc1459',
			chanTypes: '#&',
			prefixes: [{mode: 'o', symbol: '@'}, {mode: 'v', symbol: '+'}],
			nickLen: undefined,
			chatHistory: undefined,
			lineLen: 512,
		});
	});

	it('reads the tokens it knows from a real server and ignores the rest', () => {
		const support = liberaTokens.reduce(applyIsupport, defaultSupport);
		expect(support).toEqual({...defaultSupport, network: 'Libera.Chat', chanTypes: '#', nickLen: 16});
	});

	it('ignores tokens named like object properties', () => {
		expect(applyIsupport(defaultSupport, ['constructor', '__proto__=x', 'toString=1', '-hasOwnProperty'])).toEqual(defaultSupport);
	});

	it('reads PREFIX as modes and symbols, highest first', () => {
		expect(ownerToVoice.prefixes).toEqual([
			{mode: 'q', symbol: '~'},
			{mode: 'a', symbol: '&'},
			{mode: 'o', symbol: '@'},
			{mode: 'h', symbol: '%'},
			{mode: 'v', symbol: '+'},
		]);
	});

	it('reads an empty PREFIX as no prefixes', () => {
		expect(applyIsupport(defaultSupport, ['PREFIX=']).prefixes).toEqual([]);
		expect(applyIsupport(defaultSupport, ['PREFIX']).prefixes).toEqual([]);
	});

	it.each(['PREFIX=(ov)@', 'PREFIX=ov@+', 'PREFIX=(ov@+'])('ignores the malformed %s', token => {
		expect(applyIsupport(defaultSupport, [token]).prefixes).toEqual(defaultSupport.prefixes);
	});

	it('reads the casemappings it knows and ignores others', () => {
		expect(applyIsupport(defaultSupport, ['CASEMAPPING=ascii']).casemapping).toBe('ascii');
		expect(applyIsupport(defaultSupport, ['CASEMAPPING=strict-rfc1459']).casemapping).toBe('strict-rfc1459');
		const ascii = applyIsupport(defaultSupport, ['CASEMAPPING=ascii']);
		expect(applyIsupport(ascii, ['CASEMAPPING=rfc7613']).casemapping).toBe('ascii');
	});

	it('unescapes \\xHH in values', () => {
		expect(applyIsupport(defaultSupport, [String.raw`NETWORK=Example\x20Net\x5Cwork`]).network).toBe('Example Net\\work');
	});

	it('reads LINELEN and CHATHISTORY as numbers, 0 included', () => {
		const support = applyIsupport(defaultSupport, ['LINELEN=2048', 'CHATHISTORY=100']);
		expect(support).toMatchObject({lineLen: 2048, chatHistory: 100});
		expect(applyIsupport(support, ['CHATHISTORY=0']).chatHistory).toBe(0);
	});

	it('ignores a count that is not a number', () => {
		expect(applyIsupport(defaultSupport, ['NICKLEN=abc', 'LINELEN=', 'CHATHISTORY']).nickLen).toBeUndefined();
		expect(applyIsupport(defaultSupport, ['LINELEN=-5']).lineLen).toBe(512);
	});

	it('reads an empty CHANTYPES as no channel types', () => {
		expect(applyIsupport(defaultSupport, ['CHANTYPES=']).chanTypes).toBe('');
	});

	it('puts a -TOKEN back to its default', () => {
		const support = applyIsupport(defaultSupport, ['NETWORK=Net', 'NICKLEN=30', 'PREFIX=(qov)~@+', 'CHANTYPES=#', 'LINELEN=1024']);
		expect(applyIsupport(support, ['-NETWORK', '-NICKLEN', '-PREFIX', '-CHANTYPES', '-LINELEN'])).toEqual(defaultSupport);
	});

	it('leaves the support it was given alone', () => {
		const before = structuredClone(defaultSupport);
		applyIsupport(defaultSupport, ['NETWORK=Net', 'PREFIX=(qov)~@+']);
		expect(defaultSupport).toEqual(before);
	});
});

describe('casefold', () => {
	it('folds []\\~ with the letters under rfc1459', () => {
		expect(casefold('Nick[]\\~', 'rfc1459')).toBe('nick{}|^');
	});

	it('leaves ~ apart under strict-rfc1459', () => {
		expect(casefold('Nick[]\\~', 'strict-rfc1459')).toBe('nick{}|~');
	});

	it('folds only the letters under ascii', () => {
		expect(casefold('Nick[]\\~', 'ascii')).toBe('nick[]\\~');
	});

	it('leaves letters beyond ASCII alone', () => {
		expect(casefold('ÄÖÜ#Chan', 'rfc1459')).toBe('ÄÖÜ#chan');
	});
});

describe('isChannel', () => {
	it('knows a channel by its first character', () => {
		expect(isChannel('#chan', defaultSupport)).toBe(true);
		expect(isChannel('&local', defaultSupport)).toBe(true);
		expect(isChannel('alice', defaultSupport)).toBe(false);
		expect(isChannel('', defaultSupport)).toBe(false);
	});

	it('follows CHANTYPES', () => {
		const hashOnly = applyIsupport(defaultSupport, ['CHANTYPES=#']);
		expect(isChannel('&local', hashOnly)).toBe(false);
		expect(isChannel('#chan', applyIsupport(defaultSupport, ['CHANTYPES=']))).toBe(false);
	});
});

describe('parseNamesEntry', () => {
	it.each([
		['@+alice', 'alice', 'ov'],
		['+@alice', 'alice', 'ov'],
		['+bob', 'bob', 'v'],
		['carol', 'carol', ''],
		['dave!~d@host.example', 'dave', ''],
		['@erin!erin@127.0.0.1', 'erin', 'o'],
		['%frank', '%frank', ''],
	])('reads %s with the default prefixes', (entry, nick, modes) => {
		expect(parseNamesEntry(entry, defaultSupport)).toEqual({nick, modes});
	});

	it('reads every prefix the server declared', () => {
		expect(parseNamesEntry('~&@%+grace', ownerToVoice)).toEqual({nick: 'grace', modes: 'qaohv'});
		expect(parseNamesEntry('%+heidi', ownerToVoice)).toEqual({nick: 'heidi', modes: 'hv'});
	});
});

describe('prefixSymbol', () => {
	it('gives the highest symbol of the modes', () => {
		expect(prefixSymbol('ov', defaultSupport)).toBe('@');
		expect(prefixSymbol('vo', defaultSupport)).toBe('@');
		expect(prefixSymbol('v', defaultSupport)).toBe('+');
		expect(prefixSymbol('hv', ownerToVoice)).toBe('%');
		expect(prefixSymbol('qv', ownerToVoice)).toBe('~');
	});

	it('gives nothing for no modes, or modes the server has no symbol for', () => {
		expect(prefixSymbol('', defaultSupport)).toBe('');
		expect(prefixSymbol('h', defaultSupport)).toBe('');
	});
});
