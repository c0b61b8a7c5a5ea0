import type {Tone} from './format-line.js';

export type ToneStyle = {readonly color?: string; readonly dimColor?: boolean; readonly bold?: boolean};

/** NO_COLOR (https://no-color.org) removes colour; bold and dim still tell own lines and system lines apart. */
export const useColor = !process.env['NO_COLOR'];

const coloured: Record<Tone, ToneStyle> = {
	time: {dimColor: true},
	own: {color: 'cyan', bold: true},
	peer: {color: 'green', bold: true},
	system: {color: 'blue'},
	error: {color: 'red'},
	text: {},
	pending: {color: 'yellow'},
	failed: {color: 'red', bold: true},
};

const plain: Record<Tone, ToneStyle> = {
	time: {dimColor: true},
	own: {bold: true},
	peer: {},
	system: {dimColor: true},
	error: {bold: true},
	text: {},
	pending: {dimColor: true},
	failed: {bold: true},
};

export function toneStyle(tone: Tone): ToneStyle {
	return useColor ? coloured[tone] : plain[tone];
}
