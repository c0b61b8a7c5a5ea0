import {describe, expect, it} from 'vitest';
import {AnswerLimit, answerablePort} from '../../source/net/discovery/answer-limit.js';
import {arrivalInterface, boundInterfaces, type LanInterface, type LanInterface6} from '../../source/net/discovery/interfaces.js';

describe('discovery answers', () => {
	it('gives one flooding sender a burst of 4 and then 1 a second, leaving the rest for others', () => {
		let now = 0;
		const limit = new AnswerLimit(() => now);
		const flood = Array.from({length: 100}, () => limit.take('10.0.0.66')).filter(Boolean).length;
		expect(flood).toBe(4);
		expect(['10.0.0.2', '10.0.0.3', '10.0.0.4'].map(sender => limit.take(sender))).toEqual([true, true, true]);
		now = 1000;
		expect([limit.take('10.0.0.66'), limit.take('10.0.0.66')]).toEqual([true, false]);
	});

	it('answers at most 20 at once and 10 a second however many senders ask', () => {
		let now = 0;
		const limit = new AnswerLimit(() => now);
		const senders = Array.from({length: 500}, (_, index) => `10.0.${index >> 8}.${index & 255}`);
		expect(senders.filter(sender => limit.take(sender)).length).toBe(20);
		now = 1000;
		expect(senders.filter(sender => limit.take(sender)).length).toBe(10);
	});
});

describe('discovery answer ports', () => {
	it('never answers a system port, a chat port (the tutorial\'s, ours, the one announced) or the discovery port', () => {
		const not = {discoveryPort: 7849, chatPort: 9000, announcedChatPort: 9100};
		for (const port of [0, 1, 80, 1023, 7852, 7853, 8752, 7849, 9000, 9100, 65_536]) {
			expect(answerablePort(port, not), String(port)).toBe(false);
		}

		for (const port of [1024, 7850, 7851, 8753, 32_768, 60_999, 65_535]) {
			expect(answerablePort(port, not), String(port)).toBe(true);
		}

		expect(answerablePort(9100, {discoveryPort: 7849, chatPort: 9000})).toBe(true);
	});
});

describe('discovery interfaces', () => {
	const lans4: LanInterface[] = [
		{name: 'eth0', address: '10.77.1.1', broadcast: '10.77.1.255', netmask: '255.255.255.0'},
		{name: 'eth1', address: '10.77.2.1', broadcast: '10.77.2.255', netmask: '255.255.255.0'},
	];
	const lans6: LanInterface6[] = [{name: 'eth0', address: 'fe80::1', scopeid: 2}, {name: 'eth1', address: 'fe80::11', scopeid: 3}];

	it('says which interface a datagram came in on, by subnet for IPv4 and by scope for IPv6', () => {
		expect(arrivalInterface('10.77.2.9', lans4, lans6)).toEqual({interfaceName: 'eth1', localAddress: '10.77.2.1'});
		expect(arrivalInterface('fe80::2%eth1', lans4, lans6)).toEqual({interfaceName: 'eth1', localAddress: 'fe80::11'});
		expect(arrivalInterface('fe80::2%3', lans4, lans6)).toEqual({interfaceName: 'eth1', localAddress: 'fe80::11'});
		expect(arrivalInterface('FEBF::2%eth0', lans4, lans6)).toEqual({interfaceName: 'eth0', localAddress: 'fe80::1'});
	});

	it('takes no source that is not a neighbour: off every subnet, a subnet edge, not link-local, or of an unknown scope', () => {
		for (const source of ['192.168.9.9', '127.0.0.1', '10.77.3.1', '10.77.1.0', '10.77.1.255', '10.77.2.255', '255.255.255.255', '0.0.0.0', 'fd77::2', 'fd77::2%eth0', '2001:db8::1', 'fec0::1%eth0', 'fe80::2', 'fe80::2%eth9', 'fe80::2%7', '::1', '::ffff:10.77.1.2']) {
			expect(arrivalInterface(source, lans4, lans6), source).toBeUndefined();
		}

		// A /31 has no network or broadcast address: both are hosts.
		expect(arrivalInterface('10.9.0.1', [{name: 'p2p', address: '10.9.0.0', broadcast: '10.9.0.1', netmask: '255.255.255.254'}], [])).toEqual({interfaceName: 'p2p', localAddress: '10.9.0.0'});
	});

	it('--bind keeps the interface holding the address, of either family; 0.0.0.0 and :: keep all', () => {
		const known = [...lans4, ...lans6];
		expect(boundInterfaces(undefined, known)).toBeUndefined();
		expect(boundInterfaces('0.0.0.0', known)).toBeUndefined();
		expect(boundInterfaces('::', known)).toBeUndefined();
		expect([...boundInterfaces('10.77.2.1', known) ?? []]).toEqual(['eth1']);
		expect([...boundInterfaces('FE80::1%eth0', known) ?? []]).toEqual(['eth0']);
		expect(boundInterfaces('10.99.0.1', known)?.size).toBe(0);
	});
});
