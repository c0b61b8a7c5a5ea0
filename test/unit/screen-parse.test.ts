import {describe, expect, it} from 'vitest';
import {blank, continuation} from '../../source/ui/screen/cells.js';
import {parseLine} from '../../source/ui/screen/parse-line.js';
import {applySgr, bold, defaultStyle, dim, underline, withLink} from '../../source/ui/screen/style.js';

const chars = (line: string, columns: number) => parseLine(line, columns).map(cell => cell.char).join('|');

describe('parseLine', () => {
	it('gives one cell a column, blanks after the text', () => {
		const cells = parseLine('ab', 4);
		expect(cells).toHaveLength(4);
		expect(cells.map(cell => cell.char)).toEqual(['a', 'b', ' ', ' ']);
		expect(cells[2]).toBe(blank);
	});

	it('reads SGR sequences as the style of the cells after them', () => {
		const cells = parseLine('a\u001B[1m\u001B[31mb\u001B[39mc\u001B[22md', 4);
		expect(cells[0]!.style).toBe(defaultStyle);
		expect(cells[1]!.style).toBe(applySgr(applySgr(defaultStyle, '1'), '31'));
		expect(cells[2]!.style).toBe(applySgr(defaultStyle, '1'));
		expect(cells[3]!.style).toBe(defaultStyle);
	});

	it('gives equal cells of one style the same object', () => {
		const [first, second] = [parseLine('\u001B[2mx', 1)[0], parseLine('\u001B[2;2mx\u001B[22m', 1)[0]];
		expect(first).toBe(second);
	});

	it('lays a wide character over two columns, as Ink counts them', () => {
		const cells = parseLine('a你b', 5);
		expect(cells.map(cell => cell.char)).toEqual(['a', '你', '', 'b', ' ']);
		expect(cells[1]!.width).toBe(2);
		expect(cells[2]).toBe(continuation);
		expect(cells[1]!.exact).toBe(true);
	});

	it('marks emoji and graphemes of several code points as inexact', () => {
		const cells = parseLine('😀e\u0301x', 5);
		expect(cells.map(cell => [cell.char, cell.width, cell.exact])).toEqual([
			['😀', 2, false],
			['', 0, true],
			['e\u0301', 1, false],
			['x', 1, true],
			[' ', 1, true],
		]);
	});

	it('turns a character of width 0 into a space, as it takes a column in Ink', () => {
		expect(chars('a\u0007b', 3)).toBe('a| |b');
		expect(chars('a\u001B[2Kb', 6)).toBe('a| |[|2|K|b');
	});

	it('cuts a line at the right edge, and a wide character that does not fit becomes a space', () => {
		expect(chars('abcdef', 4)).toBe('a|b|c|d');
		expect(chars('abc你', 4)).toBe('a|b|c| ');
	});

	it('keeps a hyperlink in the style, and ends it with an empty URL', () => {
		const open = '\u001B]8;;https://example.com\u0007';
		const cells = parseLine(`${open}ab\u001B]8;;\u0007c`, 3);
		expect(cells[0]!.style).toBe(withLink(defaultStyle, open, 'https://example.com'));
		expect(cells[1]!.style.link).toBe(open);
		expect(cells[2]!.style).toBe(defaultStyle);
	});
});

describe('applySgr', () => {
	it('ends bold and dim together with 22, and both underlines with 24', () => {
		const style = applySgr(defaultStyle, '1;2;4');
		expect(style.flags).toBe(bold | dim | underline);
		expect(applySgr(style, '22').flags).toBe(underline);
		expect(applySgr(applySgr(defaultStyle, '21'), '24').flags).toBe(0);
	});

	it('reads 256-colour and true colour parameters, and an empty sequence as a reset', () => {
		const style = applySgr(defaultStyle, '38;5;208;48;2;1;2;3');
		expect([style.fg, style.bg]).toEqual(['38;5;208', '48;2;1;2;3']);
		expect(applySgr(style, '')).toBe(defaultStyle);
		expect(applySgr(style, '0')).toBe(defaultStyle);
	});
});
