import {describe, expect, it} from 'vitest';
import type {PeerSummary} from '../../source/domain/snapshot.js';
import type {DataRecord, PacketRecord} from '../../source/net/index.js';
import {recordTest} from '../../source/ui/inspector/inspector-filter.js';
import {inspectorView} from '../../source/ui/inspector/inspector-rows.js';
import {reduceInspector, closedInspector} from '../../source/ui/inspector/inspector-state.js';

function datagram(seq: number, text: string, overrides: Partial<DataRecord> = {}): DataRecord {
	const bytes = Buffer.from(text);
	return {kind: 'data', seq, time: 0, transport: 'udp', direction: 'in', local: '127.0.0.1:7852', remote: '127.0.0.1:40000', length: bytes.length, bytes, ...overrides};
}

const peer = (number: number, address: string, endpoints = [address]): PeerSummary => ({number, name: `p${number}`, address, endpoints, transport: 'udp', lastHeard: 0, tnc: true});

describe('inspector rows', () => {
	it('lays out only the rows that fit, newest at the bottom, and counts them all', () => {
		const records = Array.from({length: 500}, (_unused, seq) => datagram(seq, 'x'.repeat(40)));
		// 16 bytes a row: a header and three dump rows a record.
		const view = inspectorView(records, 74, 10, 0);
		expect(view.totalRows).toBe(2000);
		expect(view.rows).toHaveLength(10);
		expect(view.rows.at(-1)?.key).toBe('499:3');
		expect(view.rows.at(-4)?.text).toMatch(/udp in {2}127\.0\.0\.1:7852 <- 127\.0\.0\.1:40000 40 B {2}text/);
	});

	it('scrolls by rows and stops at the oldest', () => {
		const records = [datagram(0, 'first\n'), datagram(1, 'second\n')];
		expect(inspectorView(records, 74, 2, 2).rows.map(row => row.key)).toEqual(['0:0', '0:1']);
		expect(inspectorView(records, 74, 2, 99).rows.map(row => row.key)).toEqual(['0:0', '0:1']);
	});

	it('notes the bytes not kept of a long datagram', () => {
		const view = inspectorView([datagram(0, 'y'.repeat(512), {length: 9000})], 74, 40, 0);
		expect(view.rows.at(-1)?.text).toBe('  ... 8488 more bytes not kept');
		expect(view.rows[0]?.text).toContain('9000 B  text (cut)');
	});

	it('shows a connection event as one row', () => {
		const event: PacketRecord = {kind: 'event', seq: 0, time: 0, transport: 'tcp', direction: 'out', local: '127.0.0.1:5000', remote: '127.0.0.1:7852', event: 'connect'};
		expect(inspectorView([event], 74, 5, 0).rows.map(row => row.text.slice(13))).toEqual(['tcp connect 127.0.0.1:5000 -> 127.0.0.1:7852']);
	});
});

describe('inspector filter', () => {
	it('keeps one transport', () => {
		const test = recordTest({kind: 'tcp'}, []);
		expect(test?.(datagram(0, 'a'))).toBe(false);
		expect(test?.(datagram(0, 'a', {transport: 'tcp'}))).toBe(true);
	});

	it('keeps a peer\'s address, and its host when no other peer shares it (its TCP connections come from other ports)', () => {
		const lan = [peer(2, '192.168.1.20:7852'), peer(3, '192.168.1.30:7852')];
		const test = recordTest({kind: 'peer', number: 2}, lan);
		expect(test?.(datagram(0, 'a', {remote: '192.168.1.20:7852'}))).toBe(true);
		expect(test?.(datagram(0, 'a', {remote: '192.168.1.20:51000', transport: 'tcp'}))).toBe(true);
		expect(test?.(datagram(0, 'a', {remote: '192.168.1.30:7852'}))).toBe(false);
		const loopback = [peer(2, '127.0.0.1:7853'), peer(3, '127.0.0.1:7854')];
		expect(recordTest({kind: 'peer', number: 2}, loopback)?.(datagram(0, 'a', {remote: '127.0.0.1:7854'}))).toBe(false);
		expect(recordTest({kind: 'peer', number: 9}, lan)).toBeUndefined();
	});

	it('keeps a peer reached by name at the address the name resolved to', () => {
		const named = [peer(2, 'localhost:40843', ['localhost:40843', '127.0.0.1:40843']), peer(3, '127.0.0.1:7854')];
		const test = recordTest({kind: 'peer', number: 2}, named);
		expect(test?.(datagram(0, 'a', {remote: '127.0.0.1:40843'}))).toBe(true);
		expect(test?.(datagram(0, 'a', {remote: '127.0.0.1:7854'}))).toBe(false);
	});
});

describe('inspector state', () => {
	it('toggles open and shut, and forgets the filter, pause and scroll when shut', () => {
		const open = reduceInspector(closedInspector, {type: 'show', filter: {kind: 'udp'}});
		const paused = reduceInspector(reduceInspector(open, {type: 'pause'}), {type: 'scroll', by: 5, max: 3});
		expect(paused).toEqual({open: true, filter: {kind: 'udp'}, paused: true, scroll: 3});
		const shut = reduceInspector(paused, {type: 'toggle'});
		expect(shut.open).toBe(false);
		expect(reduceInspector(shut, {type: 'toggle'})).toEqual({open: true, filter: {kind: 'all'}, paused: false, scroll: 0});
		expect(reduceInspector(closedInspector, {type: 'pause'})).toBe(closedInspector);
	});
});
