import {afterEach, describe, expect, it, vi} from 'vitest';
import {nickColour, nickColours, setColours, toneStyle} from '../../source/ui/pane/theme.js';

const nicks = Array.from({length: 200}, (_, index) => `nick${index}`);

afterEach(() => {
	setColours();
});

describe('the theme from [colours]', () => {
	it('keeps the built-in colours for what [colours] leaves out', () => {
		setColours({own: 'magenta'});
		expect(toneStyle('own')).toEqual({color: 'magenta', bold: true});
		expect(toneStyle('error')).toEqual({color: 'red'});
		expect(toneStyle('time')).toEqual({dimColor: true});
		expect(toneStyle('date')).toEqual({dimColor: true});
		expect(toneStyle('mention')).toEqual({color: 'yellow', bold: true});
	});

	it('draws a dim tone in a colour once one is given, and "default" in the terminal\'s own colour, keeping bold', () => {
		setColours({time: '#aabbcc', marker: 'gray', own: 'default', system: 'default'});
		expect(toneStyle('time')).toEqual({color: '#aabbcc'});
		expect(toneStyle('marker')).toEqual({color: 'gray'});
		expect(toneStyle('own')).toEqual({bold: true});
		expect(toneStyle('system')).toEqual({});
	});

	it('draws "not sent" in the colour of errors unless failed has its own', () => {
		setColours({error: 'magenta'});
		expect(toneStyle('failed')).toEqual({color: 'magenta', bold: true});
		setColours({error: 'magenta', failed: 'yellowBright', pending: 'gray'});
		expect(toneStyle('failed')).toEqual({color: 'yellowBright', bold: true});
		expect(toneStyle('pending')).toEqual({color: 'gray'});
	});

	it('gives each nick one colour of the nicks list, the same every time', () => {
		setColours({nicks: ['white', 'blueBright']});
		const colours = new Set(nicks.map(nick => nickColour(nick)));
		expect(colours).toEqual(new Set(['white', 'blueBright']));
		expect(nickColour('bob')).toBe(nickColour('bob'));
		expect(toneStyle('peer', 'bob')).toEqual({color: nickColour('bob'), bold: true});
	});

	it('gives everyone else the peer colour with peer alone or an empty nicks list', () => {
		setColours({peer: 'white'});
		expect(new Set(nicks.map(nick => toneStyle('peer', nick).color))).toEqual(new Set(['white']));
		setColours({nicks: []});
		expect(toneStyle('peer', 'bob')).toEqual({color: 'green', bold: true});
		setColours({nicks: [], peer: 'default'});
		expect(toneStyle('peer', 'bob')).toEqual({bold: true});
	});

	it('never gives a nick the colour of errors: a configured error colour leaves the built-in nick colours', () => {
		setColours({error: 'magenta'});
		const used = new Set(nicks.map(nick => nickColour(nick)));
		expect(used.has('magenta')).toBe(false);
		expect(used.size).toBe(nickColours.length - 1);
	});

	it('never gives another nick your own colour: a configured own colour leaves the built-in nick colours', () => {
		setColours({own: 'magentaBright'});
		const used = new Set(nicks.map(nick => nickColour(nick)));
		expect(used.has('magentaBright')).toBe(false);
		expect(used.size).toBe(nickColours.length - 1);
	});

	it('gives no colour at all under NO_COLOR, whatever [colours] says', async () => {
		vi.stubEnv('NO_COLOR', '1');
		vi.resetModules();
		try {
			const theme = await import('../../source/ui/pane/theme.js');
			theme.setColours({own: 'magenta', peer: 'white', mention: 'red', time: '#aabbcc'});
			expect(theme.toneStyle('own')).toEqual({bold: true});
			expect(theme.toneStyle('peer', 'bob')).toEqual({});
			expect(theme.toneStyle('mention')).toEqual({bold: true});
			expect(theme.toneStyle('time')).toEqual({dimColor: true});
		} finally {
			vi.unstubAllEnvs();
			vi.resetModules();
		}
	});
});
