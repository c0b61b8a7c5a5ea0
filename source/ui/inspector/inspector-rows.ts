// The inspector's records as rows of text, laid out from the newest up and only as far as the pane shows:
// a record's hex rows are formatted only when they are on screen. Every row is ASCII (addresses, hex,
// dots for unprintable bytes) except the framing summary, which is sanitized.

import {bytesPerRow, describeFraming, dumpRow, dumpRowCount, type PacketRecord} from '../../net/index.js';

export type InspectorRow = {readonly key: string; readonly text: string; readonly tone: 'head' | 'dump' | 'event'};

export type InspectorView = {readonly rows: readonly InspectorRow[]; readonly totalRows: number};

function clock(time: number): string {
	const date = new Date(time);
	const two = (value: number) => String(value).padStart(2, '0');
	return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}.${String(date.getMilliseconds()).padStart(3, '0')}`;
}

function ends(record: PacketRecord): string {
	return `${record.local} ${record.direction === 'in' ? '<-' : '->'} ${record.remote}`;
}

function header(record: PacketRecord): string {
	const start = `${clock(record.time)} ${record.transport}`;
	if (record.kind === 'event') {
		return `${start} ${record.event} ${ends(record)}${record.detail === undefined ? '' : ` (${record.detail})`}`;
	}

	return `${start} ${record.direction.padEnd(3)} ${ends(record)} ${record.length} B  ${describeFraming(record.bytes, record.transport, record.length)}`;
}

function rowsOf(record: PacketRecord, perRow: number): number {
	return record.kind === 'event' ? 1 : 1 + dumpRowCount(record.bytes.length, perRow) + (record.length > record.bytes.length ? 1 : 0);
}

function rowOf(record: PacketRecord, index: number, perRow: number): InspectorRow {
	const key = `${record.seq}:${index}`;
	if (index === 0) {
		return {key, text: header(record), tone: record.kind === 'event' ? 'event' : 'head'};
	}

	if (record.kind === 'data' && index - 1 < dumpRowCount(record.bytes.length, perRow)) {
		return {key, text: `  ${dumpRow(record.bytes, index - 1, perRow)}`, tone: 'dump'};
	}

	const left = record.kind === 'data' ? record.length - record.bytes.length : 0;
	return {key, text: `  ... ${left} more bytes not kept`, tone: 'dump'};
}

/** The rows of the window `height` rows tall, `scroll` rows up from the newest, oldest at the top. */
export function inspectorView(records: readonly PacketRecord[], width: number, height: number, scroll: number): InspectorView {
	const perRow = bytesPerRow(width - 2);
	const counts = records.map(record => rowsOf(record, perRow));
	const totalRows = counts.reduce((sum, count) => sum + count, 0);
	const rows: InspectorRow[] = [];
	let skip = Math.min(scroll, Math.max(0, totalRows - height));
	for (let index = records.length - 1; index >= 0 && rows.length < height; index--) {
		const record = records[index]!;
		const count = counts[index]!;
		for (let row = count - 1; row >= 0 && rows.length < height; row--) {
			if (skip > 0) {
				skip--;
			} else {
				rows.push(rowOf(record, row, perRow));
			}
		}
	}

	return {rows: rows.reverse(), totalRows};
}
