import {TokenBucket} from '../session/token-bucket.js';

/** A burst of 20 answers then 10 a second in all: what a LAN full of newcomers needs, and no more. */
const answerBurst = 20;
const answersPerSecond = 10;
/**
 * 4 then 1 a second to any one address, so one sender flooding questions cannot use up the answers: an honest
 * newcomer asks at most twice at once ('who' and its first announcement) and then once every half second or more.
 */
const senderBurst = 4;
const senderPerSecond = 1;
/** Senders remembered; one forgotten (least recently asking) starts again with a full burst. */
const sendersTracked = 64;

/** How many answers discovery may send, overall and to each sender; what is over is refused, not queued. */
export class AnswerLimit {
	private readonly overall: TokenBucket;
	private readonly bySender = new Map<string, TokenBucket>();

	constructor(private readonly now: () => number = Date.now) {
		this.overall = new TokenBucket(answerBurst, answersPerSecond, now);
	}

	/** One token from the sender's own bucket first, so a flooder spends its own and not the shared ones. */
	take(sender: string): boolean {
		let bucket = this.bySender.get(sender);
		if (bucket) {
			this.bySender.delete(sender);
		} else {
			bucket = new TokenBucket(senderBurst, senderPerSecond, this.now);
			if (this.bySender.size >= sendersTracked) {
				const oldest = this.bySender.keys().next().value;
				if (oldest !== undefined) {
					this.bySender.delete(oldest);
				}
			}
		}

		this.bySender.set(sender, bucket);
		return bucket.take() && this.overall.take();
	}
}
