import {describe, expect, it} from 'vitest';
import {parse} from 'smol-toml';
import {parseConfig, type TomlParse} from '../../source/cli/config.js';
import {parseBell, resolveOptions} from '../../source/cli/options.js';
import {defaultDisplay} from '../../source/ui/display-options.js';

const config = (source: string) => parseConfig(source, '~/.config/tui-netchat/config.toml', parse as TomlParse);

describe('--bell, --no-bell and --notify', () => {
	it('takes off, mention and all; a bare --bell is mention, --no-bell off', () => {
		expect(parseBell('off')).toBe('off');
		expect(parseBell('ALL')).toBe('all');
		expect(parseBell('')).toBe('mention');
		expect(parseBell(false)).toBe('off');
		expect(() => parseBell('loud')).toThrow(/--bell: "loud" is not a bell mode; use off, mention .* or all/);
		expect(resolveOptions({bell: 'all', notify: true}, {}).display).toEqual({...defaultDisplay, bell: 'all', notify: true});
		expect(resolveOptions({bell: false}, {}).display.bell).toBe('off');
		expect(resolveOptions({}, {}).display).toEqual(defaultDisplay);
	});
});

describe('resolveOptions with a config file', () => {
	const file = config(`
port = 9100
nick = "alice"
protocol = "tcp"
max_datagram = 512
irc = ["irc://alice@irc.example.net/#room"]
peer = "home"

[peers]
home = "192.168.1.20:7852"
work = "[::1]:7000"

[display]
time_format = "%H:%M"
bell = "all"
notify = true
`);

	it('gives every flag a default, and named peers for --peer NAME', () => {
		const options = resolveOptions({}, {}, file);
		expect(options).toMatchObject({port: 9100, portExplicit: false, nick: 'alice', protocol: 'tcp', maxDatagram: 512, peer: {host: '192.168.1.20', port: 7852}});
		expect(options.irc).toHaveLength(1);
		expect(options.display).toEqual({...defaultDisplay, timeFormat: '%H:%M', bell: 'all', notify: true});
		expect([...options.peers.keys()]).toEqual(['home', 'work']);
	});

	it('lets flags override the file', () => {
		const options = resolveOptions({port: '9200', nick: 'bob', peer: 'work', bell: false, notify: false, protocol: 'udp'}, {}, file);
		expect(options).toMatchObject({port: 9200, portExplicit: true, nick: 'bob', protocol: 'udp', peer: {host: '::1', port: 7000}});
		expect(options.display).toMatchObject({bell: 'off', notify: false, timeFormat: '%H:%M'});
		expect(resolveOptions({peer: '10.0.0.9:1'}, {}, file).peer).toEqual({host: '10.0.0.9', port: 1});
	});

	it('names the peers a --peer NAME could have been', () => {
		expect(() => resolveOptions({peer: 'hme'}, {}, file)).toThrow('--peer: "hme" is neither HOST:PORT nor a peer named in ~/.config/tui-netchat/config.toml (home, work)');
	});

	it('does not count a default peer as a --peer for --discover, nor a default --irc', () => {
		expect(resolveOptions({discover: true}, {}, file).discover).toBe(true);
	});

	it('lets --send use the default peer', () => {
		expect(resolveOptions({send: 'hi'}, {}, file).peer).toEqual({host: '192.168.1.20', port: 7852});
	});
});
