// /inspect: open, filter and close the packet inspector (F2 toggles it too). Pure, like parse.ts, which
// hands it the words after the command.

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
