import {formatEndpoint, type Endpoint} from '../../domain/endpoint.js';
import {StartError} from '../transport/bind-port.js';
import {errorCode, explainError} from '../transport/errors.js';
import {ChatLog} from './chat-log.js';
import type {ChatHistory} from './history.js';

/** --log FILE, opened at start: a file that cannot be opened stops the start; one that fails later, only the log. */
export function openLog(history: ChatHistory, logPath: string): void {
	try {
		history.log = new ChatLog(logPath, error => {
			history.log = undefined;
			history.system(`--log ${logPath}: writing failed, so the log stops here: ${explainError(error)}`, 'error');
		});
	} catch (error) {
		const code = errorCode(error);
		const why = code === 'EIO' || code === 'EINVAL' ? `it does not take writes, as a /proc or /sys file does not (${code})` : `cannot open it: ${explainError(error)}`;
		throw new StartError(`--log ${logPath}: ${why}`);
	}
}

export type Listening = {
	readonly port: number;
	readonly bind: string | undefined;
	/** The port asked for, when it was busy and another was taken. */
	readonly busyPort: number | undefined;
	/** The UDP receive buffer the kernel gave, when it is less than wanted. */
	readonly smallBuffer: number | undefined;
	readonly peer: Endpoint | undefined;
	readonly protocol: string;
	readonly discovery: boolean;
};

/** The first lines of the status buffer: where we listen, and where messages go. */
export function sayListening(history: ChatHistory, listening: Listening): void {
	const where = listening.bind === undefined ? 'all interfaces' : listening.bind;
	const busy = listening.busyPort === undefined ? '' : ` Port ${listening.busyPort} was busy, so a free one was taken.`;
	history.system(`Listening on UDP and TCP port ${listening.port} (${where}).${busy} /help lists commands; Ctrl+T switches protocol.`);
	if (listening.smallBuffer !== undefined) {
		history.system(`UDP receive buffer: ${Math.round(listening.smallBuffer / 1024)} KiB, not the 4 MiB asked for (the kernel's net.core.rmem_max); a long burst may lose datagrams.`);
	}

	const discovery = listening.discovery ? ' Peers on the LAN show up by themselves: /peers lists them, /query N picks one.' : '';
	history.system(listening.peer ? `Messages go to ${formatEndpoint(listening.peer)} over ${listening.protocol.toUpperCase()}.` : `No --peer given: replies go to whoever wrote last.${discovery}`);
}
