/**
 * Letters and digits that continue a word. Scripts written without spaces (Chinese, Japanese) do not: "小明你好"
 * mentions 小明, and "alice你好" mentions alice.
 */
const wordCharacter = String.raw`[[\p{L}\p{N}_]--[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}]]`;

let cachedNick = '';
let cachedPattern: RegExp | undefined;

function patternFor(nick: string): RegExp {
	if (cachedPattern === undefined || cachedNick !== nick) {
		const escaped = nick.replaceAll(/[\\^$.*+?()[\]{}|/]/g, character => `\\${character}`);
		// Built on first use: a \p{…} pattern costs start-up time when built at import.
		cachedPattern = new RegExp(`(?<!${wordCharacter})${escaped}(?!${wordCharacter})`, 'iv');
		cachedNick = nick;
	}

	return cachedPattern;
}

/** Whether text names nick as a word of its own, in any case ("Alice:", "hi alice!", not "malice"). */
export function mentions(text: string, nick: string): boolean {
	return nick !== '' && patternFor(nick).test(text);
}
