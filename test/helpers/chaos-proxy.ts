/**
 * Fault-injection proxies for tests: a TCP proxy that slices, delays and resets connections, and a UDP proxy
 * that drops, reorders, duplicates and delays datagrams. Loopback only, real sockets.
 *
 * Every random choice comes from a mulberry32 PRNG seeded from `options.seed`, split into independent
 * streams (one per TCP connection and direction, one per UDP client and direction, numbered in the order
 * they appear), so a failing run can be replayed with the same seed.
 */
import {createSocket, type RemoteInfo, type Socket as UdpSocket} from 'node:dgram';
import {lookup} from 'node:dns/promises';
import {once} from 'node:events';
import {createConnection, createServer, isIP, type Socket} from 'node:net';
import {performance} from 'node:perf_hooks';

export type ChaosTarget = {
	readonly host: string;
	readonly port: number;
};

/** A float in [0, 1). */
export type Rng = () => number;

/** The mulberry32 PRNG: small, fast, and the same sequence for the same seed on every platform. */
export function mulberry32(seed: number): Rng {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d_2b_79_f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	};
}

/** An independent seed for one stream (e.g. connection 3, direction 1) derived from the proxy's seed. */
function deriveSeed(seed: number, ...parts: number[]): number {
	let hash = (seed ^ 0x9e_37_79_b9) >>> 0;
	for (const part of parts) {
		hash = Math.imul(hash ^ (part >>> 0), 0x85_eb_ca_6b) >>> 0;
		hash = (hash ^ (hash >>> 13)) >>> 0;
		hash = Math.imul(hash, 0xc2_b2_ae_35) >>> 0;
		hash = (hash ^ (hash >>> 16)) >>> 0;
	}

	return hash;
}

function checkRate(name: string, value: number | undefined): number {
	const rate = value ?? 0;
	if (!Number.isFinite(rate) || rate < 0 || rate > 1) {
		throw new RangeError(`${name} must be between 0 and 1, got ${String(value)}`);
	}

	return rate;
}

function checkNonNegative(name: string, value: number | undefined): number {
	const number = value ?? 0;
	if (!Number.isFinite(number) || number < 0) {
		throw new RangeError(`${name} must be a non-negative number, got ${String(value)}`);
	}

	return number;
}

// ---------------------------------------------------------------------------------------------------------
// TCP

export type TcpChaosOptions = {
	readonly target: ChaosTarget;
	readonly seed: number;
	/** Write data onward in pieces of at most this many bytes (1: byte by byte), one write per event-loop turn. */
	readonly sliceBytes?: number;
	/** Hold each piece for a random 0..maxDelayMs ms; order within a direction is kept. */
	readonly maxDelayMs?: number;
	/**
	 * Reset each connection after a random number of forwarded bytes in [minBytes, maxBytes], counted per
	 * connection over both directions: both sides are destroyed with an RST (ECONNRESET at the peers).
	 */
	readonly resetEvery?: {readonly minBytes: number; readonly maxBytes: number};
	/** Stop resetting after this many resets in total (default: no limit). */
	readonly maxResets?: number;
};

export type TcpChaosStats = {
	/** Connections accepted. */
	connections: number;
	/** Connections reset by `resetEvery` (not counting errors from the peers themselves). */
	resets: number;
	/** Bytes written onward, both directions, all connections. */
	bytesForwarded: number;
	/** For each reset, in order: how many bytes that connection had forwarded (both directions) when reset. */
	resetPoints: number[];
	/** How many times a source socket was paused because its destination could not keep up. */
	pauses: number;
};

export type TcpChaosProxy = {
	readonly port: number;
	readonly stats: TcpChaosStats;
	/** Destroys every socket and the server. */
	close(): Promise<void>;
};

type Piece = {data: Buffer; due: number};

type TcpLane = {
	readonly from: Socket;
	readonly to: Socket;
	readonly rng: Rng;
	pieces: Piece[];
	head: number;
	queuedBytes: number;
	lastDue: number;
	/** A write is in flight, or the next pump is scheduled. */
	busy: boolean;
	timer: NodeJS.Timeout | undefined;
	sourceEnded: boolean;
	endSent: boolean;
	pausedSource: boolean;
};

type TcpPair = {
	readonly client: Socket;
	readonly upstream: Socket;
	readonly lanes: TcpLane[];
	forwarded: number;
	resetAt: number | undefined;
	resetPending: boolean;
	dead: boolean;
};

/** Queued bytes per direction above which the source is paused. */
const laneHighWater = 64 * 1024;

/** Destroys the socket with an RST where the runtime can (Node >= 18.3), else a plain destroy. */
function resetSocket(socket: Socket): void {
	if (socket.destroyed) {
		return;
	}

	try {
		if (typeof socket.resetAndDestroy === 'function') {
			socket.resetAndDestroy();
		} else {
			socket.destroy();
		}
	} catch {
		socket.destroy();
	}
}

export async function startTcpChaosProxy(options: TcpChaosOptions): Promise<TcpChaosProxy> {
	const {target, seed} = options;
	const sliceBytes = options.sliceBytes;
	if (sliceBytes !== undefined && (!Number.isInteger(sliceBytes) || sliceBytes < 1)) {
		throw new RangeError(`sliceBytes must be a positive integer, got ${sliceBytes}`);
	}

	const maxDelayMs = checkNonNegative('maxDelayMs', options.maxDelayMs);
	const maxResets = options.maxResets ?? Number.POSITIVE_INFINITY;
	const resetEvery = options.resetEvery;
	if (resetEvery !== undefined) {
		checkNonNegative('resetEvery.minBytes', resetEvery.minBytes);
		checkNonNegative('resetEvery.maxBytes', resetEvery.maxBytes);
		if (resetEvery.maxBytes < resetEvery.minBytes) {
			throw new RangeError('resetEvery.maxBytes must not be below resetEvery.minBytes');
		}
	}

	const stats: TcpChaosStats = {connections: 0, resets: 0, bytesForwarded: 0, resetPoints: [], pauses: 0};
	const pairs = new Set<TcpPair>();
	let closed = false;

	function pauseSource(lane: TcpLane): void {
		if (!lane.pausedSource) {
			lane.pausedSource = true;
			stats.pauses++;
			lane.from.pause();
		}
	}

	function maybeResume(lane: TcpLane): void {
		if (lane.pausedSource && lane.queuedBytes < laneHighWater / 2 && !lane.to.writableNeedDrain) {
			lane.pausedSource = false;
			lane.from.resume();
		}
	}

	function teardown(pair: TcpPair, abrupt: boolean): void {
		if (pair.dead) {
			return;
		}

		pair.dead = true;
		for (const lane of pair.lanes) {
			clearTimeout(lane.timer);
			lane.timer = undefined;
			lane.pieces = [];
		}

		for (const socket of [pair.client, pair.upstream]) {
			if (abrupt) {
				resetSocket(socket);
			} else {
				socket.destroy();
			}
		}
	}

	function resetPair(pair: TcpPair): void {
		if (pair.dead) {
			return;
		}

		if (stats.resets >= maxResets) {
			// Another connection used up the last reset meanwhile: carry on unharmed.
			pair.resetAt = undefined;
			pair.resetPending = false;
			for (const lane of pair.lanes) {
				pump(pair, lane);
			}

			return;
		}

		stats.resets++;
		stats.resetPoints.push(pair.forwarded);
		teardown(pair, true);
	}

	function pump(pair: TcpPair, lane: TcpLane): void {
		if (pair.dead || lane.busy || lane.timer !== undefined) {
			return;
		}

		maybeResume(lane);
		const piece = lane.pieces[lane.head];
		if (piece === undefined) {
			lane.pieces = [];
			lane.head = 0;
			if (lane.sourceEnded && !lane.endSent) {
				lane.endSent = true;
				lane.to.end();
			}

			return;
		}

		const wait = piece.due - performance.now();
		if (wait > 0) {
			lane.timer = setTimeout(() => {
				lane.timer = undefined;
				pump(pair, lane);
			}, Math.ceil(wait));
			return;
		}

		let data = piece.data;
		let resetAfter = false;
		if (pair.resetAt !== undefined && stats.resets >= maxResets) {
			pair.resetAt = undefined;
		}

		if (pair.resetAt !== undefined) {
			const room = pair.resetAt - pair.forwarded;
			if (room <= 0) {
				if (!pair.resetPending) {
					resetPair(pair);
				}

				// Else the other direction wrote the last byte and resets once it has gone out.
				return;
			}

			if (room <= data.length) {
				resetAfter = true;
				pair.resetPending = true;
				if (room < data.length) {
					// Keep the rest queued, in case the reset is called off (maxResets reached meanwhile).
					data = piece.data.subarray(0, room);
					piece.data = piece.data.subarray(room);
				}
			}
		}

		if (data === piece.data) {
			lane.head++;
			if (lane.head > 1024 && lane.head * 2 > lane.pieces.length) {
				lane.pieces = lane.pieces.slice(lane.head);
				lane.head = 0;
			}
		}

		lane.queuedBytes -= data.length;
		pair.forwarded += data.length;
		stats.bytesForwarded += data.length;
		lane.busy = true;
		const ok = lane.to.write(data, error => {
			if (error || pair.dead) {
				// The socket's 'error' listener tears the pair down.
				return;
			}

			if (resetAfter) {
				lane.busy = false;
				resetPair(pair);
				return;
			}

			// One piece per event-loop turn, so a reader in this process sees the pieces separately.
			setImmediate(() => {
				lane.busy = false;
				pump(pair, lane);
			});
		});
		if (!ok) {
			pauseSource(lane);
		}
	}

	function makeLane(from: Socket, to: Socket, rng: Rng): TcpLane {
		return {
			from,
			to,
			rng,
			pieces: [],
			head: 0,
			queuedBytes: 0,
			lastDue: 0,
			busy: false,
			timer: undefined,
			sourceEnded: false,
			endSent: false,
			pausedSource: false,
		};
	}

	function wireLane(pair: TcpPair, lane: TcpLane): void {
		lane.from.on('data', (chunk: Buffer) => {
			if (pair.dead || chunk.length === 0) {
				return;
			}

			const step = sliceBytes ?? chunk.length;
			for (let offset = 0; offset < chunk.length; offset += step) {
				let due = 0;
				if (maxDelayMs > 0) {
					due = Math.max(performance.now() + (lane.rng() * maxDelayMs), lane.lastDue);
					lane.lastDue = due;
				}

				lane.pieces.push({data: chunk.subarray(offset, offset + step), due});
			}

			lane.queuedBytes += chunk.length;
			if (lane.queuedBytes >= laneHighWater) {
				pauseSource(lane);
			}

			pump(pair, lane);
		});
		lane.from.on('end', () => {
			lane.sourceEnded = true;
			pump(pair, lane);
		});
		lane.to.on('drain', () => {
			maybeResume(lane);
		});
	}

	const server = createServer({allowHalfOpen: true}, client => {
		if (closed) {
			client.destroy();
			return;
		}

		const index = stats.connections++;
		const upstream = createConnection({host: target.host, port: target.port, allowHalfOpen: true});
		client.setNoDelay(true);
		upstream.setNoDelay(true);
		const connectionRng = mulberry32(deriveSeed(seed, 1, index, 0));
		let resetAt: number | undefined;
		if (resetEvery !== undefined) {
			const span = Math.floor(resetEvery.maxBytes) - Math.ceil(resetEvery.minBytes) + 1;
			resetAt = Math.ceil(resetEvery.minBytes) + Math.floor(connectionRng() * span);
			if (stats.resets >= maxResets) {
				resetAt = undefined;
			}
		}

		const pair: TcpPair = {
			client,
			upstream,
			lanes: [],
			forwarded: 0,
			resetAt,
			resetPending: false,
			dead: false,
		};
		pair.lanes.push(
			makeLane(client, upstream, mulberry32(deriveSeed(seed, 1, index, 1))),
			makeLane(upstream, client, mulberry32(deriveSeed(seed, 1, index, 2))),
		);
		pairs.add(pair);
		for (const lane of pair.lanes) {
			wireLane(pair, lane);
		}

		let open = 2;
		for (const socket of [client, upstream]) {
			// ECONNRESET, EPIPE, ECONNREFUSED: never crash, pass the abrupt end on to the other side.
			socket.on('error', () => {
				teardown(pair, true);
			});
			socket.on('close', hadError => {
				if (hadError) {
					teardown(pair, true);
				}

				if (--open === 0) {
					pair.dead = true;
					pairs.delete(pair);
				}
			});
		}
	});
	server.on('error', () => {
		// Accept errors (EMFILE and the like) must not crash the test process.
	});
	server.listen({port: 0, host: '127.0.0.1'});
	await once(server, 'listening');
	const address = server.address();
	if (address === null || typeof address === 'string') {
		throw new Error('chaos proxy: no TCP port');
	}

	return {
		port: address.port,
		stats,
		async close() {
			closed = true;
			const done = new Promise<void>(resolve => {
				server.close(() => {
					resolve();
				});
			});
			for (const pair of pairs) {
				teardown(pair, false);
			}

			await done;
		},
	};
}

// ---------------------------------------------------------------------------------------------------------
// UDP

export type UdpChaosOptions = {
	readonly target: ChaosTarget;
	readonly seed: number;
	/** Probability (0..1) that a datagram is dropped, drawn independently per datagram and direction. */
	readonly dropRate?: number;
	/** Probability that a datagram is held back and sent after the next one in its direction (or after holdMs). */
	readonly reorderRate?: number;
	/** How long a held-back datagram waits for a successor before it is sent anyway (default 30 ms). */
	readonly holdMs?: number;
	/** Probability that a datagram is sent twice, back to back. */
	readonly duplicateRate?: number;
	/** Delay each datagram by a random 0..maxDelayMs ms; the delay alone never changes the order. */
	readonly maxDelayMs?: number;
};

export type UdpChaosStats = {
	/** Datagrams taken in, both directions. Once settled, received = forwarded + dropped. */
	received: number;
	/** Datagrams passed on, both directions, each counted once however often it was sent. */
	forwarded: number;
	dropped: number;
	/** Datagrams that went out after a later one (held back and overtaken). */
	reordered: number;
	/** Extra copies sent. */
	duplicated: number;
	/** Distinct client addresses seen (each has its own upstream socket). */
	clients: number;
};

export type UdpChaosProxy = {
	readonly port: number;
	readonly stats: UdpChaosStats;
	close(): Promise<void>;
};

type Datagram = {data: Buffer; reorder: boolean; duplicate: boolean; due: number};

type UdpLane = {
	readonly rng: Rng;
	readonly send: (data: Buffer) => void;
	queue: Datagram[];
	head: number;
	lastDue: number;
	timer: NodeJS.Timeout | undefined;
	held: Datagram | undefined;
	holdTimer: NodeJS.Timeout | undefined;
};

type UdpClient = {
	readonly upstream: UdpSocket;
	readonly up: UdpLane;
	readonly down: UdpLane;
};

export async function startUdpChaosProxy(options: UdpChaosOptions): Promise<UdpChaosProxy> {
	const {seed} = options;
	const dropRate = checkRate('dropRate', options.dropRate);
	const reorderRate = checkRate('reorderRate', options.reorderRate);
	const duplicateRate = checkRate('duplicateRate', options.duplicateRate);
	const maxDelayMs = checkNonNegative('maxDelayMs', options.maxDelayMs);
	const holdMs = checkNonNegative('holdMs', options.holdMs ?? 30);
	// Resolve once: dgram would look a name up per send, and lookups can finish out of order.
	const targetHost = isIP(options.target.host) === 0 ? (await lookup(options.target.host, {family: 4})).address : options.target.host;
	const targetPort = options.target.port;

	const stats: UdpChaosStats = {received: 0, forwarded: 0, dropped: 0, reordered: 0, duplicated: 0, clients: 0};
	const clients = new Map<string, UdpClient>();
	let closed = false;

	function emit(lane: UdpLane, item: Datagram): void {
		lane.send(item.data);
		stats.forwarded++;
		if (item.duplicate) {
			lane.send(item.data);
			stats.duplicated++;
		}
	}

	function release(lane: UdpLane, item: Datagram): void {
		const held = lane.held;
		if (held !== undefined) {
			lane.held = undefined;
			clearTimeout(lane.holdTimer);
			lane.holdTimer = undefined;
			emit(lane, item);
			emit(lane, held);
			stats.reordered++;
			return;
		}

		if (item.reorder) {
			lane.held = item;
			lane.holdTimer = setTimeout(() => {
				lane.holdTimer = undefined;
				lane.held = undefined;
				if (!closed) {
					emit(lane, item);
				}
			}, holdMs);
			return;
		}

		emit(lane, item);
	}

	function pumpLane(lane: UdpLane): void {
		if (lane.timer !== undefined || closed) {
			return;
		}

		for (;;) {
			const item = lane.queue[lane.head];
			if (item === undefined) {
				lane.queue = [];
				lane.head = 0;
				return;
			}

			const wait = item.due - performance.now();
			if (wait > 0) {
				lane.timer = setTimeout(() => {
					lane.timer = undefined;
					pumpLane(lane);
				}, Math.ceil(wait));
				return;
			}

			lane.head++;
			release(lane, item);
		}
	}

	function take(lane: UdpLane, data: Buffer): void {
		if (closed) {
			return;
		}

		stats.received++;
		// Always four draws per datagram, so each choice depends only on the datagram's index in its direction.
		const drop = lane.rng();
		const reorder = lane.rng();
		const duplicate = lane.rng();
		const delay = lane.rng();
		if (drop < dropRate) {
			stats.dropped++;
			return;
		}

		const item: Datagram = {data, reorder: reorder < reorderRate, duplicate: duplicate < duplicateRate, due: 0};
		if (maxDelayMs > 0) {
			item.due = Math.max(performance.now() + (delay * maxDelayMs), lane.lastDue);
			lane.lastDue = item.due;
			lane.queue.push(item);
			pumpLane(lane);
		} else {
			release(lane, item);
		}
	}

	function makeLane(rng: Rng, send: (data: Buffer) => void): UdpLane {
		return {rng, send, queue: [], head: 0, lastDue: 0, timer: undefined, held: undefined, holdTimer: undefined};
	}

	function sendOn(socket: UdpSocket, data: Buffer, port: number, host: string): void {
		if (closed) {
			return;
		}

		try {
			socket.send(data, port, host, () => {
				// Send errors (ENOBUFS, a closed socket) lose the datagram, as a network would.
			});
		} catch {
			// The socket was closed under us.
		}
	}

	const front = createSocket('udp4');
	front.on('error', () => {
		// Stray ICMP errors must not crash the test process.
	});
	front.on('message', (data: Buffer, rinfo: RemoteInfo) => {
		if (closed) {
			return;
		}

		const key = `${rinfo.address}:${rinfo.port}`;
		let client = clients.get(key);
		if (client === undefined) {
			const index = stats.clients++;
			const upstream = createSocket('udp4');
			upstream.on('error', () => {
				// As above.
			});
			upstream.bind(0, '127.0.0.1');
			client = {
				upstream,
				up: makeLane(mulberry32(deriveSeed(seed, 2, index, 1)), payload => {
					sendOn(upstream, payload, targetPort, targetHost);
				}),
				down: makeLane(mulberry32(deriveSeed(seed, 2, index, 2)), payload => {
					sendOn(front, payload, rinfo.port, rinfo.address);
				}),
			};
			const {down} = client;
			upstream.on('message', (reply: Buffer) => {
				take(down, reply);
			});
			clients.set(key, client);
		}

		take(client.up, data);
	});
	front.bind(0, '127.0.0.1');
	await once(front, 'listening');
	const {port} = front.address();

	return {
		port,
		stats,
		async close() {
			if (closed) {
				return;
			}

			closed = true;
			const sockets = [front];
			for (const client of clients.values()) {
				for (const lane of [client.up, client.down]) {
					clearTimeout(lane.timer);
					clearTimeout(lane.holdTimer);
					lane.queue = [];
					lane.held = undefined;
				}

				sockets.push(client.upstream);
			}

			await Promise.all(sockets.map(async socket => new Promise<void>(resolve => {
				try {
					socket.close(() => {
						resolve();
					});
				} catch {
					resolve();
				}
			})));
		},
	};
}
