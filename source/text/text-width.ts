import stringWidth from 'string-width';
import simpleCharacters from './simple-characters.json' with {type: 'json'};

let segmenter: Intl.Segmenter | undefined;

/** Text in which every code point is a character of its own: no marks, joiners or emoji sequences. */
const simpleText = new RegExp(`^[${simpleCharacters.ranges}]*$`);

/** User-perceived characters: an emoji ZWJ sequence or a letter with combining marks is one. */
export function graphemes(text: string): string[] {
	if (simpleText.test(text)) {
		return Array.from(text);
	}

	// Built on first use: constructing Intl.Segmenter at import costs start-up time.
	segmenter ??= new Intl.Segmenter(undefined, {granularity: 'grapheme'});
	return Array.from(segmenter.segment(text), part => part.segment);
}

export function textWidth(text: string): number {
	return stringWidth(text);
}

/**
 * Splits text into rows no wider than width columns. Rows break after a space when the row has one (words
 * stay whole, as irssi wraps), else anywhere; wide (CJK) characters never straddle rows.
 */
export function wrapText(text: string, width: number): string[] {
	const columns = Math.max(1, width);
	if (text.length <= columns && textWidth(text) <= columns) {
		return [text];
	}

	const rows: string[] = [];
	let row: string[] = [];
	let widths: number[] = [];
	let rowWidth = 0;
	for (const grapheme of graphemes(text)) {
		const size = textWidth(grapheme);
		if (rowWidth + size > columns && row.length > 0) {
			if (grapheme === ' ') {
				// The space at a break is the break.
				rows.push(row.join(''));
				row = [];
				widths = [];
				rowWidth = 0;
				continue;
			}

			const space = row.lastIndexOf(' ');
			const carry = space > 0 ? row.splice(space + 1) : [];
			const carryWidths = space > 0 ? widths.splice(space + 1) : [];
			rows.push(row.join(''));
			row = carry;
			widths = carryWidths;
			rowWidth = carryWidths.reduce((sum, value) => sum + value, 0);
		}

		row.push(grapheme);
		widths.push(size);
		rowWidth += size;
	}

	rows.push(row.join(''));
	return rows;
}
