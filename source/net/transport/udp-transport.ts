import {createSocket, type RemoteInfo, type Socket} from 'node:dgram';
import {EventEmitter, once} from 'node:events';
import {isIP} from 'node:net';
import {inspectHook} from '../inspect/hook.js';
import {endpointLabel} from './address.js';
import {errorCode, saidError} from './errors.js';

export type UdpTransportEvents = {
	message: [data: Buffer, remote: RemoteInfo];
	/** An ICMP port unreachable came back for a datagram we sent there (ECONNREFUSED). */
	refused: [address: string, port: number];
	error: [error: Error];
};

type Family = 4 | 6;

type Bound = {readonly socket: Socket; readonly address: string};

/** Connected sender sockets kept at once; the least recently used is closed first. */
const maxSenders = 32;
/** Asked of the kernel so a burst outlasts a slow frame; Linux caps it at net.core.rmem_max. */
export const wantedReceiveBuffer = 4 * 1024 * 1024;

const localLabels = new WeakMap<Socket, string>();

/** "127.0.0.1:7852" for the packet inspector: read once a socket (a connected one knows its own address). */
function localLabel(socket: Socket): string {
	let label = localLabels.get(socket);
	if (label === undefined) {
		try {
			const {address, port} = socket.address();
			label = endpointLabel(address, port);
		} catch {
			label = '?';
		}

		localLabels.set(socket, label);
	}

	return label;
}

/** With the inspector open, a datagram shows once the kernel took it; one refused shows as an error. */
async function sendTapped(socket: Socket, payload: Uint8Array, address: string, port: number, connected: boolean): Promise<void> {
	const sent = connected ? sendOn(socket, payload) : sendOn(socket, payload, port, address);
	const tap = inspectHook.tap;
	if (tap === undefined) {
		return sent;
	}

	try {
		await sent;
		tap.data('udp', 'out', localLabel(socket), endpointLabel(address, port), payload);
	} catch (error) {
		tap.event('udp', 'out', localLabel(socket), endpointLabel(address, port), 'error', errorCode(error));
		throw error;
	}
}

function growReceiveBuffer(socket: Socket): void {
	try {
		socket.setRecvBufferSize(wantedReceiveBuffer);
	} catch {}
}

async function bindSocket(family: Family, port: number, address: string, reuseAddr: boolean): Promise<Socket> {
	const socket = createSocket({type: family === 6 ? 'udp6' : 'udp4', ipv6Only: family === 6, reuseAddr});
	socket.bind(port, address);
	try {
		// once() rejects if 'error' comes first, as EADDRINUSE does.
		await once(socket, 'listening');
	} catch (error) {
		socket.close();
		throw error;
	}

	return socket;
}

async function sendOn(socket: Socket, payload: Uint8Array, port?: number, address?: string): Promise<void> {
	await new Promise<void>((resolve, reject) => {
		const done = (error: Error | null) => {
			if (error) {
				reject(error);
			} else {
				resolve();
			}
		};

		if (port === undefined) {
			socket.send(payload, done);
		} else {
			socket.send(payload, port, address, done);
		}
	});
}

/** No socket of the peer's family: with --bind, say that it is the reason and what to do. */
function noFamily(family: Family, bound: string | undefined, address: string): Error {
	const [wanted, other] = family === 6 ? ['IPv6', 'IPv4'] : ['IPv4', 'IPv6'];
	if (bound !== undefined && bound !== '0.0.0.0' && bound !== '::') {
		return saidError(`cannot reach it from --bind ${bound} (an ${other} address): bind an ${wanted} address or leave --bind out`, 'EAFNOSUPPORT');
	}

	return Object.assign(new Error(`no ${wanted} UDP socket to send to ${address}`), {code: 'EAFNOSUPPORT'});
}

/**
 * node:dgram on one port: an IPv4 socket and, when the machine has IPv6, an IPv6-only one beside it, so a
 * peer of either family can write to us. Datagrams go out through a socket connect()ed to the peer and
 * bound to the same port (SO_REUSEADDR): the peer still sees our port, and the kernel can tell us when
 * nothing listens there, which an unconnected socket never hears. Errors are events, never throws.
 */
export class UdpTransport extends EventEmitter<UdpTransportEvents> {
	private readonly bound = new Map<Family, Bound>();
	private readonly senders = new Map<string, Promise<Socket | undefined>>();
	/** Settles once the IPv6 socket is bound, or has failed to bind. */
	ipv6Ready: Promise<void> = Promise.resolve();
	private closed = false;

	/** The receive buffer the kernel granted (Linux reports twice what it books for the data). */
	get receiveBuffer(): number | undefined {
		for (const {socket} of this.bound.values()) {
			try {
				return socket.getRecvBufferSize();
			} catch {
				return undefined;
			}
		}

		return undefined;
	}

	get port(): number | undefined {
		for (const {socket} of this.bound.values()) {
			return socket.address().port;
		}

		return undefined;
	}

	/** A socket of that family is bound (for IPv6 without --bind, once it is). */
	hasFamily(family: Family): boolean {
		return this.bound.has(family);
	}

	/** Binds the port; rejects (and holds no socket) if the main family cannot bind. */
	async bind(port: number, address?: string): Promise<void> {
		const family: Family = address === undefined ? 4 : isIP(address) === 6 ? 6 : 4;
		await this.bindFamily(family, port, address ?? '0.0.0.0');
		if (address === undefined) {
			// IPv6 is a bonus: a machine without it still chats over IPv4. Not awaited: parsing "::" costs a
			// few ms (Node compiles its IPv6 pattern), better spent after the first frame.
			this.ipv6Ready = this.bindFamily(6, port, '::').catch(() => undefined);
		}
	}

	async send(payload: Uint8Array, address: string, port: number): Promise<void> {
		const family: Family = isIP(address) === 6 ? 6 : 4;
		if (family === 6) {
			await this.ipv6Ready;
		}

		const main = this.bound.get(family);
		if (main === undefined) {
			throw noFamily(family, this.bound.get(family === 6 ? 4 : 6)?.address, address);
		}

		const sender = await this.sender(family, main, address, port);
		if (sender === undefined) {
			await sendTapped(main.socket, payload, address, port, false);
			return;
		}

		try {
			await sendTapped(sender, payload, address, port, true);
		} catch (error) {
			if ((error as {code?: string}).code !== 'ECONNREFUSED') {
				throw error;
			}

			// The kernel reports an earlier datagram's ICMP port unreachable on this send, which it then
			// skipped: say so, and send this one again.
			this.emit('refused', address, port);
			await sendTapped(sender, payload, address, port, true);
		}
	}

	close(): void {
		if (this.closed) {
			return;
		}

		this.closed = true;
		for (const pending of this.senders.values()) {
			void pending.then(socket => {
				try {
					socket?.close();
				} catch {}
			});
		}

		for (const {socket} of this.bound.values()) {
			try {
				socket.close();
			} catch {}
		}

		this.senders.clear();
		this.bound.clear();
	}

	private async bindFamily(family: Family, port: number, address: string): Promise<void> {
		// Refuse a port someone else holds, even one of those who also set SO_REUSEADDR.
		const probe = await bindSocket(family, port, address, false);
		const chosen = probe.address().port;
		probe.close();
		const socket = await bindSocket(family, chosen, address, true);
		if (this.closed) {
			socket.close();
			return;
		}

		growReceiveBuffer(socket);
		this.listen(socket);
		this.bound.set(family, {socket, address});
	}

	private listen(socket: Socket): void {
		this.relayMessages(socket);
		socket.on('error', error => this.emit('error', error));
	}

	/** Emits the socket's datagrams, shown to the packet inspector on the way while it is open. */
	private relayMessages(socket: Socket): void {
		socket.on('message', (data, remote) => {
			inspectHook.tap?.data('udp', 'in', localLabel(socket), endpointLabel(remote.address, remote.port), data);
			this.emit('message', data, remote);
		});
	}

	/** A socket connected to the peer, or undefined when one cannot be had (then the main socket sends). */
	private async sender(family: Family, main: Bound, address: string, port: number): Promise<Socket | undefined> {
		const key = `${address}|${port}`;
		const existing = this.senders.get(key);
		if (existing) {
			this.senders.delete(key);
			this.senders.set(key, existing);
			return existing;
		}

		const created = (async () => {
			try {
				const socket = await bindSocket(family, main.socket.address().port, main.address, true);
				growReceiveBuffer(socket);
				socket.connect(port, address);
				await once(socket, 'connect');
				this.relayMessages(socket);
				socket.on('error', error => {
					if ((error as {code?: string}).code === 'ECONNREFUSED') {
						this.emit('refused', address, port);
					} else {
						this.emit('error', error);
					}
				});
				if (this.closed) {
					socket.close();
					return undefined;
				}

				return socket;
			} catch {
				return undefined;
			}
		})();
		this.senders.set(key, created);
		if (this.senders.size > maxSenders) {
			const [oldestKey, oldest] = this.senders.entries().next().value ?? [];
			if (oldestKey !== undefined) {
				this.senders.delete(oldestKey);
				void oldest?.then(socket => socket?.close());
			}
		}

		return created;
	}
}
