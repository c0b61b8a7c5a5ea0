import type {ChatLine} from './net/chat-line.js';
import {textWidth, wrapText} from './text-width.js';

export type Tone = 'time' | 'own' | 'peer' | 'system' | 'error' | 'text' | 'pending' | 'failed';

export type Segment = {readonly text: string; readonly tone: Tone};

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

		case 'in': {
			return [time, {text: `${line.transport} `, tone: 'time'}, {text: `<${line.from}> `, tone: 'peer'}];
		}

		case 'out': {
			return [time, {text: `${line.transport} `, tone: 'time'}, {text: `<${line.from}> `, tone: 'own'}];
		}
	}
}

function suffix(line: ChatLine): Segment | undefined {
	if (line.kind !== 'out' || line.delivery === 'sent') {
		return undefined;
	}

	return line.delivery === 'pending' ? {text: ' (pending)', tone: 'pending'} : {text: ' (not sent)', tone: 'failed'};
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
	const tail = suffix(line);
	const body = wrapText(line.text + (tail?.text ?? ''), bodyWidth);
	const tone = textTone(line);
	const rows: Row[] = [];
	if (!hanging) {
		rows.push({key: `${line.id}:h`, segments: head});
	}

	for (const [index, text] of body.entries()) {
		const segments: Segment[] = [];
		if (hanging) {
			segments.push(...(index === 0 ? head : [{text: ' '.repeat(indent), tone: 'time' as const}]));
		}

		segments.push(...splitSuffix(text, index === body.length - 1 ? tail : undefined, tone));
		rows.push({key: `${line.id}:${index}`, segments});
	}

	return rows;
}

function splitSuffix(text: string, tail: Segment | undefined, tone: Tone): Segment[] {
	if (tail === undefined || !text.endsWith(tail.text)) {
		return [{text, tone}];
	}

	return [
		{text: text.slice(0, -tail.text.length), tone},
		{text: tail.text, tone: tail.tone},
	];
}

/** The last `height` rows of the history: only the lines that can show are laid out. */
export function tailRows(lines: readonly ChatLine[], width: number, height: number): Row[] {
	const rows: Row[] = [];
	for (let index = lines.length - 1; index >= 0 && rows.length < height; index--) {
		const line = lines[index];
		if (line) {
			rows.unshift(...layoutLine(line, width));
		}
	}

	return rows.slice(Math.max(0, rows.length - height));
}
