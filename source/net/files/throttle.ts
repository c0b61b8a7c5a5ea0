import {Transform, type TransformCallback} from 'node:stream';

/** Holds bytes back to at most `rate` bytes a second (TUI_NETCHAT_FILE_RATE: a bandwidth limit, as rsync's --bwlimit). */
export class Throttle extends Transform {
	private readonly began = Date.now();
	private passed = 0;

	constructor(private readonly rate: number) {
		super();
	}

	override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
		this.passed += chunk.length;
		const due = this.began + (this.passed * 1000) / this.rate - Date.now();
		this.push(chunk);
		if (due > 0) {
			setTimeout(done, due);
		} else {
			done();
		}
	}
}

/** The limit from the environment, if a positive number of bytes a second is set. */
export function fileRate(env: NodeJS.ProcessEnv = process.env): number | undefined {
	const rate = Number(env['TUI_NETCHAT_FILE_RATE']);
	return Number.isFinite(rate) && rate > 0 ? rate : undefined;
}
