import {describe, expect, it} from 'vitest';
import {asciiOnly, dumbTerminal, notificationSequence} from '../../source/cli/terminal.js';
import {quitConfirmer, undeliveredWarning, withNamedPeer} from '../../source/cli/line-mode.js';

describe('asciiOnly', () => {
	it.each([
		[{LANG: 'C'}, true],
		[{LANG: 'POSIX'}, true],
		[{LANG: 'en_US.ISO-8859-1'}, true],
		[{LANG: 'en_US.UTF-8'}, false],
		[{LANG: 'zh_CN.utf8'}, false],
		// The first of LC_ALL, LC_CTYPE, LANG that is set decides.
		[{LC_ALL: 'C', LANG: 'en_US.UTF-8'}, true],
		[{LC_CTYPE: 'C.UTF-8', LANG: 'C'}, false],
		[{LC_ALL: '', LC_CTYPE: 'C'}, true],
		// None set: taken as UTF-8.
		[{}, false],
		[{LANG: 'C', TUI_NETCHAT_ASCII: '0'}, false],
		[{LANG: 'en_US.UTF-8', TUI_NETCHAT_ASCII: '1'}, true],
	])('%j: %s', (env, expected) => {
		expect(asciiOnly(env)).toBe(expected);
	});

	it('knows TERM=dumb', () => {
		expect(dumbTerminal({TERM: 'dumb'})).toBe(true);
		expect(dumbTerminal({TERM: 'xterm-256color'})).toBe(false);
	});
});

describe('notificationSequence', () => {
	it('is OSC 9 by default, OSC 777 for VTE, foot and urxvt, wrapped for tmux, with no control characters', () => {
		expect(notificationSequence('bob', 'hi alice', {TERM: 'xterm-256color'})).toBe('\u001B]9;bob: hi alice\u001B\\');
		expect(notificationSequence('bob', 'a;b\u0007c', {VTE_VERSION: '7200'})).toBe('\u001B]777;notify;bob;a b c\u001B\\');
		expect(notificationSequence('bob', 'x', {TERM: 'foot'})).toBe('\u001B]777;notify;bob;x\u001B\\');
		expect(notificationSequence('bob', 'x', {TERM: 'screen', TMUX: '/tmp/t,1,0'})).toBe('\u001BPtmux;\u001B\u001B]9;bob: x\u001B\u001B\\\u001B\\');
	});
});

describe('undeliveredWarning', () => {
	it('says how many, that they are kept, and what quits', () => {
		expect(undeliveredWarning(2, 'Ctrl+C')).toBe('2 messages not delivered yet: they are kept; Ctrl+C again to quit');
		expect(undeliveredWarning(1, '/quit')).toBe('1 message is not delivered yet: it is kept; /quit again to quit');
	});
});

describe('quitConfirmer', () => {
	it('asks once, only with messages undelivered', () => {
		const warnings: string[] = [];
		let waiting = 0;
		const mayQuit = quitConfirmer({backlog: () => waiting}, text => warnings.push(text));
		expect(mayQuit('Ctrl+C')).toBe(true);
		waiting = 2;
		expect(mayQuit('Ctrl+C')).toBe(false);
		expect(mayQuit('Ctrl+C')).toBe(true);
		expect(warnings).toEqual(['2 messages not delivered yet: they are kept; Ctrl+C again to quit']);
	});
});

describe('withNamedPeer', () => {
	const peers = new Map([['home', {host: '192.168.1.20', port: 7852}], ['v6', {host: '::1', port: 1}]]);
	it('puts the address of a named peer in /connect, /query and /msg', () => {
		expect(withNamedPeer('/connect home', peers)).toBe('/connect 192.168.1.20:7852');
		expect(withNamedPeer('/msg v6 hi there', peers)).toBe('/msg [::1]:1 hi there');
		expect(withNamedPeer('/QUERY home', peers)).toBe('/QUERY 192.168.1.20:7852');
		expect(withNamedPeer('/connect bob', peers)).toBe('/connect bob');
		expect(withNamedPeer('home', peers)).toBe('home');
	});
});
