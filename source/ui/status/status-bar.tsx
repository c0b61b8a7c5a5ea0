import {Box, Text} from 'ink';
import {Fragment, memo} from 'react';
import {conversationLabel, type ConversationSummary, type IrcNetworkSummary} from '../../domain/conversation.js';
import type {Protocol} from '../../domain/endpoint.js';
import type {ChatSnapshot, TcpLinkState} from '../../domain/snapshot.js';
import {textWidth} from '../../text/text-width.js';
import type {Activity} from '../buffers/buffer-list.js';
import {toneStyle, useColor} from '../pane/theme.js';
import {glyphs} from '../../text/glyphs.js';
import {transferSegment} from './transfer-segment.js';

/** The buffer shown and the others' news; without it (or with one buffer and no news) the bar is as before buffers. */
export type BufferStatus = {
	readonly number: number;
	readonly name: string;
	/** The current buffer's conversation; undefined in buffer 1, the merged view. */
	readonly conversation: ConversationSummary | undefined;
	readonly count: number;
	readonly active: ReadonlyArray<{readonly number: number; readonly activity: Exclude<Activity, 'none'>}>;
};

export type StatusBarProps = {
	readonly snapshot: ChatSnapshot;
	readonly width: number;
	readonly buffers?: BufferStatus;
};

function linkText(link: TcpLinkState, retryInMs: number | undefined, count: string, idle: string): string {
	switch (link) {
		case 'connecting': {
			return `tcp connecting${count}`;
		}

		case 'connected': {
			return `tcp connected${count}`;
		}

		case 'retrying': {
			return `tcp retry in ${Math.ceil((retryInMs ?? 0) / 1000)}s${count}`;
		}

		case 'idle': {
			return idle;
		}
	}
}

/**
 * A field of the bar and how much it matters when the terminal is too narrow for all of them (with buffers
 * shown): the least important goes first. A TCP link with nothing to say (listening, none) matters little.
 */
type Field = {readonly text: string; readonly rank: number};

const rank = {port: 1, quietLink: 2, counts: 3, link: 4, target: 5, toggle: 6, transfer: 6.5, buffer: 7, protocol: 8} as const;

const separator = ` ${glyphs.separator} `;

function tcpState({tcp, protocol}: ChatSnapshot): Field {
	const count = tcp.connections > 1 ? ` ${glyphs.times}${tcp.connections}` : '';
	const idle = tcp.connections > 0 || protocol === 'tcp' ? `tcp ${tcp.connections > 0 ? 'connected' : 'listening'}${count}` : 'tcp listening';
	const quiet = tcp.link === 'idle' && tcp.connections === 0;
	return {text: linkText(tcp.link, tcp.retryInMs, count, idle), rank: quiet ? rank.quietLink : rank.link};
}

/** "UDP", with the encoding when it is not UTF-8 and the key's fingerprint when sealed. */
function protocolText(protocol: Protocol, {encoding, sealed}: ChatSnapshot): string {
	return [protocol.toUpperCase(), encoding === 'utf8' ? '' : encoding, sealed ? `sealed ${sealed}` : ''].filter(Boolean).join(' ');
}

function toggleText(protocol: Protocol): string {
	return `^T ${protocol === 'udp' ? 'TCP' : 'UDP'}`;
}

/** Where the merged view sends and how: the protocol, its toggle, the target and the TCP link. */
function mergedParts(snapshot: ChatSnapshot): Field[] {
	const target =
		snapshot.target === undefined
			? 'to nobody yet'
			: `${snapshot.targetSource === 'last-sender' ? 'reply to' : 'to'} ${snapshot.target}`;
	return [
		{text: protocolText(snapshot.protocol, snapshot), rank: rank.protocol},
		{text: toggleText(snapshot.protocol), rank: rank.toggle},
		{text: target, rank: rank.target},
		tcpState(snapshot),
	];
}

function ircState(network: IrcNetworkSummary, retryInMs: number | undefined): string {
	switch (network.state) {
		case 'registered': {
			return 'connected';
		}

		case 'connecting': {
			return `connecting${glyphs.ellipsis}`;
		}

		case 'retrying': {
			return `reconnect in ${Math.ceil((retryInMs ?? 0) / 1000)}s`;
		}

		case 'closed': {
			return 'disconnected';
		}
	}
}

/** An IRC buffer: the network and our nick there, the channel and how many are in it, the connection. */
function ircParts(conversation: ConversationSummary, network: IrcNetworkSummary): Field[] {
	const where = conversation.kind === 'channel' ? `${conversation.name} (${conversation.members.length})` : conversation.kind === 'query' ? `query ${conversation.name}` : undefined;
	// On a narrow terminal the connection state stays longest: it is what tells the truth when things fail.
	return [
		{text: 'IRC', rank: rank.protocol},
		{text: `${network.nick} on ${network.name}`, rank: rank.link},
		...(where === undefined ? [] : [{text: where, rank: rank.target}]),
		{text: ircState(network, conversation.retryInMs), rank: rank.toggle},
	];
}

/** The same for one conversation: its own protocol (a room has TCP only: no toggle to offer) and link. */
function conversationParts(snapshot: ChatSnapshot, conversation: ConversationSummary): Field[] {
	if (conversation.network) {
		return ircParts(conversation, conversation.network);
	}

	const toggle = conversation.kind === 'room' ? [] : [{text: toggleText(conversation.protocol), rank: rank.toggle}];
	return [
		{text: protocolText(conversation.protocol, {...snapshot, encoding: conversation.encoding ?? snapshot.encoding}), rank: rank.protocol},
		...toggle,
		{text: conversationLabel(conversation), rank: rank.target},
		{text: linkText(conversation.link, conversation.retryInMs, '', 'no tcp link'), rank: conversation.link === 'idle' ? rank.quietLink : rank.link},
	];
}

function showsBuffers(buffers: BufferStatus | undefined): buffers is BufferStatus {
	return buffers !== undefined && (buffers.count > 1 || buffers.active.length > 0);
}

/** "[2:bob]", then "act 1,3!" when other buffers have news ("!": you were mentioned there). */
function bufferText(buffers: BufferStatus): {readonly name: string; readonly active: readonly string[]} {
	return {
		name: `[${buffers.number}:${buffers.name}]`,
		active: buffers.active.map(({number, activity}) => (activity === 'mention' ? `${number}!` : String(number))),
	};
}

function headText(buffers: BufferStatus): string {
	const {name, active} = bufferText(buffers);
	return active.length === 0 ? name : `${name} act ${active.join(',')}`;
}

/** How messages go, the counts, the port. */
function detailFields(snapshot: ChatSnapshot, conversation: ConversationSummary | undefined): Field[] {
	const transfer = transferSegment(snapshot.transfers);
	return [
		...(conversation ? conversationParts(snapshot, conversation) : mergedParts(snapshot)),
		...(transfer === undefined ? [] : [{text: transfer, rank: rank.transfer}]),
		{text: `in ${snapshot.counts.in} out ${snapshot.counts.out}`, rank: rank.counts},
		...(snapshot.lanPeers === undefined ? [] : [{text: `LAN ${snapshot.lanPeers}`, rank: rank.counts}]),
		// 0 until the sockets are bound, a moment after the first frame.
		{text: `port ${snapshot.localPort === 0 ? glyphs.ellipsis : snapshot.localPort}${snapshot.portNote ? ` (${snapshot.portNote})` : ''}`, rank: rank.port},
	];
}

function lineWidth(fields: readonly Field[]): number {
	return textWidth(` ${fields.map(field => field.text).join(separator)} `);
}


/**
 * The fields that fit in width, with the buffer and its news last. Without buffers a narrow terminal cuts
 * the end, as it always did; with them the least important fields give way first (the port, a quiet TCP
 * link, the counts...) so that the protocol, the buffer shown and the others' news stay in sight.
 */
function fittedFields(snapshot: ChatSnapshot, buffers: BufferStatus | undefined, width: number): string[] {
	const fields = detailFields(snapshot, buffers?.conversation);
	if (!showsBuffers(buffers)) {
		return fields.map(field => field.text);
	}

	fields.push({text: headText(buffers), rank: rank.buffer});
	while (lineWidth(fields) > width) {
		const lowest = Math.min(...fields.map(field => field.rank));
		if (lowest >= rank.buffer) {
			break;
		}

		fields.splice(fields.findLastIndex(field => field.rank === lowest), 1);
	}

	return fields.map(field => field.text);
}

/** The whole status line, fields in the order shown. */
export function statusText(snapshot: ChatSnapshot, buffers?: BufferStatus): string {
	return fittedFields(snapshot, buffers, Number.POSITIVE_INFINITY).join(separator);
}

/** The buffer's name and the others' news, mentions in their own colour (NO_COLOR: the "!" tells them apart). */
function BufferHead({buffers}: {readonly buffers: BufferStatus}) {
	const {name, active} = bufferText(buffers);
	return (
		<>
			{name}
			{active.length === 0 ? '' : ' act '}
			{active.map((item, index) => (
				<Fragment key={item}>
					{index === 0 ? '' : ','}
					<Text {...(item.endsWith('!') ? toneStyle('mention') : {})}>{item}</Text>
				</Fragment>
			))}
		</>
	);
}

function sameBuffers(a: BufferStatus | undefined, b: BufferStatus | undefined): boolean {
	if (a === undefined || b === undefined) {
		return a === b;
	}

	return (
		a.number === b.number &&
		a.name === b.name &&
		a.conversation === b.conversation &&
		a.count === b.count &&
		a.active.length === b.active.length &&
		a.active.every((item, index) => item.number === b.active[index]?.number && item.activity === b.active[index]?.activity)
	);
}

/** The App builds a new BufferStatus each render (a scroll, a toggle): the bar is drawn again only when it reads differently. */
function sameStatus(previous: StatusBarProps, next: StatusBarProps): boolean {
	return previous.snapshot === next.snapshot && previous.width === next.width && sameBuffers(previous.buffers, next.buffers);
}

export const StatusBar = memo(function StatusBar({snapshot, width, buffers}: StatusBarProps) {
	const protocol = buffers?.conversation?.network ? 'irc' : (buffers?.conversation?.protocol ?? snapshot.protocol);
	const fields = fittedFields(snapshot, buffers, width);
	// Pad by terminal columns, not string length: a CJK nick is two columns a character.
	const padding = ' '.repeat(Math.max(0, width - textWidth(` ${fields.join(separator)} `)));
	const shown = showsBuffers(buffers) ? buffers : undefined;
	return (
		<Box width={width} height={1}>
			<Text inverse wrap="truncate-end" {...(useColor ? {color: protocol === 'udp' ? 'magenta' : protocol === 'irc' ? 'green' : 'cyan'} : {})}>
				{' '}
				{(shown ? fields.slice(0, -1) : fields).join(separator)}
				{shown ? (
					<>
						{separator}
						<BufferHead buffers={shown} />
					</>
				) : null}
				{' '}
				{padding}
			</Text>
		</Box>
	);
}, sameStatus);
