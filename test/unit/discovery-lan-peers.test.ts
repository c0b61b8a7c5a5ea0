import {describe, expect, it} from 'vitest';
import {LanPeers, type LanPeer} from '../../source/net/discovery/lan-peers.js';

function peer(id: string, overrides: Partial<LanPeer> = {}): LanPeer {
	return {id, nick: `n${id}`, host: '10.77.0.2', port: 7852, interfaceName: 'eth0', localAddress: '10.77.0.1', intervalS: 30, lastSeen: 0, ...overrides};
}

describe('LanPeers', () => {
	it('says a peer is new once, and keeps what it last announced', () => {
		const peers = new LanPeers();
		expect(peers.heard(peer('a'))).toBe(true);
		expect(peers.heard(peer('a', {nick: 'alice', lastSeen: 5}))).toBe(false);
		expect(peers.list()).toEqual([peer('a', {nick: 'alice', lastSeen: 5})]);
	});

	it('ages out a peer silent for three of its intervals, and not before', () => {
		const peers = new LanPeers();
		peers.heard(peer('a', {intervalS: 10, lastSeen: 0}));
		peers.heard(peer('b', {intervalS: 30, lastSeen: 0}));
		expect(peers.expire(30_000)).toEqual([]);
		expect(peers.expire(30_001).map(gone => gone.id)).toEqual(['a']);
		expect(peers.list().map(kept => kept.id)).toEqual(['b']);
	});

	it('forgets a peer that said goodbye', () => {
		const peers = new LanPeers();
		peers.heard(peer('a'));
		expect(peers.left('a')?.id).toBe('a');
		expect(peers.size).toBe(0);
	});

	it('remembers at most 256 peers, dropping the one heard longest ago', () => {
		const peers = new LanPeers();
		for (let index = 0; index < 300; index++) {
			peers.heard(peer(String(index)));
		}

		expect(peers.size).toBe(256);
		expect(peers.list().some(kept => kept.id === '0')).toBe(false);
		expect(peers.list().some(kept => kept.id === '299')).toBe(true);
	});
});
