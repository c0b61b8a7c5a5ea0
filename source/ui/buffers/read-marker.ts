import type {ChatLine} from '../../domain/snapshot.js';
import type {ReadMarker} from '../pane/format-line.js';

function hoursMinutes(time: number): string {
	const date = new Date(time);
	return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}

/**
 * Where the read marker goes in a buffer's lines: above the first line newer than readId (what had come when
 * you left the buffer), named by the time of the last line read. None when nothing is new, or nothing was read.
 */
export function readMarker(lines: readonly ChatLine[], readId: number | undefined): ReadMarker | undefined {
	if (readId === undefined || lines.length === 0 || (lines.at(-1)?.id ?? 0) <= readId) {
		return undefined;
	}

	let index = lines.length - 1;
	while (index > 0 && (lines[index - 1]?.id ?? 0) > readId) {
		index--;
	}

	const first = lines[index];
	const lastRead = lines[index - 1];
	if (first === undefined || lastRead === undefined || lastRead.id > readId) {
		return undefined;
	}

	return {beforeId: first.id, label: `new since ${hoursMinutes(lastRead.time)}`};
}
