import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {formatCtcp, parseCtcp} from '../../source/net/irc/ctcp.js';

const delimiter = '\u0001';

describe('parseCtcp', () => {
	it('reads an ACTION and its text', () => {
		expect(parseCtcp(`${delimiter}ACTION waves${delimiter}`)).toEqual({command: 'ACTION', args: 'waves'});
	});

	it('reads a message whose closing \\x01 is missing', () => {
		expect(parseCtcp(`${delimiter}ACTION waves`)).toEqual({command: 'ACTION', args: 'waves'});
	});

	it('reads a command without arguments', () => {
		expect(parseCtcp(`${delimiter}VERSION${delimiter}`)).toEqual({command: 'VERSION', args: ''});
		expect(parseCtcp(`${delimiter}VERSION`)).toEqual({command: 'VERSION', args: ''});
	});

	it('upper-cases the command', () => {
		expect(parseCtcp(`${delimiter}action waves${delimiter}`)?.command).toBe('ACTION');
	});

	it('keeps the arguments as sent after the first space', () => {
		expect(parseCtcp(`${delimiter}PING 1700000000 123${delimiter}`)).toEqual({command: 'PING', args: '1700000000 123'});
		expect(parseCtcp(`${delimiter}ACTION  spaced out ${delimiter}`)).toEqual({command: 'ACTION', args: ' spaced out '});
		expect(parseCtcp(`${delimiter}ACTION ${delimiter}`)).toEqual({command: 'ACTION', args: ''});
	});

	it.each(['hello', '', delimiter, `${delimiter}${delimiter}`, `${delimiter} ACTION waves${delimiter}`, `hi ${delimiter}ACTION waves${delimiter}`])(
		'finds no CTCP in %j',
		text => {
			expect(parseCtcp(text)).toBeUndefined();
		},
	);
});

describe('formatCtcp', () => {
	it('wraps a command and its arguments in \\x01', () => {
		expect(formatCtcp('ACTION', 'waves')).toBe(`${delimiter}ACTION waves${delimiter}`);
	});

	it('writes a command without arguments alone', () => {
		expect(formatCtcp('VERSION')).toBe(`${delimiter}VERSION${delimiter}`);
		expect(formatCtcp('VERSION', '')).toBe(`${delimiter}VERSION${delimiter}`);
	});

	it('parses back what it formats (property)', () => {
		const command = fc.stringMatching(/^[A-Z]{1,10}$/);
		const args = fc.string({maxLength: 40}).filter(text => !text.includes(delimiter));
		fc.assert(fc.property(command, args, (name, text) => {
			expect(parseCtcp(formatCtcp(name, text))).toEqual({command: name, args: text});
		}));
	});
});
