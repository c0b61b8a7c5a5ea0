import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {ircColourHex, parseFormatting, stripFormatting} from '../../source/net/irc/formatting.js';

const bold = '\u0002';
const colour = '\u0003';
const hexColour = '\u0004';
const reset = '\u000F';
const codeChars = /[\u0002-\u0004\u000F\u0011\u0016\u001D-\u001F]/;

describe('parseFormatting', () => {
	it('gives plain text one unstyled span, and empty text none', () => {
		expect(parseFormatting('hello')).toEqual([{text: 'hello', style: {}}]);
		expect(parseFormatting('')).toEqual([]);
	});

	it('toggles bold on and off', () => {
		expect(parseFormatting(`a${bold}b${bold}c`)).toEqual([
			{text: 'a', style: {}},
			{text: 'b', style: {bold: true}},
			{text: 'c', style: {}},
		]);
	});

	it.each([
		['\u0002', 'bold'],
		['\u001D', 'italic'],
		['\u001F', 'underline'],
		['\u001E', 'strike'],
		['\u0011', 'monospace'],
		['\u0016', 'reverse'],
	])('reads %j as %s', (code, name) => {
		expect(parseFormatting(`${code}x`)).toEqual([{text: 'x', style: {[name]: true}}]);
	});

	it('resets every style and colour with \\x0F', () => {
		expect(parseFormatting(`${bold}\u001D${colour}4,2a${reset}b`)).toEqual([
			{text: 'a', style: {bold: true, italic: true, fg: 4, bg: 2}},
			{text: 'b', style: {}},
		]);
	});

	it.each([
		[`${colour}4red`, [{text: 'red', style: {fg: 4}}]],
		[`${colour}04red`, [{text: 'red', style: {fg: 4}}]],
		[`${colour}4,12x`, [{text: 'x', style: {fg: 4, bg: 12}}]],
		[`${colour}04,02x`, [{text: 'x', style: {fg: 4, bg: 2}}]],
		[`${colour}123`, [{text: '3', style: {fg: 12}}]],
		[`${colour}4,123`, [{text: '3', style: {fg: 4, bg: 12}}]],
		[`${colour}98x`, [{text: 'x', style: {fg: 98}}]],
	])('reads the colour code %j', (text, spans) => {
		expect(parseFormatting(text)).toEqual(spans);
	});

	it('keeps a comma that no digit follows as text', () => {
		expect(parseFormatting(`${colour}4,text`)).toEqual([{text: ',text', style: {fg: 4}}]);
		expect(parseFormatting(`${colour}4, x`)).toEqual([{text: ', x', style: {fg: 4}}]);
	});

	it('keeps a comma after a bare colour code as text, the code having reset colours', () => {
		expect(parseFormatting(`${colour}4a${colour},5b`)).toEqual([
			{text: 'a', style: {fg: 4}},
			{text: ',5b', style: {}},
		]);
	});

	it('resets both colours with a bare \\x03', () => {
		expect(parseFormatting(`${colour}4,2a${colour}b`)).toEqual([
			{text: 'a', style: {fg: 4, bg: 2}},
			{text: 'b', style: {}},
		]);
	});

	it('keeps the background when only the foreground changes', () => {
		expect(parseFormatting(`${colour}4,2a${colour}7b`)).toEqual([
			{text: 'a', style: {fg: 4, bg: 2}},
			{text: 'b', style: {fg: 7, bg: 2}},
		]);
	});

	it('reads colour 99 as the default colour', () => {
		expect(parseFormatting(`${colour}4,2a${colour}99b${colour}5,99c`)).toEqual([
			{text: 'a', style: {fg: 4, bg: 2}},
			{text: 'b', style: {bg: 2}},
			{text: 'c', style: {fg: 5}},
		]);
	});

	it('keeps other styles across colour changes', () => {
		expect(parseFormatting(`${bold}a${colour}3b`)).toEqual([
			{text: 'a', style: {bold: true}},
			{text: 'b', style: {bold: true, fg: 3}},
		]);
	});

	it('reads a hex colour as the nearest of the 99 colours, the lower on a tie', () => {
		expect(parseFormatting(`${hexColour}FF0000red`)).toEqual([{text: 'red', style: {fg: 4}}]);
		expect(parseFormatting(`${hexColour}fe0101,00ff00x`)).toEqual([{text: 'x', style: {fg: 4, bg: 56}}]);
		expect(parseFormatting(`${hexColour}123456x`)).toEqual([{text: 'x', style: {fg: 23}}]);
	});

	it('resets colours with a bare \\x04 and keeps what follows as text', () => {
		expect(parseFormatting(`${colour}4a${hexColour}1234zz`)).toEqual([
			{text: 'a', style: {fg: 4}},
			{text: '1234zz', style: {}},
		]);
		expect(parseFormatting(`${hexColour}ff0000,zz`)).toEqual([{text: ',zz', style: {fg: 4}}]);
	});

	it('merges neighbouring spans of the same style and drops codes that style nothing', () => {
		expect(parseFormatting(`a${bold}${bold}b`)).toEqual([{text: 'ab', style: {}}]);
		expect(parseFormatting(`${bold}${colour}4${bold}${colour}x`)).toEqual([{text: 'x', style: {}}]);
		expect(parseFormatting(`${bold}${bold}`)).toEqual([]);
	});

	it('keeps the text of every span together equal to the stripped text (property)', () => {
		const unit = fc.constantFrom('a', ' ', ',', '1', '5', '9', 'f', '你', '\u0002', '\u0003', '\u0004', '\u000F', '\u0011', '\u0016', '\u001D', '\u001E', '\u001F');
		fc.assert(fc.property(fc.string({unit, maxLength: 60}), text => {
			const spans = parseFormatting(text);
			expect(spans.map(span => span.text).join('')).toBe(stripFormatting(text));
			expect(spans.every(span => span.text !== '')).toBe(true);
		}), {numRuns: 2000});
	});
});

describe('stripFormatting', () => {
	it('removes every code and keeps the text', () => {
		expect(stripFormatting(`${bold}bold${bold} ${colour}04,12colour${colour} ${hexColour}ff0000hex${reset} \u001Di\u001D\u001Fu\u001F\u001Es\u001E\u0011m\u0011\u0016r\u0016`))
			.toBe('bold colour hex iusmr');
	});

	it('keeps digits beyond two and a comma with no digit', () => {
		expect(stripFormatting(`${colour}1234`)).toBe('34');
		expect(stripFormatting(`${colour}4,x`)).toBe(',x');
	});

	it('returns text without codes unchanged', () => {
		const text = 'plain text, with 12,34 digits';
		expect(stripFormatting(text)).toBe(text);
	});

	it('leaves no formatting code behind (property)', () => {
		fc.assert(fc.property(fc.string({unit: 'binary-ascii', maxLength: 100}), text => {
			expect(stripFormatting(text)).not.toMatch(codeChars);
		}), {numRuns: 2000});
	});
});

describe('ircColourHex', () => {
	it.each([
		[0, '#ffffff'],
		[1, '#000000'],
		[4, '#ff0000'],
		[15, '#d2d2d2'],
		[16, '#470000'],
		[52, '#ff0000'],
		[88, '#000000'],
		[98, '#ffffff'],
	])('gives colour %i as %s', (number, hex) => {
		expect(ircColourHex(number)).toBe(hex);
	});

	it.each([99, 100, -1, 1.5, Number.NaN])('has no colour for %d', number => {
		expect(ircColourHex(number)).toBeUndefined();
	});
});
