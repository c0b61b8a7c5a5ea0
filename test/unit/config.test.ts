import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {parse} from 'smol-toml';
import {configPath, loadConfig, parseConfig, type TomlParse} from '../../source/cli/config.js';
import {lineOf} from '../../source/cli/config-text.js';

const path = '~/.config/tui-netchat/config.toml';
const config = (source: string) => parseConfig(source, path, parse as TomlParse);
const error = (source: string) => {
	try {
		config(source);
	} catch (caught) {
		return (caught as Error).message;
	}

	throw new Error('no error');
};

describe('config file mistakes: one line naming the file and line', () => {
	it.each([
		['# my config\nnick = "al"\nprot = "tcp"\n', `${path}:3: unknown key "prot" (did you mean "protocol"?)`],
		['nikc = "al"\n', `${path}:1: unknown key "nikc" (did you mean "nick"?)`],
		['colour = "red"\n', `${path}:1: unknown key "colour" (did you mean "colours"?)`],
		['shade = "red"\n', /^~\/\.config\/tui-netchat\/config\.toml:1: unknown key "shade" \(known keys: port, peer, /],
		['\n\nport = 70000\n', /:3: port: "70000"/],
		['port = "x"\n', /:1: port: "x"/],
		['protocol = "sctp"\n', /:1: protocol: "sctp" is not a protocol; use udp or tcp$/],
		['protocol = 6\n', `${path}:1: protocol must be a string, not a number`],
		['bell = "loud"\n', /:1: bell: "loud" is not a bell mode/],
		['discovery = "off"\n', `${path}:1: discovery must be a boolean, not a string`],
		['bind = "lan"\n', /:1: bind: "lan" is not an IP address/],
		['irc = [1]\n', /:1: irc must be a URL or a list of them/],
		['irc = "http://x/#a"\n', /:1: /],
		['format = "plain"\n', /:1: format: "plain" is neither json nor a template/],
		['nick = "a b"\n', /:1: nick: "a b" must be 1-32 characters/],
		['peer = "nowhere"\n', /:1: peer: expected HOST:PORT/],
		['[peers]\nhome = "pc"\n', /:2: home: expected HOST:PORT/],
		['[peers]\n"1" = "pc:1"\n', /:2: peer name "1" must have no colon/],
		['[display]\ntime_format = "%Y-%m"\n', /:2: time_format: "%Y" is not a field/],
		['[display]\n\ntimeformat = "%H"\n', `${path}:3: unknown key "timeformat" in [display] (did you mean "time_format"?)`],
		['[display]\ndate_changes = "no"\n', `${path}:2: date_changes must be a boolean, not a string`],
		['[display]\ndate_change = false\n', `${path}:2: unknown key "date_change" in [display] (did you mean "date_changes"?)`],
		['"a(" = 1\n', `${path}:1: unknown key "a(" (known keys: port, peer, protocol, nick, bind, encoding, max-datagram, log, downloads, bell, notify, discovery, irc, format, peers, display, colours)`],
		['toString = 1\n', `${path}:1: unknown key "toString" (known keys: port, peer, protocol, nick, bind, encoding, max-datagram, log, downloads, bell, notify, discovery, irc, format, peers, display, colours)`],
		['[display]\nnotify = "yes"\n', `${path}:2: notify must be a boolean, not a string`],
		['display.bell = "all"\ndisplay.colour = 1\n', /:2: unknown key "colour" in \[display\]/],
		['nick = "a"\nnick = "b"\n', /^~\/\.config\/tui-netchat\/config\.toml:2: .*\(not valid TOML\)$/],
		['port = \n', /:1: .*\(not valid TOML\)$/],
	])('%j', (source, expected) => {
		const message = error(source);
		expect(message).not.toContain('\n');
		if (typeof expected === 'string') {
			expect(message).toBe(expected);
		} else {
			expect(message).toMatch(expected);
		}
	});

	it('refuses a secret, saying why and what to do instead', () => {
		expect(error('\nsecret = "hunter2"\n')).toBe(
			`${path}:2: "secret" is not taken from a config file: a passphrase is not kept in a file (anyone who can read it could read and forge your chat): use TUI_NETCHAT_SECRET or --secret -`,
		);
		expect(error('irc_password = "x"\n')).toMatch(/:1: "irc_password" is not taken from a config file: .*TUI_NETCHAT_IRC_PASSWORD/);
		expect(error('listen = true\n')).toMatch(/--listen is a mode, not a default/);
	});
});

describe('config file values', () => {
	it('takes keys in snake_case or kebab-case, strings or numbers for sizes, one URL or a list for irc', () => {
		expect(config('max-datagram = "512"\nport = 0\nirc = "irc://h/#a"\n').flags).toEqual({maxDatagram: '512', port: '0', irc: ['irc://h/#a']});
		expect(config('bell = false\n').display).toEqual({bell: 'off'});
		expect(config('[display]\nbell = true\ntime_format = ""\n').display).toEqual({bell: 'mention', timeFormat: ''});
		expect(config('[display]\ndate_changes = false\n').display).toEqual({dateChanges: false});
		expect(config('display.date-changes = true\n').display).toEqual({dateChanges: true});
	});

	it('reads named peers', () => {
		expect(config('[peers]\nhome = "192.168.1.20:7852"\n"my-pc" = "pc.lan:1"\n').peers).toEqual(
			new Map([
				['home', {host: '192.168.1.20', port: 7852}],
				['my-pc', {host: 'pc.lan', port: 1}],
			]),
		);
	});

	it('finds the line of a key in its table, dotted or quoted', () => {
		const source = 'nick = "a"\n[display]\n  bell = "all"\n[peers]\n"home" = "h:1"\n';
		expect(lineOf(source, {table: '', key: 'nick'})).toBe(1);
		expect(lineOf(source, {table: 'display', key: 'bell'})).toBe(3);
		expect(lineOf(source, {table: 'peers', key: 'home'})).toBe(5);
		expect(lineOf('display.bell = 1\n', {table: 'display', key: 'bell'})).toBe(1);
	});
});

describe('where the config file is', () => {
	const dir = mkdtempSync(join(tmpdir(), 'tnc-config-'));
	afterAll(() => {
		rmSync(dir, {recursive: true, force: true});
	});

	it('is $XDG_CONFIG_HOME/tui-netchat/config.toml, else ~/.config, else --config FILE', () => {
		expect(configPath(undefined, {XDG_CONFIG_HOME: '/x', HOME: '/home/a'})).toEqual({file: '/x/tui-netchat/config.toml', explicit: false});
		expect(configPath(undefined, {HOME: '/home/a'})).toEqual({file: '/home/a/.config/tui-netchat/config.toml', explicit: false});
		// A relative XDG_CONFIG_HOME is invalid by the spec, and ignored.
		expect(configPath(undefined, {XDG_CONFIG_HOME: 'rel', HOME: '/home/a'}).file).toBe('/home/a/.config/tui-netchat/config.toml');
		expect(configPath('my.toml', {})).toEqual({file: 'my.toml', explicit: true});
	});

	it('is fine missing by default, an error missing as --config FILE', async () => {
		expect(await loadConfig(undefined, {XDG_CONFIG_HOME: join(dir, 'none'), HOME: dir})).toBeUndefined();
		await expect(loadConfig(join(dir, 'nope.toml'), {HOME: '/elsewhere'})).rejects.toThrow(`--config ${join(dir, 'nope.toml')}: no such file`);
		await expect(loadConfig(dir, {HOME: '/elsewhere'})).rejects.toThrow('is a directory');
	});

	it('is read and named with ~ for the home directory', async () => {
		mkdirSync(join(dir, '.config', 'tui-netchat'), {recursive: true});
		writeFileSync(join(dir, '.config', 'tui-netchat', 'config.toml'), 'nick = "kim"\nprot = 1\n');
		await expect(loadConfig(undefined, {HOME: dir})).rejects.toThrow('~/.config/tui-netchat/config.toml:2: unknown key "prot" (did you mean "protocol"?)');
		writeFileSync(join(dir, 'ok.toml'), 'nick = "kim"\n');
		expect((await loadConfig(join(dir, 'ok.toml'), {HOME: '/elsewhere'}))?.flags).toEqual({nick: 'kim'});
	});
});
