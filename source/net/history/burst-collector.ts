import {runInNewContext} from 'node:vm';

/** Messages of a flood between two full collections, and their least distance in time. */
const floodMessages = 50_000;
const floodGapMs = 500;
/** After this many messages, a quarter of a second without any ends the flood with one more collection. */
const burstMessages = 20_000;
const quietMs = 250;

let collector: (() => void) | undefined;

/** V8's gc(), reached without --expose-gc on the command line. */
function fullCollection(): void {
	if (collector === undefined) {
		// Loaded here, not at import: node:v8 costs ~3 ms of every start-up.
		process.getBuiltinModule('node:v8').setFlagsFromString('--expose-gc');
		collector = runInNewContext('gc') as () => void;
	}

	collector();
}

/**
 * A flood of messages (a million lines over TCP) leaves V8's old space grown with its garbage, and the heap
 * does not shrink for many seconds: resident memory stayed ~35 MB above what the program needs. A full
 * collection (~5 ms on this heap) every 50,000 messages of a flood, and one when it is over, keeps it down.
 */
export class BurstCollector {
	private sinceCollection = 0;
	private seen = 0;
	private lastCollection = 0;
	private timer: NodeJS.Timeout | undefined;

	constructor(
		private readonly collect: () => void = fullCollection,
		private readonly now: () => number = Date.now,
	) {}

	/** One more message came. */
	added(): void {
		this.sinceCollection++;
		if (this.sinceCollection >= floodMessages && this.sinceCollection % 1000 === 0 && this.now() - this.lastCollection >= floodGapMs) {
			this.run();
		} else if (this.sinceCollection >= burstMessages && this.timer === undefined) {
			this.seen = this.sinceCollection;
			this.timer = setInterval(() => {
				this.check();
			}, quietMs);
			this.timer.unref();
		}
	}

	close(): void {
		clearInterval(this.timer);
		this.timer = undefined;
	}

	private check(): void {
		if (this.sinceCollection === this.seen) {
			this.run();
		} else {
			this.seen = this.sinceCollection;
		}
	}

	private run(): void {
		this.close();
		this.sinceCollection = 0;
		this.lastCollection = this.now();
		this.collect();
	}
}
