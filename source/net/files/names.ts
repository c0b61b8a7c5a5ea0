import {lstatSync} from 'node:fs';
import {extname, join} from 'node:path';
import {utf8Prefix} from '../../text/utf8-prefix.js';

/** The longest name kept, in UTF-8 bytes: well under the 255 most file systems allow, with room for " (99).part". */
const maxNameBytes = 180;

/**
 * A name a peer offered, made safe to create in the downloads directory: only its last path component (either
 * slash), no control or bidi characters, no leading dots, dashes or spaces (no hidden files, nothing read as
 * an option), bounded in length with the extension kept; "" and "." and ".." become "file".
 */
export function sanitizeFileName(offered: string): string {
	const last = offered.split(/[/\\]/).filter(part => part !== '').at(-1) ?? '';
	const cleaned = last
		.normalize('NFC')
		// Controls and format characters (C0, DEL, C1, bidi, zero-width, tags) and line or paragraph
		// separators: what makes a name read other than it is.
		.replaceAll(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '')
		.replaceAll(/[<>:"|?*]/g, '_')
		.replace(/^[.\-\s]+/, '')
		.replace(/[.\s]+$/, '');
	if (cleaned === '') {
		return 'file';
	}

	if (Buffer.byteLength(cleaned) <= maxNameBytes) {
		return cleaned;
	}

	const extension = extname(cleaned);
	const keepExtension = extension.length > 1 && Buffer.byteLength(extension) <= 16;
	const stem = keepExtension ? cleaned.slice(0, -extension.length) : cleaned;
	return utf8Prefix(stem, maxNameBytes - (keepExtension ? Buffer.byteLength(extension) : 0)) + (keepExtension ? extension : '');
}

/** Whether anything is there, a dangling symbolic link too (existsSync follows links). */
function taken(path: string): boolean {
	try {
		lstatSync(path);
		return true;
	} catch {
		return false;
	}
}

/** "report.pdf", else "report (1).pdf", "report (2).pdf"...: the first that exists neither itself nor with any of the suffixes given. */
export function uniqueName(directory: string, name: string, reserved: readonly string[] = []): string {
	const extension = extname(name);
	const stem = extension === '' || extension === name ? name : name.slice(0, -extension.length);
	for (let count = 0; ; count++) {
		const candidate = count === 0 ? name : `${stem} (${count})${extension === name ? '' : extension}`;
		const path = join(directory, candidate);
		if (!taken(path) && reserved.every(suffix => !taken(path + suffix))) {
			return candidate;
		}
	}
}
