/** The longest prefix of `text`, whole code points, that is at most `maxBytes` in UTF-8. */
export function utf8Prefix(text: string, maxBytes: number): string {
	let kept = '';
	for (const character of text) {
		if (Buffer.byteLength(kept + character) > maxBytes) {
			break;
		}

		kept += character;
	}

	return kept;
}
