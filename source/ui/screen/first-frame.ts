import {mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {dirname} from 'node:path';

// The first-frame cache. The loader (scripts/cli-loader.js) draws the first frame of the last launch like
// this one before the app is even loaded; here the app takes that screen over (it does not enter the
// alternate screen again, and skips its own first frame when it is the same), and keeps its first frame for
// the next launch, with the files the frame depends on (config, outbox) as they are now.

type Handoff = {
	/** What the frame depends on besides files, hashed by the loader. */
	readonly key: string;
	readonly file: string;
	/** What the loader drew: alternate screen, first frame. */
	readonly shown: string | undefined;
	/** Set once the app restores the terminal itself: the loader's exit hook stands down. */
	adopted: boolean;
	/** The terminal size the key was made for. */
	readonly columns: number;
	readonly rows: number;
	/** Something else was written to the terminal after the cached frame. */
	readonly dirty: boolean;
	/** Stops watching for that. */
	readonly watched: () => void;
};

/** A file as it was when the frame was drawn: [path] when there was none. */
type FileState = readonly [path: string, size?: number, mtimeMs?: number];

type Entry = {readonly key: string; readonly files: readonly FileState[]; readonly screen: string};

const keptEntries = 4;

const handoff = (globalThis as Record<symbol, Handoff | undefined>)[Symbol.for('tui-netchat.first-frame')];
const files = new Set<string>();
let written = '';
/** Undefined: the first frame is not written yet; then what it was (undefined again: not to be kept). */
let firstFrame: string | undefined;
let firstFrameDone = false;
let cacheable = handoff !== undefined;
let kept = false;

/** Whether the loader drew a cached screen: the terminal is in full-screen mode already, and this takes it over. */
export function adoptCachedScreen(): boolean {
	if (handoff?.shown === undefined) {
		return false;
	}

	handoff.adopted = true;
	return true;
}

/** What entering full-screen mode wrote (before the first frame). */
export function noteFullScreen(text: string): void {
	written = text;
}

/** The first frame depends on this file (the config, the outbox): a later launch draws it only if it is unchanged. */
export function frameDependsOn(path: string): void {
	files.add(path);
}

/** Something this launch drew before its first frame (a question): such a start is never drawn from the cache. */
export function uncacheableStart(): void {
	cacheable = false;
}

/**
 * Called with every frame's output: true when it is the first and the terminal already shows exactly it
 * (the loader drew it from the cache), so it need not be written.
 */
export function alreadyShown(output: string): boolean {
	if (firstFrameDone) {
		return false;
	}

	firstFrameDone = true;
	firstFrame = written + output;
	handoff?.watched();
	return firstFrame === handoff?.shown && !handoff.dirty;
}

function fileState(path: string): FileState {
	try {
		const {size, mtimeMs} = statSync(path);
		return [path, size, mtimeMs];
	} catch {
		return [path];
	}
}

function readEntries(file: string): Entry[] {
	try {
		const {entries} = JSON.parse(readFileSync(file, 'utf8')) as {entries?: unknown};
		return Array.isArray(entries) ? (entries as Entry[]) : [];
	} catch {
		return [];
	}
}

/**
 * Keeps this launch's first frame for the next launch like it, at once (a program killed right after its
 * first frame keeps it too), unless the cache already holds it. Once; never fails.
 */
export function keepFirstFrame(): void {
	// A frame drawn for another size than the key's (the terminal was resized meanwhile) is not that launch's.
	const {columns, rows} = process.stdout;
	if (kept || handoff === undefined || !cacheable || firstFrame === undefined || firstFrame === handoff.shown || columns !== handoff.columns || rows !== handoff.rows) {
		return;
	}

	kept = true;

	const entry: Entry = {key: handoff.key, files: [...files].map(fileState), screen: firstFrame};
	const temporary = `${handoff.file}.${process.pid}`;
	try {
		const others = readEntries(handoff.file).filter(other => other.key !== entry.key);
		mkdirSync(dirname(handoff.file), {recursive: true, mode: 0o700});
		writeFileSync(temporary, JSON.stringify({entries: [entry, ...others].slice(0, keptEntries)}), {mode: 0o600});
		renameSync(temporary, handoff.file);
	} catch {
		// A cache: a full disk or a read-only home only costs the next launch its early frame.
		rmSync(temporary, {force: true});
	}
}
