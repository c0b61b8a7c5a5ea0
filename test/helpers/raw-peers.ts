import {createSocket} from 'node:dgram';
import {once} from 'node:events';
import {createConnection, createServer, type Server, type Socket} from 'node:net';
import {vi} from 'vitest';

// Plain peers for the service tests: raw node:dgram and node:net sockets on 127.0.0.1 standing in for
// netcat and the tutorial's scripts. They record every byte they get; closeRawPeers() in afterEach.

const cleanups: Array<() => void> = [];

export function closeRawPeers(): void {
	for (const cleanup of cleanups.splice(0)) {
		try {
			cleanup();
		} catch {}
	}
}

/** A greeting line as the service writes it: "*** NICK is here via tui-netchat (tnc/1 port N)". */
export const greetingLine = /^\*\*\* \S+ is here via tui-netchat \(tnc\/\d+ port \d+\)$/;

export type RawUdp = {
	readonly port: number;
	/** Every datagram received, in order. */
	readonly datagrams: Buffer[];
	/** The datagrams as UTF-8 text, with their trailing newline. */
	texts(): string[];
	send(data: string | Uint8Array, port: number): Promise<void>;
};

export async function rawUdp(): Promise<RawUdp> {
	const socket = createSocket('udp4');
	cleanups.push(() => socket.close());
	const datagrams: Buffer[] = [];
	socket.on('message', data => datagrams.push(data));
	socket.bind(0, '127.0.0.1');
	await once(socket, 'listening');
	return {
		port: socket.address().port,
		datagrams,
		texts: () => datagrams.map(data => data.toString('utf8')),
		async send(data, port) {
			await new Promise<void>((resolve, reject) => {
				socket.send(data, port, '127.0.0.1', error => {
					if (error) {
						reject(error);
					} else {
						resolve();
					}
				});
			});
		},
	};
}

export type RawTcp = {
	readonly socket: Socket;
	/** Every byte received, in order. */
	bytes(): Buffer;
	/** The complete lines received so far, decoded as UTF-8, without their newline. */
	lines(): string[];
};

function record(socket: Socket): RawTcp {
	const chunks: Buffer[] = [];
	socket.on('data', chunk => chunks.push(chunk));
	socket.on('error', () => undefined);
	return {
		socket,
		bytes: () => Buffer.concat(chunks),
		lines() {
			const text = Buffer.concat(chunks).toString('utf8');
			return text.split('\n').slice(0, -1);
		},
	};
}

/** A client connected to the service, like `nc 127.0.0.1 PORT`. */
export async function rawTcpClient(port: number): Promise<RawTcp> {
	const socket = createConnection(port, '127.0.0.1');
	cleanups.push(() => socket.destroy());
	const client = record(socket);
	await once(socket, 'connect');
	return client;
}

export type RawTcpServer = {
	readonly port: number;
	readonly server: Server;
	/** Connections accepted so far, in order. */
	readonly accepted: RawTcp[];
};

/** A listening server, like `nc -l PORT`. */
export async function rawTcpServer(): Promise<RawTcpServer> {
	const accepted: RawTcp[] = [];
	const server = createServer(socket => {
		cleanups.push(() => socket.destroy());
		accepted.push(record(socket));
	});
	cleanups.push(() => server.close());
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	return {port: (server.address() as {port: number}).port, server, accepted};
}

/** A port on 127.0.0.1 with nothing listening on it (TCP) right now. */
export async function closedTcpPort(): Promise<number> {
	const server = createServer();
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	const {port} = server.address() as {port: number};
	server.close();
	await once(server, 'close');
	return port;
}

/** Retries until the assertion passes (5 s at most); never a fixed sleep. */
export async function eventually<T>(assertion: () => T, timeout = 5000): Promise<T> {
	return vi.waitFor(assertion, {timeout, interval: 10});
}
