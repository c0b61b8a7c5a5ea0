import type {KeyEvent} from '../keys/decode.js';
import type {InputLine} from './input-line.js';

/** A multi-line paste held until Enter sends it or Esc drops it. */
export type HeldPaste = {
	/** The line as it was when the paste came: Esc gives it back, so only the paste is dropped. */
	readonly saved: InputLine;
	/** The pasted lines, the last of which may still grow. */
	readonly lines: readonly string[];
	/** It came whole between brackets: later chunks are typing, not more of it. */
	readonly whole: boolean;
};

/** Adds a chunk of pasted events to the pasted lines so far (the last one may still grow). */
export function appendPasted(lines: readonly string[], events: readonly KeyEvent[]): string[] {
	const next = lines.length === 0 ? [''] : [...lines];
	for (const event of events) {
		if (event.type === 'text') {
			next[next.length - 1] += event.text;
		} else if (event.name === 'enter' || event.name === 'newline') {
			next.push('');
		} else if (event.name === 'complete') {
			// A pasted Tab: a space, as it always was.
			next[next.length - 1] += ' ';
		}
	}

	return next;
}

export function nonEmpty(lines: readonly string[]): string[] {
	return lines.filter(line => line.trim() !== '');
}

/**
 * Without bracketed paste, a chunk is a paste of several lines when it holds a line break followed by more
 * text, or two breaks.
 */
export function looksPasted(events: readonly KeyEvent[]): boolean {
	const enters = events.filter(event => event.type === 'key' && event.name === 'enter').length;
	const last = events.at(-1);
	const endsWithEnter = last?.type === 'key' && last.name === 'enter';
	return enters > 1 || (enters === 1 && !endsWithEnter);
}

/**
 * The lines Enter sends: the paste went in at the cursor, so what was typed before the cursor starts its
 * first line and what was after the cursor ends its last.
 */
export function pastedLines(held: HeldPaste): string[] {
	const {value, cursor} = held.saved;
	const lines = held.lines.length === 0 ? [''] : [...held.lines];
	lines[0] = value.slice(0, cursor) + (lines[0] ?? '');
	lines[lines.length - 1] += value.slice(cursor);
	return nonEmpty(lines);
}

/**
 * Typed Tab completes; a Tab with more text after it in the same read is part of a paste (a terminal without
 * bracketed paste) and stays a space.
 */
export function pastedTabsAsSpaces(events: readonly KeyEvent[]): KeyEvent[] {
	return events.map((event, index) =>
		event.type === 'key' && event.name === 'complete' && events.slice(index + 1).some(later => later.type === 'text') ? {type: 'text', text: ' '} : event,
	);
}
