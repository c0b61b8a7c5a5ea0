import {setTimeout as delay} from 'node:timers/promises';

export type WaitOptions = {
	/** Give up after this many milliseconds (default 10 s). */
	readonly timeout?: number;
	/** Poll this often, in milliseconds (default 50 ms). */
	readonly interval?: number;
	/** What is being waited for, for the error message. */
	readonly what?: string;
	/** Extra context for the error message on timeout, e.g. the last captured pane. */
	readonly describe?: () => string;
};

export const defaultTimeout = 10_000;

/**
 * Polls `check` until it returns a truthy value and returns that value. Never a fixed sleep: on timeout
 * it throws, naming what it waited for and what it last saw.
 */
export async function waitFor<T>(check: () => T | Promise<T>, options: WaitOptions = {}): Promise<NonNullable<T>> {
	const timeout = options.timeout ?? defaultTimeout;
	const interval = options.interval ?? 50;
	const deadline = Date.now() + timeout;
	let lastError: unknown;
	for (;;) {
		try {
			const value = await check();
			if (value !== undefined && value !== null && value !== false) {
				return value as NonNullable<T>;
			}

			lastError = undefined;
		} catch (error) {
			lastError = error;
		}

		if (Date.now() >= deadline) {
			const parts = [`timed out after ${timeout} ms waiting for ${options.what ?? 'a condition'}`];
			if (lastError !== undefined) {
				parts.push(`last error: ${lastError instanceof Error ? lastError.message : String(lastError)}`);
			}

			if (options.describe) {
				parts.push(options.describe());
			}

			throw new Error(parts.join('\n'));
		}

		await delay(interval);
	}
}
