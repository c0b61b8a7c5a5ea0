import {vi} from 'vitest';
import {ChatService, type ChatServiceOptions} from '../../source/net/index.js';
import type {ChatLine, ChatSnapshot} from '../../source/domain/snapshot.js';

const running = new Set<ChatService>();

/** A service on 127.0.0.1 and a free port; closed by closeAll() in afterEach. */
export async function startService(overrides: Partial<ChatServiceOptions> = {}): Promise<ChatService> {
	const service = new ChatService({
		port: 0,
		portExplicit: true,
		peer: undefined,
		protocol: 'udp',
		nick: 'tester',
		bind: '127.0.0.1',
		stateDir: false,
		...overrides,
	});
	running.add(service);
	await service.start();
	return service;
}

export async function closeAll(): Promise<void> {
	await Promise.all([...running].map(async service => service.close()));
	running.clear();
}

export function port(service: ChatService): number {
	return service.getSnapshot().localPort;
}

export function received(snapshot: ChatSnapshot): Array<Extract<ChatLine, {kind: 'in'}>> {
	return snapshot.lines.filter((line): line is Extract<ChatLine, {kind: 'in'}> => line.kind === 'in');
}

/** Waits until the service's snapshot has a line matching the predicate, and returns it. */
export async function waitForLine(service: ChatService, predicate: (line: ChatLine) => boolean, timeout = 5000): Promise<ChatLine> {
	return vi.waitFor(
		() => {
			const line = service.getSnapshot().lines.find(candidate => predicate(candidate));
			if (line === undefined) {
				throw new Error(`no such line yet; have:\n${service.getSnapshot().lines.map(l => JSON.stringify(l)).join('\n')}`);
			}

			return line;
		},
		{timeout, interval: 10},
	);
}

export const isIn = (text: string) => (line: ChatLine) => line.kind === 'in' && line.text === text;
