import {describe, expect, it} from 'vitest';
import {parse} from 'smol-toml';
import {parseConfig, type TomlParse} from '../../source/cli/config.js';
import {parseColour} from '../../source/cli/config-colours.js';

const path = '~/.config/tui-netchat/config.toml';
const colours = (source: string) => parseConfig(source, path, parse as TomlParse).display.colours;
const error = (source: string) => {
	try {
		parseConfig(source, path, parse as TomlParse);
	} catch (caught) {
		return (caught as Error).message;
	}

	throw new Error('no error');
};

describe('[colours] in the config file', () => {
	it('takes colour names in any case, #rrggbb, "default", and the list of nick colours', () => {
		const source = '[colours]\nown = "Magenta"\ntime = "#AABBCC"\nsystem = "default"\nmention = "yellowbright"\nmarker = "grey"\nnicks = ["green", "blueBright"]\n';
		expect(colours(source)).toEqual({own: 'magenta', time: '#aabbcc', system: 'default', mention: 'yellowBright', marker: 'gray', nicks: ['green', 'blueBright']});
	});

	it('takes the spelling [colors] too, and a dotted key at the top', () => {
		expect(colours('[colors]\nerror = "magenta"\n')).toEqual({error: 'magenta'});
		expect(colours('colours.own = "white"\n')).toEqual({own: 'white'});
	});

	it('leaves the colours out of the display settings when there is no table', () => {
		expect(colours('nick = "a"\n')).toBeUndefined();
	});

	it('takes an empty list of nick colours: everyone else in the peer colour', () => {
		expect(colours('[colours]\nnicks = []\npeer = "white"\n')).toEqual({nicks: [], peer: 'white'});
	});
});

describe('[colours] mistakes: one line naming the file and line', () => {
	it.each([
		['[colours]\nown = "cyna"\n', `${path}:2: own: "cyna" is not a colour (did you mean "cyan"?)`],
		['[colors]\n\nmention = "yelow"\n', `${path}:3: mention: "yelow" is not a colour (did you mean "yellow"?)`],
		['[colours]\nown = "greenbrigt"\n', `${path}:2: own: "greenbrigt" is not a colour (did you mean "greenBright"?)`],
		['[colours]\nown = "#12345"\n', `${path}:2: own: "#12345" is not a colour: a colour in hex is "#rrggbb", like "#ff8800"`],
		[
			'[colours]\nown = "chartreuse"\n',
			`${path}:2: own: "chartreuse" is not a colour (colours: black, red, green, yellow, blue, magenta, cyan, white, gray, blackBright, redBright, greenBright, yellowBright, blueBright, magentaBright, cyanBright, whiteBright, "#rrggbb" or "default")`,
		],
		['[colours]\nowm = "red"\n', `${path}:2: unknown key "owm" in [colours] (did you mean "own"?)`],
		['[colors]\nnick = ["red"]\n', `${path}:2: unknown key "nick" in [colors] (did you mean "nicks"?)`],
		['[colours]\nown = 3\n', `${path}:2: own must be a colour name in a string, like "magenta", not a number`],
		['[colours]\nnicks = "green"\n', `${path}:2: nicks must be a list of colours, like ["green", "magenta"], not a string`],
		['[colours]\nnicks = ["green", "purple"]\n', `${path}:2: nicks: "purple" is not a colour (colours: black, red, green, yellow, blue, magenta, cyan, white, gray, blackBright, redBright, greenBright, yellowBright, blueBright, magentaBright, cyanBright, whiteBright, "#rrggbb" or "default")`],
		['colours = "red"\n', `${path}:1: colours must be a table: [colours] with lines like own = "magenta"`],
		['[colours]\nown = "red"\n[colors]\nown = "red"\n', `${path}:3: [colors] and [colours] are the same table: keep one`],
	])('%j', (source, expected) => {
		expect(error(source)).toBe(expected);
	});

	it('refuses a nick colour that is the colour of errors, saying why', () => {
		expect(error('[colours]\nnicks = ["green", "red"]\n')).toBe(`${path}:2: nicks: "red" is the colour of errors: nick colours never use it, so no nick looks like an error`);
		expect(error('[colours]\nnicks = ["green", "Magenta"]\nerror = "magenta"\n')).toBe(
			`${path}:2: nicks: "magenta" is the colour of errors (error = "magenta"): nick colours never use it, so no nick looks like an error`,
		);
		expect(error('[colours]\nerror = "#00ff00"\npeer = "#00FF00"\n')).toBe(
			`${path}:3: peer: "#00ff00" is the colour of errors (error = "#00ff00"): nick colours never use it, so no nick looks like an error`,
		);
		// Red is free for nicks once errors have another colour.
		expect(colours('[colours]\nerror = "magenta"\nnicks = ["red"]\n')).toEqual({error: 'magenta', nicks: ['red']});
	});
});

describe('parseColour', () => {
	it('gives Ink colour names, lower-case hex, "default", or undefined', () => {
		expect(parseColour(' CyanBright ')).toBe('cyanBright');
		expect(parseColour('#FFffFF')).toBe('#ffffff');
		expect(parseColour('DEFAULT')).toBe('default');
		expect(parseColour('rgb(1,2,3)')).toBeUndefined();
		expect(parseColour('bgRed')).toBeUndefined();
	});
});

describe('the line a wrong [colours] entry is on', () => {
	it('is named however the table is written: a sub-table, an inline table, an array of tables', () => {
		expect(error('nick = "a"\n[colours.x]\nown = "red"\n')).toBe(`${path}:2: unknown key "x" in [colours] (known keys: time, own, peer, system, error, mention, marker, date, pending, failed, nicks)`);
		expect(error('nick = "a"\n[display.x]\na = 1\n')).toMatch(new RegExp(`^${path.replaceAll('.', '\\.')}:2: unknown key "x" in \\[display\\]`));
		expect(error('nick = "a"\ncolours = { own = "purple" }\n')).toMatch(new RegExp(`^${path.replaceAll('.', '\\.')}:2: own: "purple" is not a colour`));
		expect(error('nick = "a"\n\n[[colours]]\nown = "red"\n')).toBe(`${path}:3: colours must be a table: [colours] with lines like own = "magenta"`);
	});

	it('names what is wrong in a list of nick colours that holds something else', () => {
		expect(error('[colours]\nnicks = ["green", 3]\n')).toBe(`${path}:2: nicks must be a list of colours, like ["green", "magenta"], not a list with a number in it`);
	});
});
