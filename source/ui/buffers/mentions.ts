/**
 * Letters and digits that continue a word. Scripts written without spaces (Chinese, Japanese) do not: "小明你好"
 * mentions 小明, and "alice你好" mentions alice.
 */
const wordCharacter = String.raw`[[\p{L}\p{N}_]--[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}]]`;

/** A pattern per nick: the merged view asks for your nick and your nick on each network, line after line. */
const patterns = new Map<string, RegExp>();

function patternFor(nick: string): RegExp {
	let pattern = patterns.get(nick);
	if (pattern === undefined) {
		const escaped = nick.replaceAll(/[\\^$.*+?()[\]{}|/]/g, character => `\\${character}`);
		// Built on first use: a \p{…} pattern costs start-up time when built at import.
		pattern = new RegExp(`(?<!${wordCharacter})${escaped}(?!${wordCharacter})`, 'iv');
		if (patterns.size >= 32) {
			patterns.clear();
		}

		patterns.set(nick, pattern);
	}

	return pattern;
}

/** Whether text names nick as a word of its own, in any case ("Alice:", "hi alice!", not "malice"). */
export function mentions(text: string, nick: string): boolean {
	return nick !== '' && patternFor(nick).test(text);
}
