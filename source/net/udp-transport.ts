import {createSocket, type RemoteInfo, type Socket} from 'node:dgram';
import {EventEmitter, once} from 'node:events';
import {isIP} from 'node:net';

export type UdpTransportEvents = {
	message: [data: Buffer, remote: RemoteInfo];
	error: [error: Error];
};

/**
 * node:dgram on one port: an IPv4 socket and, when the machine has IPv6, an IPv6-only one beside it,
 * so a peer of either family can write to us. Errors are events, never throws.
 */
export class UdpTransport extends EventEmitter<UdpTransportEvents> {
	private readonly sockets = new Map<4 | 6, Socket>();
	private closed = false;

	get port(): number | undefined {
		for (const socket of this.sockets.values()) {
			return socket.address().port;
		}

		return undefined;
	}

	/** Binds the port; rejects (and holds no socket) if the main family cannot bind. */
	async bind(port: number, address?: string): Promise<void> {
		const family = address === undefined ? 4 : isIP(address) === 6 ? 6 : 4;
		await this.bindFamily(family, port, address ?? '0.0.0.0');
		if (address === undefined) {
			// IPv6 is a bonus: a machine without it still chats over IPv4.
			await this.bindFamily(6, port, '::').catch(() => undefined);
		}
	}

	async send(payload: Uint8Array, address: string, port: number): Promise<void> {
		const socket = this.sockets.get(isIP(address) === 6 ? 6 : 4);
		if (socket === undefined) {
			throw Object.assign(new Error(`no ${isIP(address) === 6 ? 'IPv6' : 'IPv4'} UDP socket to send to ${address}`), {
				code: 'EAFNOSUPPORT',
			});
		}

		await new Promise<void>((resolve, reject) => {
			socket.send(payload, port, address, error => {
				if (error) {
					reject(error);
				} else {
					resolve();
				}
			});
		});
	}

	close(): void {
		if (this.closed) {
			return;
		}

		this.closed = true;
		for (const socket of this.sockets.values()) {
			try {
				socket.close();
			} catch {}
		}

		this.sockets.clear();
	}

	private async bindFamily(family: 4 | 6, port: number, address: string): Promise<void> {
		const socket = createSocket({type: family === 6 ? 'udp6' : 'udp4', ipv6Only: family === 6});
		socket.bind(port, address);
		try {
			// once() rejects if 'error' comes first, as EADDRINUSE does.
			await once(socket, 'listening');
		} catch (error) {
			socket.close();
			throw error;
		}

		socket.on('error', error => this.emit('error', error));
		socket.on('message', (data, remote) => this.emit('message', data, remote));
		this.sockets.set(family, socket);
	}
}
