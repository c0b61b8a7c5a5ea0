import {createSocket, type RemoteInfo, type Socket} from 'node:dgram';

export type Family = 4 | 6;

export type SocketEvents = {
	readonly message: (data: Buffer, remote: RemoteInfo, family: Family) => void;
	/** A socket failed (binding: the port held, no IPv6) and is left out; or a send failed. Never thrown. */
	readonly failed: (what: {readonly family: Family; readonly role: 'listener' | 'sender'; readonly code: string; readonly to?: string}) => void;
};

const ipv6AllNodes = 'ff02::1';

function codeOf(error: unknown): string {
	return (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
}

/**
 * Discovery's sockets: per family a listener on the discovery port (reuseAddr, so several instances on one
 * host all hear broadcasts) and a sender on a port of its own, which answers come back to.
 */
export class DiscoverySockets {
	private readonly listeners = {4: createSocket({type: 'udp4', reuseAddr: true}), 6: createSocket({type: 'udp6', reuseAddr: true, ipv6Only: true})};
	private readonly senders = {4: createSocket({type: 'udp4'}), 6: createSocket({type: 'udp6', ipv6Only: true})};
	private readonly up = new Set<Socket>();
	private readonly joined = new Set<string>();
	private readonly binding = new Set<() => void>();

	constructor(private readonly port: number, private readonly events: SocketEvents) {
		for (const family of [4, 6] as const) {
			for (const [socket, role] of [[this.listeners[family], 'listener'], [this.senders[family], 'sender']] as const) {
				socket.on('message', (data, remote) => {
					events.message(data, remote, family);
				});
				socket.on('error', error => {
					events.failed({family, role, code: codeOf(error)});
				});
			}
		}
	}

	/** Binds all four; one that fails is left out (and reported), the others work. */
	async open(): Promise<void> {
		await Promise.all([this.bind(this.listeners[4], this.port, '0.0.0.0'), this.bind(this.senders[4], 0, '0.0.0.0'), this.bind(this.listeners[6], this.port, '::'), this.bind(this.senders[6], 0, '::')]);
		if (this.up.has(this.senders[4])) {
			this.senders[4].setBroadcast(true);
		}
	}

	/** Resolves when sent or failed (reported), never rejects. */
	async send(family: Family, data: Buffer, port: number, address: string): Promise<void> {
		const socket = this.senders[family];
		if (!this.up.has(socket)) {
			return;
		}

		await new Promise<void>(resolve => {
			const failed = (error: unknown): void => {
				this.events.failed({family, role: 'sender', code: codeOf(error), to: address});
				resolve();
			};

			try {
				socket.send(data, port, address, error => (error ? failed(error) : resolve()));
			} catch (error) {
				failed(error);
			}
		});
	}

	/** To ff02::1 on that interface: a scope of '%name' makes the kernel send it out there. */
	async multicast(data: Buffer, interfaceName: string): Promise<void> {
		this.join(interfaceName);
		await this.send(6, data, this.port, `${ipv6AllNodes}%${interfaceName}`);
	}

	/** Listeners at once; senders once `after` (the goodbye) is out. */
	close(after: Promise<void>): void {
		for (const done of [...this.binding]) {
			done();
		}

		const shut = (socket: Socket): void => {
			try {
				socket.close();
			} catch {
				// Closed already.
			}
		};

		shut(this.listeners[4]);
		shut(this.listeners[6]);
		void after.then(() => {
			shut(this.senders[4]);
			shut(this.senders[6]);
		});
	}

	private async bind(socket: Socket, port: number, address: string): Promise<void> {
		await new Promise<void>(resolve => {
			// Closed while binding: Node then calls neither the callback nor 'error'.
			const done = (): void => {
				this.binding.delete(done);
				socket.off('error', done);
				resolve();
			};

			this.binding.add(done);
			socket.once('error', done);
			socket.bind({port, address}, () => {
				this.up.add(socket);
				done();
			});
		});
	}

	/** The kernel delivers ff02::1 to the socket anyway (IPV6_MULTICAST_ALL); joining says which links we mean. */
	private join(name: string): void {
		const listener = this.listeners[6];
		if (this.joined.has(name) || !this.up.has(listener)) {
			return;
		}

		this.joined.add(name);
		try {
			listener.addMembership(ipv6AllNodes, `::%${name}`);
		} catch {
			// Joined already, or the interface went.
		}
	}
}
