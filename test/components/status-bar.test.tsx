import {describe, expect, it} from 'vitest';
import {StatusBar, statusText} from '../../source/ui/status/status-bar.js';
import type {ChatSnapshot} from '../../source/domain/snapshot.js';
import {snapshot} from '../helpers/fake-store.js';
import {render, rows} from '../helpers/render.js';

function bar(state: ChatSnapshot, width = 100): string {
	return rows(render(<StatusBar snapshot={state} width={width} />).frame())[0] ?? '';
}

function tcp(link: ChatSnapshot['tcp']['link'], connections = 0, retryInMs?: number): ChatSnapshot['tcp'] {
	return {link, connections, retryInMs};
}

describe('StatusBar', () => {
	it('shows UDP when the protocol is UDP', () => {
		expect(bar(snapshot({protocol: 'udp'}))).toMatch(/^ UDP · /);
	});

	it('shows TCP when the protocol is TCP', () => {
		expect(bar(snapshot({protocol: 'tcp'}))).toMatch(/^ TCP · /);
	});

	it('shows the local port', () => {
		expect(bar(snapshot({localPort: 40123}))).toContain('port 40123');
	});

	it('shows the peer messages go to', () => {
		expect(bar(snapshot({target: '192.168.1.20:7852', targetSource: 'peer'}))).toContain('to 192.168.1.20:7852');
	});

	it('says replies go to the last sender when there is no --peer', () => {
		expect(bar(snapshot({target: '10.0.0.9:5555', targetSource: 'last-sender'}))).toContain('reply to 10.0.0.9:5555');
	});

	it('says there is nobody to send to yet', () => {
		expect(bar(snapshot({target: undefined, targetSource: 'none'}))).toContain('to nobody yet');
	});

	it('shows the received and sent counts', () => {
		expect(bar(snapshot({counts: {in: 12, out: 3}}))).toContain('in 12 out 3');
	});

	it('shows the Ctrl+T hint naming the protocol it switches to', () => {
		expect(bar(snapshot({protocol: 'udp'}))).toContain('^T TCP');
		expect(bar(snapshot({protocol: 'tcp'}))).toContain('^T UDP');
	});

	it('shows the whole status on one row of a 100-column terminal', () => {
		const state = snapshot({protocol: 'tcp', target: '127.0.0.1:7852', tcp: tcp('connected'), counts: {in: 1, out: 2}, localPort: 7851});
		expect(rows(render(<StatusBar snapshot={state} width={100} />).frame())).toEqual([
			' TCP · ^T UDP · to 127.0.0.1:7852 · tcp connected · in 1 out 2 · port 7851',
		]);
	});

	it('fits a target with wide (CJK) characters without a spurious ellipsis at the end', () => {
		const row = bar(snapshot({target: '小明同学 (127.0.0.1:7852)'}), 100);
		expect(row).toContain('to 小明同学 (127.0.0.1:7852)');
		expect(row.endsWith('port 7851')).toBe(true);
		expect(row).not.toContain('…');
	});

	it('keeps the protocol and its hotkey and cuts the end when the terminal is narrow', () => {
		const row = bar(snapshot({protocol: 'tcp'}), 20);
		expect(row.startsWith(' TCP · ^T UDP')).toBe(true);
		expect(row.length).toBeLessThanOrEqual(20);
		expect(row).not.toContain('port');
		expect(rows(render(<StatusBar snapshot={snapshot()} width={20} />).frame())).toHaveLength(1);
	});
});

describe('StatusBar TCP state', () => {
	it('shows the link connecting', () => {
		expect(statusText(snapshot({protocol: 'tcp', tcp: tcp('connecting')}))).toContain('tcp connecting');
	});

	it('shows the link connected', () => {
		expect(statusText(snapshot({protocol: 'tcp', tcp: tcp('connected', 1)}))).toContain('tcp connected');
	});

	it('shows how many TCP connections there are when more than one', () => {
		expect(statusText(snapshot({protocol: 'tcp', tcp: tcp('connected', 3)}))).toContain('tcp connected ×3');
	});

	it('shows the retry countdown in whole seconds, rounded up', () => {
		expect(statusText(snapshot({protocol: 'tcp', tcp: tcp('retrying', 0, 2500)}))).toContain('tcp retry in 3s');
	});

	it('shows TCP listening when idle with no connection', () => {
		expect(statusText(snapshot({protocol: 'udp', tcp: tcp('idle', 0)}))).toContain('tcp listening');
		expect(statusText(snapshot({protocol: 'tcp', tcp: tcp('idle', 0)}))).toContain('tcp listening');
	});

	it('shows TCP connected when idle but a peer has connected in', () => {
		expect(statusText(snapshot({protocol: 'tcp', tcp: tcp('idle', 1)}))).toContain('tcp connected');
	});

	it('puts the parts in order of importance: protocol, hint, target, TCP, counts, port', () => {
		const parts = statusText(snapshot({protocol: 'udp', target: 'h:1', tcp: tcp('idle'), counts: {in: 4, out: 5}, localPort: 9})).split(' · ');
		expect(parts).toEqual(['UDP', '^T TCP', 'to h:1', 'tcp listening', 'in 4 out 5', 'port 9']);
	});
});
