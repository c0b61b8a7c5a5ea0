// The fast line tokenizer of source/ui/screen/ink-output.ts: the tokens Ink's tokenize() gives a line, made
// from pieces (cut at SGR codes and where printable ASCII starts or stops) that are tokenized apart and kept,
// so a line that changes in one place costs about that place. Its imports resolve where Ink's output.js
// resolves them (scripts/build.mjs, patch "ink-output").
import {tokenize, type Token} from '@alcalzone/ansi-tokenize';
import {getTokens, joins} from './ink-output-caches.js';

/** Printable ASCII: each character a grapheme of its own, one column, whatever is around it. */
const printableAscii = /^[\x20-\x7E]*$/;
const pieces = /[\x20-\x7E]+|[^\x20-\x7E]+/g;

function pushAsciiTokens(tokens: Token[], text: string): void {
	for (let index = 0; index < text.length; index++) {
		tokens.push({type: 'char', value: text[index]!, fullWidth: false});
	}
}

/** tokens.push(...more), without an argument per element (a long line would overflow the stack). */
function pushAll(tokens: Token[], more: readonly Token[], from = 0): void {
	for (let index = from; index < more.length; index++) {
		tokens.push(more[index]!);
	}
}

function lastCharacter(text: string): string {
	const low = text.charCodeAt(text.length - 1);
	return text.length > 1 && low >= 0xDC00 && low <= 0xDFFF ? text.slice(-2) : text.slice(-1);
}

/** Whether the grapheme rules join `text` (two characters) into one grapheme, as Ink's tokenize reads it. */
function joined(text: string): boolean {
	let cached = joins.get(text);
	if (cached === undefined) {
		cached = tokenize(text).length === 1;
		joins.set(text, cached);
	}

	return cached;
}

/**
 * The tokens of text without escapes (after an SGR code when `afterCode`), as tokenize() of the whole line
 * gives them; undefined when that needs the whole line. The text is cut where printable ASCII starts or
 * stops, and the other pieces are tokenized apart (and kept): a rule of box-drawing characters with a
 * counter in it costs the counter. The grapheme rules decide a boundary from what is before it and the
 * character after it, and only a few classes reach across printable ASCII: a mark, ZWJ or spacing mark
 * joins the character before it, a prepended concatenation mark the one after it. Each cut is checked for
 * those (with the piece's own first or last character beside an "a"); the rest of a piece is segmented the
 * same alone. After an SGR code, the first piece is segmented after an "m", the code's last character:
 * a combining mark there joins the "m", and Ink's tokenize drops that grapheme with the code, as skipping
 * the first token does here.
 */
function textTokens(text: string, afterCode: boolean): Token[] | undefined {
	const tokens: Token[] = [];
	if (printableAscii.test(text)) {
		pushAsciiTokens(tokens, text);
		return tokens;
	}

	const parts = text.match(pieces)!;
	for (const [index, part] of parts.entries()) {
		const code = part.charCodeAt(0);
		if (code >= 0x20 && code <= 0x7E) {
			pushAsciiTokens(tokens, part);
			continue;
		}

		if (index < parts.length - 1 && joined(`${lastCharacter(part)}a`)) {
			return undefined;
		}

		if (index === 0 && afterCode) {
			pushAll(tokens, getTokens(`m${part}`), 1);
		} else if (index > 0 && joined(`a${String.fromCodePoint(part.codePointAt(0)!)}`)) {
			return undefined;
		} else {
			pushAll(tokens, getTokens(part));
		}
	}

	return tokens;
}

/**
 * The tokens of a line as @alcalzone/ansi-tokenize's tokenize(line) gives them, or undefined when the line has
 * more than text and well-formed SGR codes (\e[…m). The line is cut at its SGR codes, which Ink's tokenize
 * cannot join with a neighbour (ESC is a control character: graphemes always end before it), and its pieces
 * are tokenized apart, so a line that changes in one place (a counter, the draft) reuses the rest.
 */
export function splitTokens(line: string): Token[] | undefined {
	const tokens: Token[] = [];
	let start = 0;
	let afterCode = false;
	for (;;) {
		const escape = line.indexOf('\u001B', start);
		const text = escape === -1 ? line.slice(start) : line.slice(start, escape);
		if (text.includes('\u009B')) {
			return undefined;
		}

		if (text !== '') {
			const textPart = textTokens(text, afterCode);
			if (textPart === undefined) {
				return undefined;
			}

			pushAll(tokens, textPart);
		}

		if (escape === -1) {
			return tokens;
		}

		// ansi-tokenize's SGR syntax: ESC [ then digits and semicolons up to an "m".
		if (line.charCodeAt(escape + 1) !== 0x5B) {
			return undefined;
		}

		let end = escape + 2;
		for (let code = line.charCodeAt(end); code === 0x3B || (code >= 0x30 && code <= 0x39); code = line.charCodeAt(++end)) {
			// Digits and semicolons.
		}

		if (line.charCodeAt(end) !== 0x6D) {
			return undefined;
		}

		pushAll(tokens, getTokens(line.slice(escape, end + 1)));
		start = end + 1;
		afterCode = true;
	}
}
