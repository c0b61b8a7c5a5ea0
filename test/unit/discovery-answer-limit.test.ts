import {describe, expect, it} from 'vitest';
import {AnswerLimit} from '../../source/net/discovery/answer-limit.js';
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

describe('discovery interfaces', () => {
	const lans4: LanInterface[] = [
		{name: 'eth0', address: '10.77.1.1', broadcast: '10.77.1.255', netmask: '255.255.255.0'},
		{name: 'eth1', address: '10.77.2.1', broadcast: '10.77.2.255', netmask: '255.255.255.0'},
	];
	const lans6: LanInterface6[] = [{name: 'eth0', address: 'fe80::1', scopeid: 2}, {name: 'eth1', address: 'fe80::11', scopeid: 3}];

	it('says which interface a datagram came in on, by subnet for IPv4 and by scope for IPv6', () => {
		expect(arrivalInterface('10.77.2.9', lans4, lans6)).toEqual({interfaceName: 'eth1', localAddress: '10.77.2.1'});
		expect(arrivalInterface('192.168.9.9', lans4, lans6)).toEqual({interfaceName: '?', localAddress: '?'});
		expect(arrivalInterface('fe80::2%eth1', lans4, lans6)).toEqual({interfaceName: 'eth1', localAddress: 'fe80::11'});
		expect(arrivalInterface('fe80::2%3', lans4, lans6)).toEqual({interfaceName: 'eth1', localAddress: 'fe80::11'});
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
