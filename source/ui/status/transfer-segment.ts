import {formatSize, isActive, type TransferSummary} from '../../domain/files.js';

function left(seconds: number | undefined): string {
	if (seconds === undefined) {
		return '';
	}

	return seconds < 60 ? ` ${seconds}s left` : ` ${Math.ceil(seconds / 60)}min left`;
}

/**
 * "recv report.pdf 45% 5.6/12.3 MB 80.1 MB/s 1s left +1" ("recv received 5.6 MB 80.1 MB/s" from a plain
 * sender, whose size nobody knows), for the transfers running; undefined when none runs.
 */
export function transferSegment(transfers: readonly TransferSummary[] | undefined): string | undefined {
	const running = (transfers ?? []).filter(transfer => isActive(transfer.state));
	const first = running[0];
	if (first === undefined) {
		return undefined;
	}

	const verb = first.state === 'hashing' ? 'hashing' : first.direction === 'send' ? 'send' : 'recv';
	const rate = first.rate > 0 ? ` ${formatSize(first.rate)}/s` : '';
	const more = running.length > 1 ? ` +${running.length - 1}` : '';
	if (first.size === undefined) {
		return `${verb} ${first.name} ${formatSize(first.done)}${rate}${more}`;
	}

	const percent = first.size === 0 ? 100 : Math.floor((first.done * 100) / first.size);
	return `${verb} ${first.name} ${percent}% ${formatSize(first.done)}/${formatSize(first.size)}${rate}${left(first.etaSeconds)}${more}`;
}
