import {errorCode, explainError} from './errors.js';
import type {TcpTransport} from './tcp-transport.js';
import type {UdpTransport} from './udp-transport.js';

/** A start-up failure worth one line and a non-zero exit, like a busy --port. */
export class StartError extends Error {
	override name = 'StartError';
}

export type PortRequest = {
	readonly port: number;
	/** The user chose the port: then a busy port is an error rather than a reason to pick another. */
	readonly portExplicit: boolean;
	readonly bind: string | undefined;
};

export type BoundPort = {
	readonly port: number;
	/** The port asked for, when it was busy and a free one was taken instead. */
	readonly busyPort: number | undefined;
};

const autoPortAttempts = 20;

async function bindBoth(tcp: TcpTransport, udp: UdpTransport, port: number, bind: string | undefined): Promise<number> {
	const tcpPort = await tcp.listen(port, bind);
	try {
		await udp.bind(tcpPort, bind);
	} catch (error) {
		tcp.unlisten();
		throw error;
	}

	return tcpPort;
}

function startMessage(error: unknown, port: number, bind: string | undefined): string {
	switch (errorCode(error)) {
		case 'EADDRINUSE': {
			return `--port ${port}: the port is already in use (UDP or TCP); choose another, or leave --port out to take a free one`;
		}

		case 'EACCES': {
			return `--port ${port}: permission denied; ports below 1024 need privileges, use a higher one`;
		}

		case 'EADDRNOTAVAIL': {
			return `--bind ${bind ?? ''}: that address does not belong to this machine`;
		}

		default: {
			return `cannot listen on port ${port}: ${explainError(error)}`;
		}
	}
}

/**
 * UDP and TCP on one port number, as the tutorial's programs expect. A busy port the user did not ask
 * for gives way to a free one (a second instance on the same machine); anything else is a StartError.
 */
export async function bindPort(tcp: TcpTransport, udp: UdpTransport, {port, portExplicit, bind}: PortRequest): Promise<BoundPort> {
	try {
		return {port: await bindBoth(tcp, udp, port, bind), busyPort: undefined};
	} catch (error) {
		if (errorCode(error) !== 'EADDRINUSE' || portExplicit) {
			throw new StartError(startMessage(error, port, bind));
		}
	}

	let lastError: unknown;
	for (let attempt = 0; attempt < autoPortAttempts; attempt++) {
		try {
			// eslint-disable-next-line no-await-in-loop
			return {port: await bindBoth(tcp, udp, 0, bind), busyPort: port};
		} catch (error) {
			lastError = error;
		}
	}

	throw new StartError(startMessage(lastError, 0, bind));
}
