// /inspect: open, filter and close the packet inspector (F2 toggles it too). Pure, like parse.ts.
// For now the App runs an /inspect line before the command parser (use-inspector.ts runLine); once parse.ts
// maps "/inspect ARGS" to parseInspectArgs(ARGS) and run.ts hands it to the inspector's run(), that goes,
// and inspectHelp joins commandHelp (so /help and Tab completion know it).

/** Which records the inspector shows. */
export type InspectFilter = {readonly kind: 'all'} | {readonly kind: 'udp'} | {readonly kind: 'tcp'} | {readonly kind: 'peer'; readonly number: number};

export type InspectCommand =
	/** /inspect alone: open it, or close it when open (as F2). */
	| {readonly type: 'inspect-toggle'}
	| {readonly type: 'inspect-off'}
	| {readonly type: 'inspect-show'; readonly filter: InspectFilter}
	| {readonly type: 'inspect-error'; readonly message: string};

export const inspectUsage = '/inspect [udp|tcp|peer N|all|off]';

export const inspectHelp: readonly [string, string] = [inspectUsage, 'the packet inspector (F2): datagrams and TCP chunks in hex, filtered; off closes it'];

/** The arguments after "/inspect" (the text after the command word, maybe empty). */
export function parseInspectArgs(args: string): InspectCommand {
	const words = args.trim().toLowerCase().split(/\s+/).filter(word => word !== '');
	const [first, second, ...rest] = words;
	if (first === undefined) {
		return {type: 'inspect-toggle'};
	}

	if (rest.length === 0 && second === undefined) {
		if (first === 'off') {
			return {type: 'inspect-off'};
		}

		if (first === 'udp' || first === 'tcp' || first === 'all') {
			return {type: 'inspect-show', filter: {kind: first}};
		}
	}

	if (first === 'peer' && rest.length === 0) {
		const number = second !== undefined && /^\d{1,6}$/.test(second) ? Number(second) : 0;
		return number > 0 ? {type: 'inspect-show', filter: {kind: 'peer', number}} : {type: 'inspect-error', message: 'Which peer? /inspect peer N, a number /peers shows.'};
	}

	return {type: 'inspect-error', message: `Usage: ${inspectUsage}`};
}

/** A whole input line: the inspector's command, or undefined when the line is not /inspect. */
export function parseInspectLine(line: string): InspectCommand | undefined {
	// As parseInput: a line is a command only when its first character is the slash.
	const match = /^\/inspect(?:\s(.*))?$/is.exec(line);
	return match ? parseInspectArgs(match[1] ?? '') : undefined;
}
