// A hex + ASCII dump of bytes a peer sent. Its output is hex digits, spaces and printable ASCII only:
// every other byte shows as ".", so nothing in a packet can reach the terminal as it is.

/** Bytes on one dump row for a pane this wide: 16 when "0000  hh × 16  ascii × 16" fits, else 8. */
export function bytesPerRow(width: number): 8 | 16 {
	return width >= 71 ? 16 : 8;
}

export function dumpRowCount(length: number, perRow: number): number {
	return Math.ceil(length / perRow);
}

function printable(byte: number): string {
	return byte >= 0x20 && byte <= 0x7E ? String.fromCharCode(byte) : '.';
}

/** Row `row` of the dump: "0010  68 69 0a          hi.", the offset in hex, short rows padded. */
export function dumpRow(bytes: Uint8Array, row: number, perRow: number): string {
	const offset = row * perRow;
	const slice = bytes.subarray(offset, offset + perRow);
	let hex = '';
	let ascii = '';
	for (const byte of slice) {
		hex += `${byte.toString(16).padStart(2, '0')} `;
		ascii += printable(byte);
	}

	return `${offset.toString(16).padStart(4, '0')}  ${hex.padEnd(perRow * 3)} ${ascii}`;
}

/** Every row: for tests and small dumps; the pane asks for the rows it shows one by one. */
export function hexDump(bytes: Uint8Array, perRow: number): string[] {
	return Array.from({length: dumpRowCount(bytes.length, perRow)}, (_unused, row) => dumpRow(bytes, row, perRow));
}
