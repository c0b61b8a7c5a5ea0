import {describe, expect, it} from 'vitest';
import {formatGreeting} from '../../source/net/wire/greeting.js';
import {directLine, readIncoming, type Sender} from '../../source/net/wire/incoming.js';

// test/unit/wire.test.ts covers direct peers; these are the cases for rooms and "@direct".

const chatRoom: Sender = {tnc: false, transport: 'tcp', ncat: true, room: 'chat'};
const brokerRoom: Sender = {tnc: false, transport: 'tcp', ncat: false, room: 'broker'};
const greeting = formatGreeting('bob', 7852);

describe('readIncoming in an ncat --chat room', () => {
	it('reads every line as a relay line, a greeting included', () => {
		expect(readIncoming(`<user5> ${greeting}`, chatRoom)).toEqual({kind: 'relay', raw: `<user5> ${greeting}`});
		expect(readIncoming(greeting, chatRoom)).toEqual({kind: 'relay', raw: greeting});
	});

	it('never reads tags, even from a sender known as tui-netchat', () => {
		expect(readIncoming('@id=AbCdEfGh-1 hi', {...chatRoom, tnc: true})).toEqual({kind: 'relay', raw: '@id=AbCdEfGh-1 hi'});
	});
});

describe('readIncoming in a broker room', () => {
	it('still reads a greeting, to tell who is in the room', () => {
		expect(readIncoming(greeting, brokerRoom)).toMatchObject({kind: 'greeting', greeting: {nick: 'bob', port: 7852}});
	});

	it('reads "@direct" as the sign that one tui-netchat is at the other end', () => {
		expect(readIncoming(directLine, brokerRoom)).toEqual({kind: 'tagged', tags: {direct: true}, text: '', recognised: false});
	});

	it('reads a line in our own tag form as plain text', () => {
		expect(readIncoming('@id=AbCdEfGh-1 hi', brokerRoom)).toEqual({kind: 'plain', text: '@id=AbCdEfGh-1 hi'});
	});

	it('reads tagged lines as plain text even from a sender known as tui-netchat', () => {
		expect(readIncoming('@ack=AbCdEfGh-1', {...brokerRoom, tnc: true})).toEqual({kind: 'plain', text: '@ack=AbCdEfGh-1'});
	});
});

describe('readIncoming "@direct" outside a room', () => {
	it('is plain text from a plain peer', () => {
		expect(readIncoming(directLine, {tnc: false, transport: 'tcp', ncat: false})).toEqual({kind: 'plain', text: directLine});
	});

	it('is a direct tag from a tui-netchat', () => {
		expect(readIncoming(directLine, {tnc: true, transport: 'tcp', ncat: false})).toEqual({kind: 'tagged', tags: {direct: true}, text: '', recognised: false});
	});
});
