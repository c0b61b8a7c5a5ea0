// Text from peers is untrusted: any control character could drive the terminal (set its title, write the
// clipboard through OSC 52, move the cursor). Every control becomes a visible Control Picture, so an escape
// sequence shows as harmless text like "␛]0;title␇" instead of acting.
// eslint-disable-next-line no-control-regex
// U+115F and U+3164 (Hangul fillers) measure 0 columns but terminals draw them 2 wide, which would break
// the layout: they become placeholders too. U+200E, U+200F and U+061C (direction marks, not overrides) stay:
// Arabic and Hebrew text needs them, and they cannot move text the way overrides and isolates can.
const unsafe = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\u2028\u2029\uFEFF\u115F\u3164]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const tab = '    ';

function placeholder(char: string): string {
	const code = char.codePointAt(0) ?? 0;
	if (code === 0x09) {
		return tab;
	}

	if (code < 0x20) {
		return String.fromCodePoint(0x24_00 + code);
	}

	if (code === 0x7F) {
		return '\u2421';
	}

	if (code === 0x20_28 || code === 0x20_29) {
		return '\u2424';
	}

	return '\uFFFD';
}

/** Untrusted text to printable text: no control, bidi override or stray surrogate survives. Idempotent. */
export function sanitize(text: string): string {
	unsafe.lastIndex = 0;
	if (!unsafe.test(text)) {
		return text;
	}

	unsafe.lastIndex = 0;
	return text.replace(unsafe, placeholder);
}
