/** Where in a config file's text a key is, and what a mistyped key may have meant. */

export type Place = {readonly table: string; readonly key: string};

/** The line of a key (1-based): smol-toml reports where a syntax error is, but not where a parsed key was. */
export function lineOf(source: string, {table, key}: Place): number | undefined {
	const quoted = (name: string) => {
		const escaped = name.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
		return `(?:${escaped}|"${escaped}"|'${escaped}')`;
	};
	const keyLine = new RegExp(`^\\s*${table === '' ? '' : `(?:${quoted(table)}\\s*\\.\\s*)?`}${quoted(key)}\\s*[=.]`);
	// [table], [table.sub] and [[table]] (an array of tables).
	const header = /^\s*\[\[?\s*([^\]]+?)\s*\]/;
	let current = '';
	const lines = source.split(/\r?\n/);
	for (const [index, line] of lines.entries()) {
		const match = header.exec(line);
		if (match) {
			current = (match[1] ?? '').replaceAll(/["']/g, '');
			const path = current.split('.').map(part => part.trim());
			// A table at the top ([colours]) is where its header is, and so is a table inside one ([colours.x]).
			if ((table === '' && path[0] === key) || (table !== '' && path[0] === table && path[1] === key)) {
				return index + 1;
			}

			current = path.join('.');

			continue;
		}

		// A dotted key at the top (display.bell = ...) counts as in its table.
		const dotted = current === '' && table !== '' && new RegExp(`^\\s*${quoted(table)}\\s*\\.\\s*${quoted(key)}\\s*=`).test(line);
		if ((current === table && keyLine.test(line)) || dotted) {
			return index + 1;
		}
	}

	// A key inside an inline table (colours = { own = "purple" }): the line of the table.
	return table === '' ? undefined : lineOf(source, {table: '', key: table});
}

/** Levenshtein distance, for "did you mean". */
function distance(a: string, b: string): number {
	let previous = Array.from({length: b.length + 1}, (_, index) => index);
	for (const [i, charA] of [...a].entries()) {
		const row = [i + 1];
		for (const [j, charB] of [...b].entries()) {
			row.push(Math.min((previous[j + 1] ?? 0) + 1, (row[j] ?? 0) + 1, (previous[j] ?? 0) + (charA === charB ? 0 : 1)));
		}

		previous = row;
	}

	return previous[b.length] ?? 0;
}

/** " (did you mean "protocol"?)", or the list of what is known (`what` names it) when nothing is near. */
export function suggestion(key: string, known: readonly string[], what = 'known keys', more = ''): string {
	const typed = key.toLowerCase().replaceAll('_', '-');
	const folded = (name: string) => name.toLowerCase().replaceAll('_', '-');
	// A start of a key ("prot") is taken for that key before a near spelling ("port").
	const prefix = typed.length >= 3 ? known.find(name => folded(name).startsWith(typed)) : undefined;
	const best = prefix === undefined ? known.map(name => ({name, score: distance(typed, folded(name))})).sort((x, y) => x.score - y.score)[0] : {name: prefix, score: 0};
	return best !== undefined && best.score <= Math.max(2, Math.floor(key.length / 3)) ? ` (did you mean "${best.name}"?)` : ` (${what}: ${known.join(', ')}${more})`;
}

/** How a mistyped value is named: "a list", "a table", "a string". */
export const typeName = (value: unknown) => (Array.isArray(value) ? 'a list' : value instanceof Date ? 'a date' : typeof value === 'object' && value !== null ? 'a table' : `a ${typeof value}`);
