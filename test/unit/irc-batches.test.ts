import {describe, expect, it} from 'vitest';
import {Batches} from '../../source/net/irc/batches.js';
import {parseMessage, type IrcMessage} from '../../source/net/irc/message.js';

function line(raw: string): IrcMessage {
	const message = parseMessage(raw);
	if (message === undefined) {
		throw new Error(`not an IRC line: ${raw}`);
	}

	return message;
}

const inHistory = line('@batch=inner :bob!b@host PRIVMSG #room :old news');

describe('Batches', () => {
	it('names no batch for a line outside every batch', () => {
		expect(new Batches().of(line(':bob!b@host PRIVMSG #room :hi'))).toEqual({types: [], label: undefined});
	});

	it('gives a line\'s batch type, lower-cased', () => {
		const batches = new Batches();
		batches.handle(line('BATCH +inner CHATHISTORY #room'));
		expect(batches.of(inHistory).types).toEqual(['chathistory']);
	});

	it('gives the types of nested batches, innermost first', () => {
		const batches = new Batches();
		batches.handle(line('@label=tnc4 BATCH +outer labeled-response'));
		batches.handle(line('@batch=outer BATCH +inner chathistory #room'));
		expect(batches.of(inHistory).types).toEqual(['chathistory', 'labeled-response']);
	});

	it('gives a line the label of the batch it is in, through nesting', () => {
		const batches = new Batches();
		batches.handle(line('@label=tnc4 BATCH +outer labeled-response'));
		batches.handle(line('@batch=outer BATCH +inner chathistory #room'));
		expect(batches.of(inHistory).label).toBe('tnc4');
	});

	it('prefers the line\'s own label to its batch\'s', () => {
		const batches = new Batches();
		batches.handle(line('@label=tnc4 BATCH +outer labeled-response'));
		expect(batches.of(line('@batch=outer;label=tnc9 :alice!a@host PRIVMSG #room :hi')).label).toBe('tnc9');
	});

	it('forgets a batch once it ends', () => {
		const batches = new Batches();
		batches.handle(line('BATCH +inner chathistory #room'));
		batches.handle(line('BATCH -inner'));
		expect(batches.of(inHistory).types).toEqual([]);
	});

	it('forgets every batch on clear()', () => {
		const batches = new Batches();
		batches.handle(line('@label=tnc4 BATCH +outer labeled-response'));
		batches.handle(line('@batch=outer BATCH +inner chathistory #room'));
		batches.clear();
		expect(batches.of(inHistory)).toEqual({types: [], label: undefined});
	});

	it('follows at most 64 open batches, forgetting the oldest for a new one', () => {
		const batches = new Batches();
		for (let number = 0; number < 64; number++) {
			batches.handle(line(`BATCH +b${number} netsplit`));
		}

		batches.handle(line('BATCH +inner chathistory #room'));
		expect(batches.of(inHistory).types).toEqual(['chathistory']);
		expect(batches.of(line('@batch=b0 :bob!b@host QUIT :split')).types).toEqual([]);
		expect(batches.of(line('@batch=b63 :bob!b@host QUIT :split')).types).toEqual(['netsplit']);
	});
});
