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

/** The tutorial's chat ports (7852 and 7853 for UDP chat, 8752 for TCP). */
const chatPorts = new Set([7852, 7853, 8752]);

/**
 * Whether an answer may go to this source port. Discovery's senders use ephemeral ports, so a beacon from any port
 * below 1024, a chat port (the tutorial's, ours, the one the sender announced) or the discovery port is spoofed or
 * not ours: answering would aim a datagram at a chat or a system service.
 */
export function answerablePort(port: number, not: {readonly discoveryPort: number; readonly chatPort: number; readonly announcedChatPort?: number | undefined}): boolean {
	return Number.isInteger(port) && port >= 1024 && port <= 65_535 && !chatPorts.has(port) && port !== not.discoveryPort && port !== not.chatPort && port !== not.announcedChatPort;
}

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
