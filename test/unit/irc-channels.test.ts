import {describe, expect, it} from 'vitest';
import {Channels} from '../../source/net/irc/channels.js';
import {applyIsupport, defaultSupport, type ServerSupport} from '../../source/net/irc/isupport.js';

/** Channels under the server's ISUPPORT tokens (default: rfc1459 casemapping, PREFIX=(ov)@+). */
function channelsWith(...tokens: string[]): Channels {
	const support: ServerSupport = applyIsupport(defaultSupport, tokens);
	return new Channels(() => support);
}

/** #room, joined by us (alice) and then by the others named. */
function room(channels: Channels, ...others: string[]) {
	const channel = channels.join('#room', 'alice');
	channel.joined = true;
	for (const nick of others) {
		channels.join('#room', nick);
	}

	return channel;
}

function members(channels: Channels, name = '#room'): string[] {
	const channel = channels.get(name);
	return channel === undefined ? [] : channels.memberList(channel);
}

describe('Channels: who comes and goes', () => {
	it('adds a member who joins', () => {
		const channels = channelsWith();
		room(channels, 'bob');
		expect(members(channels)).toEqual(['alice', 'bob']);
	});

	it('removes a member who leaves', () => {
		const channels = channelsWith();
		room(channels, 'bob', 'carol');
		channels.leave('#room', 'bob', false);
		expect(members(channels)).toEqual(['alice', 'carol']);
	});

	it('marks the channel left, with nobody in it, when we leave', () => {
		const channels = channelsWith();
		room(channels, 'bob');
		const left = channels.leave('#room', 'alice', true);
		expect(left?.joined).toBe(false);
		expect(left?.members.size).toBe(0);
	});

	it('knows nothing of leaving a channel it does not know', () => {
		expect(channelsWith().leave('#elsewhere', 'bob', false)).toBeUndefined();
	});

	it('removes a member who quits from every channel, and names the channels they were in', () => {
		const channels = channelsWith();
		room(channels, 'bob');
		channels.join('#other', 'alice').joined = true;
		channels.join('#other', 'bob');
		channels.join('#third', 'alice').joined = true;
		expect(channels.quit('bob').map(channel => channel.name)).toEqual(['#room', '#other']);
		expect(members(channels)).toEqual(['alice']);
		expect(members(channels, '#other')).toEqual(['alice']);
	});

	it('renames a member in every channel, keeping their modes', () => {
		const channels = channelsWith();
		room(channels, 'bob');
		channels.mode('#room', '+o', ['bob']);
		expect(channels.rename('bob', 'robert').map(channel => channel.name)).toEqual(['#room']);
		expect(members(channels)).toEqual(['@robert', 'alice']);
	});

	it('renames a member whose nick changes only in case', () => {
		const channels = channelsWith();
		room(channels, 'bob');
		channels.rename('bob', 'Bob');
		expect(members(channels)).toEqual(['alice', 'Bob']);
	});
});

describe('Channels: the names list', () => {
	it('replaces the members with the names list once it ends', () => {
		const channels = channelsWith();
		room(channels, 'gone');
		channels.names('#room', ['@alice', 'bob']);
		expect(members(channels)).toEqual(['alice', 'gone']);
		channels.names('#room', ['+carol']);
		channels.endNames('#room');
		expect(members(channels)).toEqual(['@alice', '+carol', 'bob']);
	});

	it('reads every prefix of a multi-prefix entry and the nick of a userhost-in-names one', () => {
		const channels = channelsWith();
		room(channels);
		channels.names('#room', ['@+bob!b@host.example', 'alice']);
		channels.endNames('#room');
		expect(channels.get('#room')?.members.get('bob')).toEqual({nick: 'bob', modes: 'ov'});
	});

	it('keeps no names of a channel we are not in (NAMES #other)', () => {
		const channels = channelsWith();
		channels.names('#other', ['bob', 'carol']);
		channels.endNames('#other');
		expect(channels.get('#other')).toBeUndefined();
		expect(channels.quit('bob')).toEqual([]);
	});
});

describe('Channels: member modes', () => {
	it('gives and takes a member\'s op with +o and -o', () => {
		const channels = channelsWith();
		room(channels, 'bob');
		channels.mode('#room', '+o', ['bob']);
		expect(members(channels)).toEqual(['@bob', 'alice']);
		channels.mode('#room', '-o', ['bob']);
		expect(members(channels)).toEqual(['alice', 'bob']);
	});

	it('gives voice with +v and keeps both modes in rank order', () => {
		const channels = channelsWith();
		room(channels, 'bob');
		channels.mode('#room', '+v', ['bob']);
		channels.mode('#room', '+o', ['bob']);
		expect(channels.get('#room')?.members.get('bob')?.modes).toBe('ov');
		expect(members(channels)).toEqual(['@bob', 'alice']);
	});

	it('applies each letter of +o-v to its own argument', () => {
		const channels = channelsWith();
		room(channels, 'bob', 'carol');
		channels.mode('#room', '+v', ['carol']);
		channels.mode('#room', '+o-v', ['bob', 'carol']);
		expect(members(channels)).toEqual(['@bob', 'alice', 'carol']);
	});

	it('skips the arguments of a key, a limit and a ban before the op\'s', () => {
		const channels = channelsWith();
		room(channels, 'bob', 'carol', 'dave');
		channels.mode('#room', '+kob', ['secret', 'bob', '*!*@spam.example']);
		channels.mode('#room', '+lv', ['10', 'carol']);
		channels.mode('#room', '-l+v', ['dave']);
		expect(members(channels)).toEqual(['@bob', '+carol', '+dave', 'alice']);
	});

	it('ignores a mode for a channel it does not know', () => {
		const channels = channelsWith();
		expect(() => {
			channels.mode('#elsewhere', '+o', ['bob']);
		}).not.toThrow();
		expect(channels.get('#elsewhere')).toBeUndefined();
	});

	it('uses the server\'s PREFIX ranks: owner before admin before op before halfop before voice', () => {
		const channels = channelsWith('PREFIX=(qaohv)~&@%+');
		room(channels, 'owner', 'admin', 'op', 'half', 'voice');
		channels.mode('#room', '+qaohv', ['owner', 'admin', 'op', 'half', 'voice']);
		expect(members(channels)).toEqual(['~owner', '&admin', '@op', '%half', '+voice', 'alice']);
	});
});

describe('Channels: memberList', () => {
	it('lists ops, then voiced, then the rest, each by name', () => {
		const channels = channelsWith();
		room(channels, 'zed', 'bob', 'yan', 'carl', 'xia');
		channels.mode('#room', '+oovv', ['zed', 'bob', 'yan', 'carl']);
		expect(members(channels)).toEqual(['@bob', '@zed', '+carl', '+yan', 'alice', 'xia']);
	});
});

describe('Channels: case folding', () => {
	it('finds #Room[ as #room{ under rfc1459', () => {
		const channels = channelsWith();
		const channel = channels.ensure('#Room[');
		expect(channels.get('#room{')).toBe(channel);
		expect(channels.fold('#Room[')).toBe(channels.fold('#room{'));
	});

	it('treats Bob[ and bob{ as the same member under rfc1459', () => {
		const channels = channelsWith();
		room(channels, 'Bob[');
		channels.leave('#ROOM', 'bob{', false);
		expect(members(channels)).toEqual(['alice']);
	});

	it('keeps #room[ and #room{ apart under ascii', () => {
		const channels = channelsWith('CASEMAPPING=ascii');
		channels.ensure('#room[');
		expect(channels.get('#room{')).toBeUndefined();
		expect(channels.get('#ROOM[')?.name).toBe('#room[');
	});

	it('keeps the channel\'s name as the server first spelled it', () => {
		const channels = channelsWith();
		channels.join('#Room', 'alice');
		channels.join('#ROOM', 'bob');
		expect(channels.list().map(channel => channel.name)).toEqual(['#Room']);
	});
});
