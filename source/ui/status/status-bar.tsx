import {Box, Text} from 'ink';
import type {ChatSnapshot} from '../../domain/snapshot.js';
import {textWidth} from '../../text/text-width.js';
import {useColor} from '../pane/theme.js';

export type StatusBarProps = {
	readonly snapshot: ChatSnapshot;
	readonly width: number;
};

function tcpState({tcp, protocol}: ChatSnapshot): string {
	const count = tcp.connections > 1 ? ` ×${tcp.connections}` : '';
	switch (tcp.link) {
		case 'connecting': {
			return `tcp connecting${count}`;
		}

		case 'connected': {
			return `tcp connected${count}`;
		}

		case 'retrying': {
			return `tcp retry in ${Math.ceil((tcp.retryInMs ?? 0) / 1000)}s${count}`;
		}

		case 'idle': {
			return tcp.connections > 0 || protocol === 'tcp' ? `tcp ${tcp.connections > 0 ? 'connected' : 'listening'}${count}` : 'tcp listening';
		}
	}
}

/** Most important first (the protocol and how to switch it): a narrow terminal cuts the end. */
export function statusText(snapshot: ChatSnapshot): string {
	const target =
		snapshot.target === undefined
			? 'to nobody yet'
			: `${snapshot.targetSource === 'last-sender' ? 'reply to' : 'to'} ${snapshot.target}`;
	const other = snapshot.protocol === 'udp' ? 'TCP' : 'UDP';
	const protocol = [snapshot.protocol.toUpperCase(), snapshot.encoding === 'utf8' ? '' : snapshot.encoding, snapshot.sealed ? `sealed ${snapshot.sealed}` : '']
		.filter(Boolean)
		.join(' ');
	return [
		protocol,
		`^T ${other}`,
		target,
		tcpState(snapshot),
		`in ${snapshot.counts.in} out ${snapshot.counts.out}`,
		// 0 until the sockets are bound, a moment after the first frame.
		`port ${snapshot.localPort === 0 ? '…' : snapshot.localPort}${snapshot.portNote ? ` (${snapshot.portNote})` : ''}`,
	].join(' · ');
}

export function StatusBar({snapshot, width}: StatusBarProps) {
	const text = ` ${statusText(snapshot)} `;
	// Pad by terminal columns, not string length: a CJK nick is two columns a character.
	const padded = text + ' '.repeat(Math.max(0, width - textWidth(text)));
	return (
		<Box width={width} height={1}>
			<Text inverse wrap="truncate-end" {...(useColor ? {color: snapshot.protocol === 'udp' ? 'magenta' : 'cyan'} : {})}>
				{padded}
			</Text>
		</Box>
	);
}
