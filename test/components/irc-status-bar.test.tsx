import {describe, expect, it} from 'vitest';
import type {ConversationSummary, IrcConnectionState, IrcNetworkSummary} from '../../source/domain/conversation.js';
import {StatusBar, statusText, type BufferStatus} from '../../source/ui/status/status-bar.js';
import {conversation, snapshot} from '../helpers/fake-store.js';
import {render, rows} from '../helpers/render.js';

function network(state: IrcConnectionState = 'registered'): IrcNetworkSummary {
	return {id: 'i1', name: 'TestNet', nick: 'alice', state, caps: ['server-time']};
}

function ircConversation(kind: 'network' | 'channel' | 'query', name: string, overrides: Partial<ConversationSummary> = {}): ConversationSummary {
	return conversation('i2', name, {kind, address: 'irc://127.0.0.1:6667', protocol: 'tcp', tnc: false, transports: [], network: network(), ...overrides});
}

const room = ircConversation('channel', '#room', {members: ['@alice', '+bob', 'carol']});

function buffers(shown: ConversationSummary): BufferStatus {
	return {number: 2, name: shown.name, conversation: shown, count: 2, active: []};
}

/** The bar as rendered for the buffer of `shown`, 100 columns wide. */
function bar(shown: ConversationSummary): string {
	return rows(render(<StatusBar snapshot={snapshot()} width={100} buffers={buffers(shown)} />).frame())[0] ?? '';
}

function fields(shown: ConversationSummary): string[] {
	return statusText(snapshot(), buffers(shown)).split(' · ');
}

describe('StatusBar in an IRC channel\'s buffer', () => {
	it('shows IRC, our nick on the network, the channel with its count and the connection', () => {
		expect(fields(room).slice(0, 4)).toEqual(['IRC', 'alice on TestNet', '#room (3)', 'connected']);
	});

	it('keeps the connection state longest on a narrow terminal', () => {
		const narrow = rows(render(<StatusBar snapshot={snapshot()} width={44} buffers={buffers(ircConversation('channel', '#room', {network: network('retrying'), retryInMs: 4000}))} />).frame())[0] ?? '';
		expect(narrow).toContain('reconnect in 4s');
		expect(narrow).toContain('[2:#room]');
	});

	it('renders those fields on the bar, with the buffer last', () => {
		const row = bar(room);
		expect(row).toMatch(/^ IRC · alice on TestNet · #room \(3\) · connected · /);
		expect(row.endsWith('[2:#room]')).toBe(true);
	});

	it('offers no protocol toggle', () => {
		expect(bar(room)).not.toContain('^T');
	});

	it('counts the members the channel has now', () => {
		expect(fields({...room, members: ['@alice']})).toContain('#room (1)');
	});

	it('says when the next reconnect is, in whole seconds rounded up', () => {
		const retrying = {...room, network: network('retrying'), retryInMs: 4200};
		expect(fields(retrying)).toContain('reconnect in 5s');
	});

	it('says it is connecting, and when the network is closed', () => {
		expect(fields({...room, network: network('connecting')})).toContain('connecting…');
		expect(fields({...room, network: network('closed')})).toContain('disconnected');
	});
});

describe('StatusBar in other IRC buffers', () => {
	it('names the other person in a query', () => {
		expect(fields(ircConversation('query', 'bob')).slice(0, 4)).toEqual(['IRC', 'alice on TestNet', 'query bob', 'connected']);
	});

	it('shows the network and connection alone in the network\'s buffer', () => {
		expect(fields(ircConversation('network', 'TestNet')).slice(0, 3)).toEqual(['IRC', 'alice on TestNet', 'connected']);
	});
});
