import {afterAll, describe, expect, it, vi} from 'vitest';

// Chalk decides on colour when Ink is first imported; without this the fake terminal gets plain text and
// the styles that set own lines apart from peer lines could not be seen. Hoisted above the imports.
const previousForceColor = vi.hoisted(() => {
	const previous = process.env['FORCE_COLOR'];
	process.env['FORCE_COLOR'] = '1';
	return previous;
});

import {MessagePane} from '../../source/ui/pane/message-pane.js';
import {layoutLine, setTimeFormat, tailRows} from '../../source/ui/pane/format-line.js';
import type {ChatLine} from '../../source/domain/snapshot.js';
import {textWidth} from '../../source/text/text-width.js';
import {toneStyle} from '../../source/ui/pane/theme.js';
import {fixedClock, inLine, outLine, systemLine} from '../helpers/fake-store.js';
import {render, rows} from '../helpers/render.js';
import {stripVTControlCharacters as stripped} from 'node:util';

afterAll(() => {
	if (previousForceColor === undefined) {
		delete process.env['FORCE_COLOR'];
	} else {
		process.env['FORCE_COLOR'] = previousForceColor;
	}
});

function pane(lines: readonly ChatLine[], width = 80, height = 10) {
	return render(<MessagePane rows={tailRows(lines, width, height)} width={width} height={height} />);
}

/** The rows that have text, without trailing spaces. */
function shown(lines: readonly ChatLine[], width = 80, height = 10): string[] {
	return rows(pane(lines, width, height).frame()).filter(row => row !== '');
}

const closingCodes = new Set(['0', '22', '23', '24', '27', '28', '29', '39', '49']);

/**
 * The style `needle` is drawn in: the SGR codes written directly before it in a raw frame that turn a
 * style on (codes that only end the previous segment's style are left out). '' means plain text.
 */
function styleBefore(raw: string, needle: string): string {
	const index = raw.indexOf(needle);
	expect(index, `${needle} in the frame`).toBeGreaterThanOrEqual(0);
	const run = /(?:\u001B\[[\d;]*m)*$/.exec(raw.slice(0, index))?.[0] ?? '';
	return [...run.matchAll(/\u001B\[([\d;]*)m/g)]
		.map(match => match[1] ?? '')
		.filter(code => !closingCodes.has(code))
		.join(',');
}

describe('MessagePane', () => {
	it('shows the time, transport, sender and text of a received line', () => {
		expect(shown([inLine('hello there', {from: '10.0.0.7:9000', transport: 'tcp'})])).toEqual([
			`${fixedClock} tcp <10.0.0.7:9000> hello there`,
		]);
	});

	it('shows the time, transport, own nick and text of a sent line', () => {
		expect(shown([outLine('hi back', {from: 'alice', transport: 'udp'})])).toEqual([`${fixedClock} udp <alice> hi back`]);
	});

	it('lays out a multi-line message as one message of several rows, each under the text column', () => {
		const rows = layoutLine(inLine('first line\nsecond line\nthird', {from: 'them'}), 80);
		expect(rows).toHaveLength(3);
		const texts = rows.map(row => row.segments.map(segment => segment.text).join(''));
		expect(texts[0]).toMatch(/<them> first line$/);
		expect(texts[1]?.trim()).toBe('second line');
		expect(texts[2]?.trim()).toBe('third');
		expect(texts[1]?.indexOf('second')).toBe(texts[0]?.indexOf('first'));
	});

	it('draws the time as the time_format of the config says, or none', () => {
		try {
			setTimeFormat('%H:%M');
			const [row] = layoutLine(inLine('x', {from: 'them'}), 80);
			expect(row?.segments[0]?.text).toMatch(/^\d\d:\d\d $/);
			setTimeFormat('');
			const [bare] = layoutLine(inLine('x', {from: 'them'}), 80);
			expect(bare?.segments.map(segment => segment.text).join('')).toBe('udp <them> x');
		} finally {
			setTimeFormat('%H:%M:%S');
		}
	});

	it('draws the own nick in a different style from a peer nick', () => {
		const raw = pane([inLine('from them', {from: 'them'}), outLine('from me', {from: 'me'})]).rawFrame();
		const own = styleBefore(raw, '<me>');
		const peer = styleBefore(raw, '<them>');
		expect(own).not.toBe('');
		expect(own).not.toBe(peer);
	});

	it('gives own and peer prefixes different tones, with and without colour', () => {
		const [ownRow] = layoutLine(outLine('x', {from: 'me'}), 80);
		const [peerRow] = layoutLine(inLine('x', {from: 'them'}), 80);
		expect(ownRow?.segments.find(segment => segment.text === '<me> ')?.tone).toBe('own');
		expect(peerRow?.segments.find(segment => segment.text === '<them> ')?.tone).toBe('peer');
		expect(toneStyle('own')).not.toEqual(toneStyle('peer'));
	});

	it('marks system lines with -!-', () => {
		expect(shown([systemLine('Protocol is now TCP.')])).toEqual([`${fixedClock} -!- Protocol is now TCP.`]);
	});

	it('marks error system lines with -!- too', () => {
		expect(shown([systemLine('Nobody to send to yet.', 'error')])).toEqual([`${fixedClock} -!- Nobody to send to yet.`]);
	});

	it('renders only the last lines that fit in its height', () => {
		const lines = Array.from({length: 100}, (_, index) => inLine(`message ${String(index + 1).padStart(3, '0')}`));
		const text = shown(lines, 80, 5);
		expect(text).toHaveLength(5);
		expect(text.map(row => row.slice(-11))).toEqual(['message 096', 'message 097', 'message 098', 'message 099', 'message 100']);
		expect(pane(lines, 80, 5).frame()).not.toContain('message 001');
	});

	it('keeps the newest line at the bottom when there are fewer lines than rows', () => {
		const frame = rows(pane([inLine('only one')], 80, 4).frame());
		expect(frame).toHaveLength(4);
		expect(frame.at(-1)).toBe(`${fixedClock} udp <peer> only one`);
		expect(frame.slice(0, 3).every(row => row === '')).toBe(true);
	});

	it('wraps a long line between words with continuation rows indented under the text', () => {
		// "12:34:56 udp <peer> " is 20 columns, so a 60-column pane leaves 40 for the text.
		const words = Array.from({length: 12}, (_, index) => `word${String(index).padStart(2, '0')}`).join(' ');
		const text = shown([inLine(words)], 60);
		expect(text.length).toBeGreaterThan(1);
		expect(text[0]?.startsWith(`${fixedClock} udp <peer> word00`)).toBe(true);
		for (const row of text.slice(1)) {
			expect(row.slice(0, 20)).toBe(' '.repeat(20));
		}

		// Rows break at spaces: every word stays whole.
		expect(text.map(row => row.slice(20).trim()).join(' ')).toBe(words);
		expect(text.every(row => textWidth(row) <= 60)).toBe(true);
	});

	it('wraps CJK text at double width without splitting a character', () => {
		// 41 columns leave 21 for the text: ten CJK characters (20 columns) fit, the eleventh does not.
		const cjk = '一二三四五六七八九十甲乙丙丁戊己庚辛壬癸子丑寅卯辰';
		const text = shown([inLine(cjk)], 41);
		expect(text).toHaveLength(3);
		const bodies = text.map(row => row.slice(20));
		expect(bodies).toEqual(['一二三四五六七八九十', '甲乙丙丁戊己庚辛壬癸', '子丑寅卯辰']);
		expect(text.every(row => textWidth(row) <= 41 && !row.includes('…'))).toBe(true);
		expect(text.slice(1).every(row => row.startsWith(' '.repeat(20)))).toBe(true);
	});

	it('counts wrapped rows when choosing what fits: a tall last line pushes older lines out', () => {
		const long = 'x'.repeat(40 * 3); // Three rows of text in a 60-column pane.
		const text = shown([inLine('older one'), inLine('older two'), inLine(long)], 60, 4);
		expect(text).toHaveLength(4);
		expect(text[0]).toContain('older two');
		expect(text.join('\n')).not.toContain('older one');
	});

	it('shows the last rows of a line cut at the top of the pane', () => {
		const long = Array.from({length: 5}, (_, index) => String(index).repeat(40)).join('');
		const text = shown([inLine(long)], 60, 2);
		expect(text).toEqual([' '.repeat(20) + '3'.repeat(40), ' '.repeat(20) + '4'.repeat(40)]);
	});

	it('puts the prefix on its own row when the pane is too narrow to indent', () => {
		const text = shown([inLine('narrow pane text', {from: 'somebody'})], 30);
		expect(text[0]).toBe(`${fixedClock} udp <somebody>`);
		expect(text.slice(1).join('')).toBe('narrow pane text');
	});

	it('marks a sent line that is still pending', () => {
		expect(shown([outLine('on its way', {delivery: 'pending'})])).toEqual([`${fixedClock} udp <me> on its way (pending)`]);
	});

	it('marks a sent line that could not be sent', () => {
		expect(shown([outLine('lost', {delivery: 'failed'})])).toEqual([`${fixedClock} udp <me> lost (not sent)`]);
	});

	it('shows no marker on a line that was sent', () => {
		const frame = pane([outLine('delivered', {delivery: 'sent'})]).frame();
		expect(frame).not.toContain('(pending)');
		expect(frame).not.toContain('(not sent)');
	});

	it('draws the pending and failed markers in their own style, not in the text style', () => {
		const raw = pane([outLine('one', {delivery: 'pending'}), outLine('two', {delivery: 'failed'})]).rawFrame();
		expect(styleBefore(raw, ' (pending)')).not.toBe('');
		expect(styleBefore(raw, ' (not sent)')).not.toBe('');
	});

	it('moves the whole pending marker, in its style, to the next row when it does not fit', () => {
		// "12:34:56 udp <me> " is 18 columns, leaving 42 for the text: 38 characters leave 4, too few for
		// " (pending)", so the marker goes whole to an indented row of its own.
		const line = outLine('y'.repeat(38), {from: 'me', delivery: 'pending'});
		const raw = pane([line], 60).rawFrame();
		expect(rows(stripped(raw))).toContain(`${' '.repeat(18)}(pending)`);
		expect(styleBefore(raw, '(pending)')).not.toBe('');
	});
});

describe('tailRows', () => {
	it('lays out only as many rows as the height', () => {
		const lines = Array.from({length: 50}, (_, index) => inLine(`line ${index}`));
		expect(tailRows(lines, 80, 3)).toHaveLength(3);
	});

	it('returns nothing for an empty history', () => {
		expect(tailRows([], 80, 5)).toEqual([]);
	});
});
