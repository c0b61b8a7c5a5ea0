// The bounded caches of source/ui/screen/ink-output.ts, shared by all frames: widths, slices and tokens of
// text seen before, the styled lines and serialised rows made from them. Its imports resolve where Ink's
// output.js resolves them (scripts/build.mjs, patch "ink-output"), so the results are Ink's own.
import {tokenize, type Token} from '@alcalzone/ansi-tokenize';
import sliceAnsi from 'slice-ansi';
import stringWidth from 'string-width';
import type {StyledLine} from './ink-output-row.js';

/**
 * A map that forgets: when it holds `limit` entries, they become the previous generation (still found, and
 * brought back when used) and the generation before that goes. At most 2 × limit entries.
 */
export class BoundedCache<V> {
	private current = new Map<string, V>();
	private previous = new Map<string, V>();

	constructor(private readonly limit: number) {}

	get(key: string): V | undefined {
		const value = this.current.get(key);
		if (value !== undefined) {
			return value;
		}

		const old = this.previous.get(key);
		if (old !== undefined) {
			this.set(key, old);
		}

		return old;
	}

	set(key: string, value: V): void {
		if (this.current.size >= this.limit) {
			this.previous = this.current;
			this.current = new Map();
		}

		this.current.set(key, value);
	}

	get size(): number {
		return this.current.size + this.previous.size;
	}

	clear(): void {
		this.current.clear();
		this.previous.clear();
	}
}

export const caches = {
	widths: new BoundedCache<number>(4096),
	blockWidths: new BoundedCache<number>(1024),
	slices: new BoundedCache<string>(1024),
	// Arrays of a few objects per character: kept fewer.
	styledLines: new BoundedCache<StyledLine>(256),
	tokens: new BoundedCache<Token[]>(512),
	// Serialised rows, by width and the writes that make them.
	rows: new BoundedCache<string>(1024),
};

/** Whether two characters are one grapheme to Ink's tokenize (ink-output-tokenize.ts). */
export const joins = new BoundedCache<boolean>(1024);

/** Empties every cache above. */
export function clearCaches(): void {
	for (const cache of Object.values(caches)) {
		cache.clear();
	}

	joins.clear();
}

/** How many entries the shared caches hold (tests). */
export function outputCacheSizes(): Record<keyof typeof caches, number> {
	return {
		widths: caches.widths.size,
		blockWidths: caches.blockWidths.size,
		slices: caches.slices.size,
		styledLines: caches.styledLines.size,
		tokens: caches.tokens.size,
		rows: caches.rows.size,
	};
}

export function getStringWidth(text: string): number {
	let cached = caches.widths.get(text);
	if (cached === undefined) {
		cached = stringWidth(text);
		caches.widths.set(text, cached);
	}

	return cached;
}

export function getWidestLine(text: string): number {
	let cached = caches.blockWidths.get(text);
	if (cached === undefined) {
		let lineWidth = 0;
		for (const line of text.split('\n')) {
			lineWidth = Math.max(lineWidth, getStringWidth(line));
		}

		cached = lineWidth;
		caches.blockWidths.set(text, cached);
	}

	return cached;
}

export function getSlice(line: string, from: number, to: number): string {
	const key = `${from}\u0000${to}\u0000${line}`;
	let cached = caches.slices.get(key);
	if (cached === undefined) {
		cached = sliceAnsi(line, from, to);
		caches.slices.set(key, cached);
	}

	return cached;
}

export function getTokens(text: string): Token[] {
	let cached = caches.tokens.get(text);
	if (cached === undefined) {
		cached = tokenize(text);
		caches.tokens.set(text, cached);
	}

	return cached;
}
