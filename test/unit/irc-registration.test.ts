import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import {saslPlainChunks} from '../../source/net/irc/capabilities.js';
import {parseMessage} from '../../source/net/irc/message.js';
import {alternateNick, Registration} from '../../source/net/irc/registration.js';

type Notice = {readonly text: string; readonly level: 'info' | 'error'};

/** A started registration for `nick` whose lines and notices are recorded; receive() hands it one server line. */
function registering(options: {readonly nick?: string; readonly password?: string} = {}) {
	const nick = options.nick ?? 'alice';
	const lines: string[] = [];
	const notices: Notice[] = [];
	const registration = new Registration(nick, {
		send(line) {
			lines.push(line);
		},
		notice(text, level) {
			notices.push({text, level});
		},
		sasl: options.password === undefined ? undefined : {account: nick, password: options.password},
		realname: 'tui-netchat test',
	});
	registration.start();
	const greeting = lines.length;
	return {
		registration,
		notices,
		/** Every line sent since CAP LS, NICK and USER. */
		sent: () => lines.slice(greeting),
		all: () => [...lines],
		receive(raw: string): boolean {
			const message = parseMessage(raw);
			if (message === undefined) {
				throw new Error(`not an IRC line: ${raw}`);
			}

			return registration.handle(message);
		},
	};
}

beforeEach(() => {
	vi.useFakeTimers();
});

afterEach(() => {
	vi.useRealTimers();
});

describe('Registration: the start', () => {
	it('sends CAP LS 302, then NICK and USER with the realname', () => {
		expect(registering().all()).toEqual(['CAP LS 302', 'NICK alice', 'USER alice 0 * :tui-netchat test']);
	});

	it('makes the USER ident from the nick: lower case, letters and digits, at most 9', () => {
		expect(registering({nick: 'Bob[Away]Longer'}).all()[2]).toBe('USER bobawaylo 0 * :tui-netchat test');
	});
});

describe('Registration: capability negotiation', () => {
	it('waits for the last line of a multiline CAP LS, then asks once for the caps it wants', () => {
		const session = registering();
		session.receive(':irc.test CAP * LS * :multi-prefix unknown-cap sasl=PLAIN');
		expect(session.sent()).toEqual([]);
		session.receive(':irc.test CAP * LS :server-time other-cap');
		expect(session.sent()).toEqual(['CAP REQ :server-time multi-prefix']);
	});

	it('asks for sasl too when it has a password and PLAIN is offered', () => {
		const session = registering({password: 'hunter2'});
		session.receive(':irc.test CAP * LS :server-time sasl=EXTERNAL,PLAIN');
		expect(session.sent()).toEqual(['CAP REQ :server-time sasl']);
	});

	it('ends CAP at once when nothing it wants is offered', () => {
		const session = registering();
		session.receive(':irc.test CAP * LS :unknown-cap another');
		expect(session.sent()).toEqual(['CAP END']);
	});

	it('ends CAP when the server acknowledges, and keeps the acknowledged caps', () => {
		const session = registering();
		session.receive(':irc.test CAP * LS :server-time echo-message');
		session.receive(':irc.test CAP * ACK :server-time echo-message');
		expect(session.sent()).toEqual(['CAP REQ :server-time echo-message', 'CAP END']);
		expect([...session.registration.enabled]).toEqual(['server-time', 'echo-message']);
	});

	it('ends CAP when the server refuses the request', () => {
		const session = registering();
		session.receive(':irc.test CAP * LS :server-time');
		session.receive(':irc.test CAP * NAK :server-time');
		expect(session.sent()).toEqual(['CAP REQ :server-time', 'CAP END']);
		expect(session.registration.enabled.size).toBe(0);
	});

	it('forgets a cap the server withdraws with CAP DEL', () => {
		const session = registering();
		session.receive(':irc.test CAP * LS :server-time echo-message');
		session.receive(':irc.test CAP * ACK :server-time echo-message');
		session.receive(':irc.test CAP alice DEL :echo-message');
		expect([...session.registration.enabled]).toEqual(['server-time']);
	});

	it('sends no CAP END to a server that does not know CAP (421)', () => {
		const session = registering();
		expect(session.receive(':irc.test 421 * CAP :Unknown command')).toBe(true);
		vi.advanceTimersByTime(10_000);
		expect(session.sent()).toEqual([]);
	});

	it('leaves another unknown command (421) to the other handlers', () => {
		expect(registering().receive(':irc.test 421 alice FOO :Unknown command')).toBe(false);
	});

	it('ends CAP after 5 s when the server never answers CAP LS', () => {
		const session = registering();
		vi.advanceTimersByTime(4999);
		expect(session.sent()).toEqual([]);
		vi.advanceTimersByTime(1);
		expect(session.sent()).toEqual(['CAP END']);
	});

	it('sends CAP END once, not again when the wait runs out after the answer', () => {
		const session = registering();
		session.receive(':irc.test CAP * LS :server-time');
		session.receive(':irc.test CAP * ACK :server-time');
		vi.advanceTimersByTime(10_000);
		expect(session.sent().filter(line => line === 'CAP END')).toHaveLength(1);
	});

	it('stops waiting for CAP once welcomed (001)', () => {
		const session = registering();
		session.receive(':irc.test 001 alice :Welcome');
		vi.advanceTimersByTime(10_000);
		expect(session.sent()).toEqual([]);
	});
});

describe('Registration: SASL PLAIN', () => {
	function acknowledged() {
		const session = registering({password: 'hunter2'});
		session.receive(':irc.test CAP * LS :sasl=PLAIN');
		session.receive(':irc.test CAP * ACK :sasl');
		return session;
	}

	it('starts AUTHENTICATE PLAIN, not CAP END, once sasl is acknowledged', () => {
		expect(acknowledged().sent()).toEqual(['CAP REQ :sasl', 'AUTHENTICATE PLAIN']);
	});

	it('answers "AUTHENTICATE +" with the account and password in base64', () => {
		const session = acknowledged();
		session.receive('AUTHENTICATE +');
		expect(session.sent().slice(2)).toEqual(saslPlainChunks('alice', 'hunter2').map(chunk => `AUTHENTICATE ${chunk}`));
		expect(Buffer.from(session.sent()[2]?.split(' ')[1] ?? '', 'base64').toString()).toBe('\u0000alice\u0000hunter2');
	});

	it('ends CAP and says so when the login succeeds (903)', () => {
		const session = acknowledged();
		session.receive('AUTHENTICATE +');
		session.receive(':irc.test 903 alice :SASL authentication successful');
		expect(session.sent().at(-1)).toBe('CAP END');
		expect(session.notices).toEqual([{text: expect.stringContaining('logged in'), level: 'info'}]);
	});

	it('ends CAP with an error notice when the login fails (904)', () => {
		const session = acknowledged();
		session.receive('AUTHENTICATE +');
		session.receive(':irc.test 904 alice :SASL authentication failed');
		expect(session.sent().at(-1)).toBe('CAP END');
		expect(session.notices).toEqual([{text: expect.stringContaining('SASL login failed (SASL authentication failed)'), level: 'error'}]);
	});

	it('gives one error notice when the mechanisms list (908) comes before the failure (904)', () => {
		const session = acknowledged();
		session.receive(':irc.test 908 alice EXTERNAL :are available SASL mechanisms');
		session.receive(':irc.test 904 alice :SASL authentication failed');
		expect(session.notices).toHaveLength(1);
		expect(session.notices[0]?.text).toContain('SASL authentication failed');
		expect(session.sent().filter(line => line === 'CAP END')).toHaveLength(1);
	});

	it('sends nothing for "AUTHENTICATE +" without a password', () => {
		const session = registering();
		session.receive('AUTHENTICATE +');
		expect(session.sent()).toEqual([]);
	});
});

describe('Registration: a nick that is taken', () => {
	it('tries nick_, then nick__, then nick1 while registering', () => {
		const session = registering();
		for (let time = 0; time < 3; time++) {
			expect(session.receive(`:irc.test 433 * ${session.registration.nick} :Nickname is already in use`)).toBe(true);
		}

		expect(session.sent()).toEqual(['NICK alice_', 'NICK alice__', 'NICK alice1']);
		expect(session.registration.nick).toBe('alice1');
	});

	it('says which nick it tries instead', () => {
		const session = registering();
		session.receive(':irc.test 433 * alice :Nickname is already in use');
		expect(session.notices).toEqual([{text: 'The nick alice cannot be used (Nickname is already in use): trying alice_.', level: 'info'}]);
	});

	it('leaves a taken nick (433) after the welcome to the other handlers', () => {
		const session = registering();
		session.receive(':irc.test 001 alice :Welcome');
		expect(session.receive(':irc.test 433 alice bob :Nickname is already in use')).toBe(false);
		expect(session.sent()).toEqual([]);
		expect(session.registration.nick).toBe('alice');
	});

	it('falls back to a tnc nick, each time, when the server finds the nick erroneous (432)', () => {
		const session = registering({nick: '1bob'});
		session.receive(':irc.test 432 * 1bob :Erroneous nickname');
		session.receive(`:irc.test 433 * ${session.registration.nick} :Nickname is already in use`);
		session.receive(':irc.test 432 * 1bob__ :Erroneous nickname');
		const nicks = session.sent().map(line => line.replace(/^NICK /, ''));
		expect(nicks[0]).toMatch(/^tnc\d{1,4}$/);
		expect(nicks[2]).toMatch(/^tnc\d{1,4}$/);
	});
});

describe('Registration: the welcome', () => {
	it('is registered once welcomed, with the nick the server names, and lets others see the 001', () => {
		const session = registering();
		expect(session.registration.registered).toBe(false);
		expect(session.receive(':irc.test 001 alice_ :Welcome to the test network')).toBe(false);
		expect(session.registration.registered).toBe(true);
		expect(session.registration.nick).toBe('alice_');
	});
});

describe('alternateNick', () => {
	it.each([
		[1, 'alice_'],
		[2, 'alice__'],
		[3, 'alice1'],
		[4, 'alice2'],
		[12, 'alice10'],
	])('makes try %i of alice %s', (attempt, nick) => {
		expect(alternateNick('alice', attempt)).toBe(nick);
	});

	it('keeps the underscore of a 30-character nick, so the try differs from it', () => {
		const wanted = 'a'.repeat(30);
		expect(alternateNick(wanted, 1)).toBe(`${'a'.repeat(29)}_`);
		expect(alternateNick(wanted, 2)).toBe(`${'a'.repeat(28)}__`);
	});

	it('keeps numbered tries within 9 characters, which a server that cuts long nicks leaves apart', () => {
		expect(alternateNick('sixteencharsnick', 3)).toBe('sixteenc1');
		expect(alternateNick('sixteencharsnick', 13)).toBe('sixteen11');
	});
});
