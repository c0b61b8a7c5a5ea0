import {describe, expect, it} from 'vitest';
import {UsageError} from '../../source/domain/endpoint.js';
import {defaultFormat, formatLine, parseFormat, type InLine} from '../../source/cli/line-format.js';

// Local time, so the expected clock reads the same in every time zone.
const time = new Date(2024, 0, 2, 3, 4, 5).getTime();

function line(overrides: Partial<InLine> = {}): InLine {
	return {id: 1, time, conversation: 'c1', kind: 'in', transport: 'udp', from: 'bob', address: '127.0.0.1:40112', text: 'hi there', ...overrides};
}

const names = (id: string | undefined) => (id === 'c1' ? 'bob' : undefined);

describe('parseFormat', () => {
	it('takes json (any case) and templates with fields', () => {
		expect(parseFormat('json')).toEqual({kind: 'json'});
		expect(parseFormat(' JSON ')).toEqual({kind: 'json'});
		expect(parseFormat('{nick}: {text}')).toEqual({kind: 'template', template: '{nick}: {text}'});
	});

	it('refuses a word that is no format, an unknown field and an unknown escape, naming what works', () => {
		expect(() => parseFormat('nick')).toThrow(UsageError);
		expect(() => parseFormat('nick')).toThrow(/--format: "nick" is neither json nor a template/);
		expect(() => parseFormat('{who} {text}')).toThrow(/\{who\} is not a field; use \{time\} \{date\} \{nick\} \{address\} \{transport\} \{text\} \{conversation\}/);
		expect(() => parseFormat('{text}\\x')).toThrow(/"\\x" is not an escape/);
		expect(() => parseFormat('{text}\\')).toThrow(/is not an escape/);
	});
});

describe('formatLine', () => {
	it('prints the time, the sender and the text by default', () => {
		expect(formatLine(defaultFormat, line())).toBe('03:04:05 <bob> hi there\n');
	});

	it('fills every field', () => {
		const format = parseFormat('{date} {time}|{nick}|{address}|{transport}|{conversation}|{text}');
		expect(formatLine(format, line({transport: 'tcp'}), names)).toBe('2024-01-02 03:04:05|bob|127.0.0.1:40112|tcp|bob|hi there\n');
	});

	it('turns \\t, \\n and \\\\ into a tab, a newline and a backslash; other braces stay', () => {
		expect(formatLine(parseFormat('{nick}\\t{text}\\\\ {x y}\\n'), line())).toBe('bob\thi there\\ {x y}\n\n');
	});

	it('prints only the text with {text}, as pipe mode did before --format', () => {
		expect(formatLine(parseFormat('{text}'), line())).toBe('hi there\n');
		expect(formatLine(parseFormat('{text}'), line({text: 'waves', action: true}))).toBe('* bob waves\n');
	});

	it('prints an action as "* nick text", without the <nick> before it', () => {
		expect(formatLine(defaultFormat, line({text: 'waves', action: true}))).toBe('03:04:05 * bob waves\n');
		expect(formatLine(parseFormat('{nick}\\t{text}'), line({text: 'waves', action: true}))).toBe('bob\t* bob waves\n');
	});

	it('prints a message of several lines as lines that each say who and when', () => {
		expect(formatLine(defaultFormat, line({text: 'one\ntwo\r\nthree'}))).toBe('03:04:05 <bob> one\n03:04:05 <bob> two\n03:04:05 <bob> three\n');
	});

	it('leaves an unknown conversation empty', () => {
		expect(formatLine(parseFormat('[{conversation}] {text}'), line({conversation: 'c9'}), names)).toBe('[] hi there\n');
	});

	it('prints json as one object a line: ISO time, action, conversation (null when unknown)', () => {
		const printed = formatLine({kind: 'json'}, line({text: 'a\nb "q"', transport: 'tcp'}), names);
		expect(printed.endsWith('\n')).toBe(true);
		expect(printed.slice(0, -1)).not.toContain('\n');
		expect(JSON.parse(printed)).toEqual({
			time: new Date(time).toISOString(),
			nick: 'bob',
			address: '127.0.0.1:40112',
			transport: 'tcp',
			text: 'a\nb "q"',
			action: false,
			conversation: 'bob',
		});
		expect(JSON.parse(formatLine({kind: 'json'}, line({action: true, conversation: undefined}), names))).toMatchObject({action: true, conversation: null});
	});
});
