// RPL_ISUPPORT (005, modern.ircdocs.horse/#rplisupport-005): what the server tells about itself, and the
// name case folding and member prefixes that depend on it.

export type Casemapping = 'ascii' | 'rfc1459' | 'strict-rfc1459';

export type ServerSupport = {
	readonly network: string | undefined;
	readonly casemapping: Casemapping;
	readonly chanTypes: string;
	/** PREFIX=(qaohv)~&@%+ : modes and their symbols, highest first. */
	readonly prefixes: ReadonlyArray<{readonly mode: string; readonly symbol: string}>;
	readonly nickLen: number | undefined;
	/** CHATHISTORY=N as given (0 means no limit). */
	readonly chatHistory: number | undefined;
	readonly lineLen: number;
};

export const defaultSupport: ServerSupport = {
	network: undefined,
	casemapping: 'rfc1459',
	chanTypes: '#&',
	prefixes: [{mode: 'o', symbol: '@'}, {mode: 'v', symbol: '+'}],
	nickLen: undefined,
	chatHistory: undefined,
	lineLen: 512,
};

type MutableSupport = {-readonly [K in keyof ServerSupport]: ServerSupport[K]};

const casemappings: readonly Casemapping[] = ['ascii', 'rfc1459', 'strict-rfc1459'];

function parsePrefixes(value: string): ServerSupport['prefixes'] | undefined {
	if (value === '') {
		return [];
	}

	const match = /^\(([^)]*)\)(.*)$/.exec(value);
	if (!match) {
		return undefined;
	}

	const modes = [...match[1] ?? ''];
	const symbols = [...match[2] ?? ''];
	return modes.length === symbols.length ? modes.map((mode, index) => ({mode, symbol: symbols[index] ?? ''})) : undefined;
}

function parseCount(value: string): number | undefined {
	return /^\d+$/.test(value) ? Number(value) : undefined;
}

/** Each field read from its token's value; undefined leaves the field as it was. */
const parsers: {readonly [K in keyof ServerSupport]: (value: string) => ServerSupport[K] | undefined} = {
	network: value => value || undefined,
	casemapping: value => casemappings.find(known => known === value),
	chanTypes: value => value,
	prefixes: parsePrefixes,
	nickLen: parseCount,
	chatHistory: parseCount,
	lineLen: parseCount,
};

const fieldOfToken: ReadonlyMap<string, keyof ServerSupport> = new Map([
	['NETWORK', 'network'],
	['CASEMAPPING', 'casemapping'],
	['CHANTYPES', 'chanTypes'],
	['PREFIX', 'prefixes'],
	['NICKLEN', 'nickLen'],
	['CHATHISTORY', 'chatHistory'],
	['LINELEN', 'lineLen'],
]);

/** Values escape bytes as \xHH, as "NETWORK=Example\x20Net". */
function unescapeValue(value: string): string {
	return value.replace(/\\x([\da-f]{2})/gi, (_all, hex: string) => String.fromCodePoint(Number.parseInt(hex, 16)));
}

function reset<K extends keyof ServerSupport>(support: MutableSupport, field: K): void {
	support[field] = defaultSupport[field];
}

function update<K extends keyof ServerSupport>(support: MutableSupport, field: K, value: string): void {
	const parsed = parsers[field](value);
	if (parsed !== undefined) {
		support[field] = parsed;
	}
}

/** Applies the tokens of one RPL_ISUPPORT (005) line: params between the target nick and the trailing text. '-TOKEN' removes (back to default). */
export function applyIsupport(support: ServerSupport, tokens: readonly string[]): ServerSupport {
	const next: MutableSupport = {...support};
	for (const token of tokens) {
		const removed = token.startsWith('-');
		const equals = token.indexOf('=');
		const name = token.slice(removed ? 1 : 0, equals === -1 ? undefined : equals);
		const field = fieldOfToken.get(name);
		if (field === undefined) {
			continue;
		}

		if (removed) {
			reset(next, field);
		} else {
			update(next, field, equals === -1 ? '' : unescapeValue(token.slice(equals + 1)));
		}
	}

	return next;
}

const upperCase: Readonly<Record<Casemapping, RegExp>> = {
	ascii: /[A-Z]/g,
	rfc1459: /[A-Z[\]\\~]/g,
	'strict-rfc1459': /[A-Z[\]\\]/g,
};

const lowerOfSpecial: Readonly<Record<string, string>> = {'[': '{', ']': '}', '\\': '|', '~': '^'};

/** rfc1459 folds A-Z[]\~ to a-z{}|^ ; strict-rfc1459 leaves ~ and ^ apart. */
export function casefold(name: string, casemapping: Casemapping): string {
	return name.replace(upperCase[casemapping], char => lowerOfSpecial[char] ?? char.toLowerCase());
}

export function isChannel(name: string, support: ServerSupport): boolean {
	const first = name.charAt(0);
	return first !== '' && support.chanTypes.includes(first);
}

/** One entry of RPL_NAMREPLY (353), with multi-prefix: '@+alice' -> {nick:'alice', modes:'ov'}; with userhost-in-names 'nick!u@h' -> nick only. */
export function parseNamesEntry(entry: string, support: ServerSupport): {readonly nick: string; readonly modes: string} {
	let start = 0;
	while (support.prefixes.some(prefix => prefix.symbol === entry.charAt(start))) {
		start++;
	}

	const symbols = entry.slice(0, start);
	const modes = support.prefixes.filter(prefix => symbols.includes(prefix.symbol)).map(prefix => prefix.mode).join('');
	const nickEnd = entry.slice(start).search(/[!@]/);
	return {nick: entry.slice(start, nickEnd === -1 ? undefined : start + nickEnd), modes};
}

/** The highest symbol for a member's modes ('@' for 'ov'), '' for none. */
export function prefixSymbol(modes: string, support: ServerSupport): string {
	return support.prefixes.find(prefix => modes.includes(prefix.mode))?.symbol ?? '';
}
