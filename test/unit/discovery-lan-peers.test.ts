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

	it('keeps a peer heard over IPv4 and IPv6 at its IPv4 address, and notes the IPv6 one', () => {
		const peers = new LanPeers();
		const v6 = {host: 'fe80::2%eth0', localAddress: 'fe80::1', linkLocal: 'fe80::2%eth0'};
		expect(peers.heard(peer('a', {lastSeen: 0}))).toBe(true);
		expect(peers.heard(peer('a', {...v6, lastSeen: 10}))).toBe(false);
		expect(peers.list()[0]).toMatchObject({host: '10.77.0.2', localAddress: '10.77.0.1', linkLocal: 'fe80::2%eth0', lastSeen: 10});
	});

	it('moves a peer first heard over IPv6 to IPv4 for good', () => {
		const peers = new LanPeers();
		peers.heard(peer('a', {host: 'fe80::2%eth0', interfaceName: 'eth0', localAddress: 'fe80::1', linkLocal: 'fe80::2%eth0'}));
		peers.heard(peer('a', {lastSeen: 1}));
		peers.heard(peer('a', {host: 'fe80::2%eth0', localAddress: 'fe80::1', lastSeen: 2}));
		expect(peers.list()[0]).toMatchObject({host: '10.77.0.2', localAddress: '10.77.0.1', linkLocal: 'fe80::2%eth0'});
	});

	it('does not flap between two IPv4 addresses of one peer, but follows it when the first falls silent', () => {
		const peers = new LanPeers();
		peers.heard(peer('a', {host: '10.77.1.2', interfaceName: 'eth0', lastSeen: 0}));
		peers.heard(peer('a', {host: '10.77.2.2', interfaceName: 'eth1', lastSeen: 100}));
		peers.heard(peer('a', {host: '10.77.1.2', interfaceName: 'eth0', lastSeen: 30_000}));
		peers.heard(peer('a', {host: '10.77.2.2', interfaceName: 'eth1', lastSeen: 30_100}));
		expect(peers.list()[0]).toMatchObject({host: '10.77.1.2', interfaceName: 'eth0'});
		peers.heard(peer('a', {host: '10.77.2.2', interfaceName: 'eth1', lastSeen: 80_000}));
		expect(peers.list()[0]).toMatchObject({host: '10.77.2.2', interfaceName: 'eth1'});
	});
});
