import type {PipeActions} from '../../source/cli/pipe-input.js';

/** Pipe-mode actions that record what was asked of them, in order. */
export function recordingPipeActions(): {calls: unknown[][]; actions: PipeActions} {
	const calls: unknown[][] = [];
	const record = (name: string) => (...args: unknown[]) => {
		calls.push([name, ...args]);
		return undefined as never;
	};

	return {
		calls,
		actions: {
			send: record('send'),
			setNick: record('setNick'),
			setProtocol: record('setProtocol'),
			connectTo: record('connectTo'),
			query: record('query'),
			message: record('message'),
		},
	};
}
