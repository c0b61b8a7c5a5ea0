import {mkdirSync} from 'node:fs';
import {explainError} from '../transport/errors.js';
import type {FilesContext} from './context.js';
import {formatSize} from '../../domain/files.js';
import {addressFor, receiveOnce, serveOnce, type OneShot, type OneShotProgress} from './plain-peers.js';
import {newTransferId} from './sending.js';
import type {TransferBook} from './transfer-book.js';
import type {Transfer} from './transfer.js';

/** A word for a POSIX shell, pasted as it is: single quotes, a quote inside as '\''. */
export function shellWord(text: string): string {
	return `'${text.replaceAll("'", "'\\''")}'`;
}

/**
 * /send to a plain peer and /receive: one-shot ports and the nc command for the other end. Each is a
 * transfer in /transfers, with its progress; /cancel N closes its port.
 */
export class PlainTransfers {
	constructor(
		private readonly context: FilesContext,
		private readonly book: TransferBook,
	) {}

	close(): void {
		for (const transfer of this.book.all) {
			transfer.plain?.close?.();
		}
	}

	/** The port is open: /cancel closes it from now on (one cancelled while it opened closes at once). */
	private opened(transfer: Transfer, shot: OneShot): OneShot {
		transfer.plain!.close = shot.close;
		if (transfer.state === 'cancelled') {
			shot.close();
		}

		return shot;
	}

	async send(path: string, name: string, size: number, conversation: string, peer: string, peerHost: string | undefined): Promise<void> {
		const transfer = this.book.add({id: newTransferId(), direction: 'send', state: 'offered', name, conversation, peer, size, sha256: '', plain: {}});
		try {
			const shot = this.opened(transfer, await serveOnce(path, this.context.bind, this.progress(transfer)));
			const host = addressFor(peerHost, this.context.bind);
			// -d: nc reads nothing from its terminal, and ends when we close.
			this.context.say(`Not a tui-netchat peer: it receives ${name} with  nc -d ${host} ${shot.port} > ${shellWord(name)}  (served once, then the port closes: transfer ${transfer.number}, /cancel ${transfer.number} closes it).`, 'info', conversation);
			const {bytes} = await shot.done;
			transfer.state = 'done';
			this.context.say(`Sent ${name} over port ${shot.port} (${formatSize(bytes)}); the port is closed.`, 'info', conversation);
		} catch (error) {
			this.failed(transfer, `Serving ${name} stopped: ${explainError(error)}.`);
		} finally {
			this.context.changed();
		}
	}

	async receive(name: string, conversation: string | undefined): Promise<void> {
		const directory = this.context.downloads;
		const transfer = this.book.add({id: newTransferId(), direction: 'receive', state: 'offered', name, conversation, peer: 'a plain sender', size: 0, sha256: '', sizeUnknown: true, plain: {}});
		try {
			mkdirSync(directory, {recursive: true});
			const shot = this.opened(transfer, await receiveOnce(directory, name, this.context.bind, this.progress(transfer)));
			const host = addressFor(undefined, this.context.bind);
			// -N: netcat-openbsd (Debian's nc) sends the end of the file only with it.
			this.context.say(`Waiting for one sender on port ${shot.port}: it runs  nc -N ${host} ${shot.port} < FILE  (traditional netcat: -q0; ncat: --send-only), saved as ${name} in ${directory} (transfer ${transfer.number}, /cancel ${transfer.number} closes the port).`, 'info', conversation);
			const {bytes, path, sha256} = await shot.done;
			transfer.state = 'done';
			this.context.say(`Received ${formatSize(bytes)} (${bytes} bytes) on port ${shot.port}: saved as ${path ?? name}, sha256 ${sha256 ?? ''}.`, 'info', conversation);
		} catch (error) {
			this.failed(transfer, `/receive: ${explainError(error)}.`);
		} finally {
			this.context.changed();
		}
	}

	/** Any end but /cancel is a failure, in one line; after /cancel (which says so) only where what came is kept. */
	private failed(transfer: Transfer, line: string): void {
		if (transfer.state !== 'cancelled') {
			transfer.state = 'failed';
			this.context.say(line, 'error', transfer.conversation);
		} else if (transfer.direction === 'receive' && transfer.meter.done > 0) {
			this.context.say(line, 'info', transfer.conversation);
		}
	}

	private progress(transfer: Transfer): OneShotProgress {
		return {
			connected: from => {
				transfer.state = 'running';
				if (transfer.direction === 'receive') {
					transfer.peer = from;
				}

				transfer.meter.reset(0, this.context.now());
				this.context.changed();
			},
			moved: bytes => {
				transfer.meter.add(bytes, this.context.now());
			},
		};
	}
}
