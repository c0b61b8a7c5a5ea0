/** config.toml's [colours] (or [colors]): a colour for each tone the pane draws, and the nicks' colours. */
import {colourTones, type Colours, type ColourTone} from '../ui/pane/theme.js';
import {suggestion, typeName, type Place} from './config-text.js';

const basic = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white'];

/** Ink's (chalk's) colour names. */
export const colourNames: readonly string[] = [...basic, 'gray', ...basic.map(name => `${name}Bright`)];

const byFolded = new Map([...colourNames.map(name => [name.toLowerCase(), name] as const), ['grey', 'gray']]);

/** A colour as Ink draws it: "magenta" (any case), "#rrggbb" (kept lower-case), or "default"; undefined when it is none. */
export function parseColour(value: string): string | undefined {
	const text = value.trim();
	const folded = text.toLowerCase();
	if (folded === 'default') {
		return 'default';
	}

	return /^#[\da-f]{6}$/.test(folded) ? folded : byFolded.get(folded);
}

const keys: readonly string[] = [...colourTones, 'nicks'];

/** Checks the table; a wrong key or value is `at` its line, with a "did you mean". */
export function parseColours(value: unknown, table: string, at: (place: Place, text: string) => Error): Colours {
	if (typeName(value) !== 'a table') {
		throw at({table: '', key: table}, `${table} must be a table: [${table}] with lines like own = "magenta"`);
	}

	const colour = (place: Place, setting: string, key = place.key): string => {
		const parsed = parseColour(setting);
		if (parsed !== undefined) {
			return parsed;
		}

		const why = setting.trim().startsWith('#') ? ': a colour in hex is "#rrggbb", like "#ff8800"' : suggestion(setting.trim(), colourNames, 'colours', ', "#rrggbb" or "default"');
		throw at(place, `${key}: "${setting}" is not a colour${why}`);
	};

	const colours: {-readonly [K in ColourTone]?: string} & {nicks?: string[]} = {};
	for (const [key, setting] of Object.entries(value as Record<string, unknown>)) {
		const place = {table, key};
		if (key === 'nicks') {
			const odd = Array.isArray(setting) ? (setting as unknown[]).find(item => typeof item !== 'string') : undefined;
			if (!Array.isArray(setting) || odd !== undefined) {
				const what = Array.isArray(setting) ? `a list with ${typeName(odd)} in it` : typeName(setting);
				throw at(place, `nicks must be a list of colours, like ["green", "magenta"], not ${what}`);
			}

			colours.nicks = (setting as string[]).map(item => colour(place, item));
		} else if ((colourTones as readonly string[]).includes(key)) {
			if (typeof setting !== 'string') {
				throw at(place, `${key} must be a colour name in a string, like "magenta", not ${typeName(setting)}`);
			}

			colours[key as ColourTone] = colour(place, setting);
		} else {
			throw at(place, `unknown key "${key}" in [${table}]${suggestion(key, keys)}`);
		}
	}

	// Nick colours never use the colour of errors: an error must never look like someone talking.
	const error = colours.error ?? 'red';
	for (const key of ['nicks', 'peer'] as const) {
		const clash = [colours[key] ?? []].flat().find(item => item === error);
		if (clash !== undefined && clash !== 'default') {
			const why = colours.error === undefined ? '' : ` (error = "${error}")`;
			throw at({table, key}, `${key}: "${clash}" is the colour of errors${why}: nick colours never use it, so no nick looks like an error`);
		}
	}

	return colours;
}
