/** Resolves once nothing is in flight and waiting() (a message on a link being dialled, a greeting held back) is false. */
export async function drained(inFlight: ReadonlySet<Promise<unknown>>, waiting: () => boolean): Promise<void> {
	for (;;) {
		if (inFlight.size > 0) {
			// eslint-disable-next-line no-await-in-loop
			await Promise.allSettled([...inFlight]);
		} else if (waiting()) {
			// eslint-disable-next-line no-await-in-loop
			await new Promise(resolve => {
				setTimeout(resolve, 10);
			});
		} else {
			return;
		}
	}
}

/** Keeps a promise in the set while it runs: what drained() waits for. */
export function track(inFlight: Set<Promise<unknown>>, promise: Promise<unknown>): void {
	inFlight.add(promise);
	promise
		.catch(() => undefined)
		.finally(() => {
			inFlight.delete(promise);
		});
}
