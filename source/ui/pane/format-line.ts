import type {ChatLine} from '../../domain/snapshot.js';
import {textWidth, wrapText} from '../../text/text-width.js';
import {mentions} from '../buffers/mentions.js';
import {glyphs} from '../../text/glyphs.js';

/** mention: the text of a line that names you; marker: the read marker's rule; date: the date-change rule. */
export type Tone = 'time' | 'own' | 'peer' | 'system' | 'error' | 'text' | 'pending' | 'failed' | 'mention' | 'marker' | 'date';

/** How lines are laid out besides the width: whose nick is highlighted, and where the read marker goes. */
export type LayoutOptions = {
	/** Your nick where a line was said (on an IRC network, your nick there): an incoming line naming it is highlighted. */
	readonly nickFor?: (conversation: string | undefined) => string;
	/** The read marker: a rule above the line with this id, the first one not read yet. */
	readonly marker?: ReadMarker;
};

export type ReadMarker = {readonly beforeId: number; readonly label: string};

/** nick is set on sender segments: each nick keeps one colour. */
export type Segment = {readonly text: string; readonly tone: Tone; readonly nick?: string};

/** One terminal row of the message pane. */
export type Row = {readonly key: string; readonly segments: readonly Segment[]};

let timeFormat = '%H:%M:%S';

/** The time before each line: %H %M %S (and %%), from --config's [display] time_format; '' shows none. */
export function setTimeFormat(format: string): void {
	timeFormat = format;
}

let dateChanges = true;

/** A rule with the date above a line said on another day than the line before it: config.toml's [display] date_changes. */
export function setDateChanges(on: boolean): void {
	dateChanges = on;
}

const two = (value: number) => String(value).padStart(2, '0');

function clock(time: number): string {
	const date = new Date(time);
	const fields: Record<string, string> = {H: two(date.getHours()), M: two(date.getMinutes()), S: two(date.getSeconds()), '%': '%'};
	return timeFormat.replaceAll(/%([HMS%])/g, (_, field: string) => fields[field] ?? '');
}

function prefix(line: ChatLine): Segment[] {
	const time: Segment = {text: timeFormat === '' ? '' : `${clock(line.time)} `, tone: 'time'};
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
			return {text: ` ${glyphs.delivered}`, tone: 'time'};
		}

		case 'failed': {
			return {text: ' (not sent)', tone: 'failed'};
		}
	}
}

function textTone(line: ChatLine, options: LayoutOptions | undefined): Tone {
	if (line.kind === 'system') {
		return line.level === 'error' ? 'error' : 'system';
	}

	const nick = options?.nickFor?.(line.conversation);
	return line.kind === 'in' && nick !== undefined && mentions(line.text, nick) ? 'mention' : 'text';
}

const weekdays = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "Tuesday 1 December 2026", in local time (no Intl: it is costly to load at start). */
export function dateLabel(time: number): string {
	const date = new Date(time);
	return `${weekdays[date.getDay()] ?? ''} ${date.getDate()} ${months[date.getMonth()] ?? ''} ${date.getFullYear()}`;
}

/** True when the two times fall on different local calendar dates. */
export function otherDay(time: number, previous: number): boolean {
	const a = new Date(time);
	const b = new Date(previous);
	return a.getDate() !== b.getDate() || a.getMonth() !== b.getMonth() || a.getFullYear() !== b.getFullYear();
}

/** A dim rule across the pane with a label in it: the read marker, a date change. */
function ruleRow(label: string, width: number, key: string, tone: Tone): Row {
	const head = `${glyphs.rule.repeat(2)} ${label} `;
	const text = textWidth(head) >= width ? head : head + glyphs.rule.repeat(width - textWidth(head));
	return {key, segments: [{text, tone}]};
}

/**
 * A line as rows of the given width; continuation rows are indented under the text, as irssi does. Given the
 * line before it in the buffer, a line said on another day gets a rule with its date above it.
 */
export function layoutLine(line: ChatLine, width: number, options?: LayoutOptions, previous?: ChatLine): Row[] {
	const head = prefix(line);
	const indent = head.reduce((sum, segment) => sum + textWidth(segment.text), 0);
	const hanging = indent <= width / 2;
	const bodyWidth = hanging ? width - indent : width;
	// A multi-line message (Alt+Enter, a paste sent whole) is one message of several rows.
	const body = line.text.split('\n').flatMap(part => wrapText(part, bodyWidth));
	const tail = suffix(line);
	const tone = textTone(line, options);
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

	const laid: Row[] = rows.map((segments, index) => ({key: `${line.id}:${index}`, segments}));
	// "── new since 12:30 ───…", then "── Tuesday 1 December 2026 ───…" right above the line it dates.
	if (dateChanges && previous !== undefined && otherDay(line.time, previous.time)) {
		laid.unshift(ruleRow(dateLabel(line.time), width, `${line.id}:date`, 'date'));
	}

	if (options?.marker?.beforeId === line.id) {
		laid.unshift(ruleRow(options.marker.label, width, `${line.id}:marker`, 'marker'));
	}

	return laid;
}

/** The rows of lines[index], with the line before it in the buffer to see whether the date changed. */
export function rowsAt(lines: readonly ChatLine[], index: number, width: number, options?: LayoutOptions): Row[] {
	const line = lines[index];
	return line === undefined ? [] : layoutLine(line, width, options, lines[index - 1]);
}

/** The last `height` rows of lines[0..end): only the lines that can show are laid out. */
export function tailRows(lines: readonly ChatLine[], width: number, height: number, end = lines.length, options?: LayoutOptions): Row[] {
	const rows: Row[] = [];
	for (let index = end - 1; index >= 0 && rows.length < height; index--) {
		rows.unshift(...rowsAt(lines, index, width, options));
	}

	return rows.slice(Math.max(0, rows.length - height));
}
