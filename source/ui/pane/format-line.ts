import type {ChatLine} from '../../domain/snapshot.js';
import {textWidth, wrapText} from '../../text/text-width.js';

export type Tone = 'time' | 'own' | 'peer' | 'system' | 'error' | 'text' | 'pending' | 'failed';

/** nick is set on sender segments: each nick keeps one colour. */
export type Segment = {readonly text: string; readonly tone: Tone; readonly nick?: string};

/** One terminal row of the message pane. */
export type Row = {readonly key: string; readonly segments: readonly Segment[]};

function clock(time: number): string {
	const date = new Date(time);
	return [date.getHours(), date.getMinutes(), date.getSeconds()].map(part => String(part).padStart(2, '0')).join(':');
}

function prefix(line: ChatLine): Segment[] {
	const time: Segment = {text: `${clock(line.time)} `, tone: 'time'};
	switch (line.kind) {
		case 'system': {
			return [time, {text: '-!- ', tone: line.level === 'error' ? 'error' : 'system'}];
		}

		case 'in':
		case 'out': {
			const tone = line.kind === 'in' ? 'peer' : 'own';
			const sender = line.action ? `* ${line.from} ` : `<${line.from}> `;
			return [time, {text: `${line.transport} `, tone: 'time'}, {text: sender, tone, nick: line.from}];
		}
	}
}

/** The delivery state of an own line: nothing for a plain peer once sent, ✓ once a tui-netchat peer confirms. */
function suffix(line: ChatLine): Segment | undefined {
	if (line.kind !== 'out') {
		return undefined;
	}

	switch (line.delivery) {
		case 'pending': {
			return {text: ' (pending)', tone: 'pending'};
		}

		case 'sent': {
			return line.expectsAck ? {text: ' (sent)', tone: 'pending'} : undefined;
		}

		case 'delivered': {
			return {text: ' ✓', tone: 'time'};
		}

		case 'failed': {
			return {text: ' (not sent)', tone: 'failed'};
		}
	}
}

function textTone(line: ChatLine): Tone {
	if (line.kind === 'system') {
		return line.level === 'error' ? 'error' : 'system';
	}

	return 'text';
}

/** A line as rows of the given width; continuation rows are indented under the text, as irssi does. */
export function layoutLine(line: ChatLine, width: number): Row[] {
	const head = prefix(line);
	const indent = head.reduce((sum, segment) => sum + textWidth(segment.text), 0);
	const hanging = indent <= width / 2;
	const bodyWidth = hanging ? width - indent : width;
	const body = wrapText(line.text, bodyWidth);
	const tail = suffix(line);
	const tone = textTone(line);
	const rows: Segment[][] = [];
	if (!hanging) {
		rows.push(head);
	}

	for (const [index, text] of body.entries()) {
		const lead: Segment[] = hanging ? (index === 0 ? head : [{text: ' '.repeat(indent), tone: 'time'}]) : [];
		rows.push([...lead, {text, tone}]);
	}

	if (tail) {
		// The delivery marker keeps its style whole: on the last row if it fits, else on a row of its own.
		const last = body.at(-1) ?? '';
		if (textWidth(last) + textWidth(tail.text) <= bodyWidth) {
			rows.at(-1)?.push(tail);
		} else {
			rows.push([...(hanging ? [{text: ' '.repeat(indent), tone: 'time' as const}] : []), {text: tail.text.trimStart(), tone: tail.tone}]);
		}
	}

	return rows.map((segments, index) => ({key: `${line.id}:${index}`, segments}));
}

/** The last `height` rows of lines[0..end): only the lines that can show are laid out. */
export function tailRows(lines: readonly ChatLine[], width: number, height: number, end = lines.length): Row[] {
	const rows: Row[] = [];
	for (let index = end - 1; index >= 0 && rows.length < height; index--) {
		const line = lines[index];
		if (line) {
			rows.unshift(...layoutLine(line, width));
		}
	}

	return rows.slice(Math.max(0, rows.length - height));
}
