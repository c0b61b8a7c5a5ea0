import stringWidth from 'string-width';

let segmenter: Intl.Segmenter | undefined;

/** User-perceived characters: an emoji ZWJ sequence or a letter with combining marks is one. */
export function graphemes(text: string): string[] {
	// Built on first use: constructing Intl.Segmenter at import costs start-up time.
	segmenter ??= new Intl.Segmenter(undefined, {granularity: 'grapheme'});
	return Array.from(segmenter.segment(text), part => part.segment);
}

export function textWidth(text: string): number {
	return stringWidth(text);
}

/** Splits text into rows no wider than width columns; wide (CJK) characters never straddle rows. */
export function wrapText(text: string, width: number): string[] {
	const columns = Math.max(1, width);
	if (text.length <= columns && textWidth(text) <= columns) {
		return [text];
	}

	const rows: string[] = [];
	let row = '';
	let rowWidth = 0;
	for (const grapheme of graphemes(text)) {
		const size = textWidth(grapheme);
		if (rowWidth + size > columns && row !== '') {
			rows.push(row);
			row = '';
			rowWidth = 0;
		}

		row += grapheme;
		rowWidth += size;
	}

	rows.push(row);
	return rows;
}
