import {createSocket, type Socket as UdpSocket} from 'node:dgram';
import {once} from 'node:events';
import {readFileSync} from 'node:fs';
import {createServer, type Server} from 'node:net';

/** A TCP server and a UDP socket on one port, as tui-netchat takes them. */
export type PortHold = {
	readonly port: number;
	readonly release: () => Promise<void>;
};

async function listenTcp(port: number, host?: string): Promise<Server> {
	const server = createServer(socket => socket.destroy());
	server.listen({port, host, exclusive: true});
	try {
		await once(server, 'listening');
	} catch (error) {
		server.close();
		throw error;
	}

	return server;
}

async function bindUdp(port: number, host: string): Promise<UdpSocket> {
	const socket = createSocket('udp4');
	socket.bind(port, host);
	try {
		await once(socket, 'listening');
	} catch (error) {
		socket.close();
		throw error;
	}

	return socket;
}

async function closeAll(server: Server | undefined, socket: UdpSocket | undefined): Promise<void> {
	await Promise.all([
		server ? new Promise<void>(resolve => server.close(() => resolve())) : undefined,
		socket ? new Promise<void>(resolve => socket.close(() => resolve())) : undefined,
	]);
}

/**
 * Holds a port as the program would take it: TCP on every interface and UDP on 0.0.0.0. Port 0 asks the
 * system for a free number; a number already taken (TCP or UDP) rejects.
 */
export async function holdPort(port = 0): Promise<PortHold> {
	const server = await listenTcp(port);
	const address = server.address();
	const number = typeof address === 'object' && address !== null ? address.port : port;
	let socket: UdpSocket;
	try {
		socket = await bindUdp(number, '0.0.0.0');
	} catch (error) {
		await closeAll(server, undefined);
		throw error;
	}

	return {port: number, release: async () => closeAll(server, socket)};
}

/** Holds only TCP on `host`:`port`; rejects (EADDRINUSE) when anyone else has it. */
export async function holdTcp(port: number, host: string): Promise<() => Promise<void>> {
	const server = await listenTcp(port, host);
	return async () => closeAll(server, undefined);
}

/** Holds only UDP on `host`:`port`; rejects (EADDRINUSE) when anyone else has it. */
export async function holdUdp(port: number, host: string): Promise<() => Promise<void>> {
	const socket = await bindUdp(port, host);
	return async () => closeAll(undefined, socket);
}

/**
 * `count` distinct ports that are free for both TCP and UDP right now. They are all held until the last
 * is found, so two calls in a row cannot hand out the same number.
 */
export async function freePorts(count: number): Promise<number[]> {
	const holds: PortHold[] = [];
	try {
		for (let attempt = 0; holds.length < count; attempt++) {
			if (attempt > count * 20) {
				throw new Error(`could not find ${count} free TCP+UDP ports`);
			}

			try {
				holds.push(await holdPort(0));
			} catch {
				// The UDP half of that number was taken: ask again.
			}
		}

		return holds.map(hold => hold.port);
	} finally {
		await Promise.all(holds.map(async hold => hold.release()));
	}
}

export async function freePort(): Promise<number> {
	const [port] = await freePorts(1);
	if (port === undefined) {
		throw new Error('no free port');
	}

	return port;
}

/** True when this process could take the port for both TCP and UDP, as the program would. */
export async function canBind(port: number): Promise<boolean> {
	try {
		const hold = await holdPort(port);
		await hold.release();
		return true;
	} catch {
		return false;
	}
}

/**
 * True when some process listens on 127.0.0.1 or all interfaces at `port` (TCP in LISTEN state, or a bound
 * UDP socket). Reads /proc/net so it never connects: `nc -l` accepts only one connection.
 */
export function isListening(port: number, protocol: 'tcp' | 'udp'): boolean {
	const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
	for (const file of [`/proc/net/${protocol}`, `/proc/net/${protocol}6`]) {
		let table: string;
		try {
			table = readFileSync(file, 'utf8');
		} catch {
			continue;
		}

		for (const row of table.split('\n').slice(1)) {
			const fields = row.trim().split(/\s+/);
			const local = fields[1];
			const state = fields[3];
			if (local?.endsWith(`:${hexPort}`) && (protocol === 'udp' || state === '0A')) {
				return true;
			}
		}
	}

	return false;
}
