import {mkdirSync} from 'node:fs';
import {explainError} from '../transport/errors.js';
import type {FilesContext} from './context.js';
import {formatSize} from '../../domain/files.js';
import {addressFor, receiveOnce, serveOnce} from './plain-peers.js';

/** A word for a POSIX shell, pasted as it is: single quotes, a quote inside as '\''. */
export function shellWord(text: string): string {
	return `'${text.replaceAll("'", "'\\''")}'`;
}

/** /send to a plain peer and /receive: one-shot ports and the nc command for the other end. */
export class PlainTransfers {
	private readonly oneShots = new Set<() => void>();

	constructor(private readonly context: FilesContext) {}

	close(): void {
		for (const close of this.oneShots) {
			close();
		}
	}

	async send(path: string, name: string, conversation: string, peerHost: string | undefined): Promise<void> {
		try {
			const shot = await serveOnce(path, this.context.bind);
			this.oneShots.add(shot.close);
			const host = addressFor(peerHost, this.context.bind);
			// -d: nc reads nothing from its terminal, and ends when we close.
			this.context.say(`Not a tui-netchat peer: it receives ${name} with  nc -d ${host} ${shot.port} > ${shellWord(name)}  (served once, then the port closes).`, 'info', conversation);
			const {bytes} = await shot.done.finally(() => this.oneShots.delete(shot.close));
			this.context.say(`Sent ${name} over port ${shot.port} (${formatSize(bytes)}); the port is closed.`, 'info', conversation);
		} catch (error) {
			this.context.say(`Serving ${name} stopped: ${explainError(error)}.`, 'error', conversation);
		}
	}

	async receive(name: string, conversation: string | undefined): Promise<void> {
		const directory = this.context.downloads;
		try {
			mkdirSync(directory, {recursive: true});
			const shot = await receiveOnce(directory, name, this.context.bind);
			this.oneShots.add(shot.close);
			const host = addressFor(undefined, this.context.bind);
			// -N: netcat-openbsd (Debian's nc) sends the end of the file only with it.
			this.context.say(`Waiting for one sender on port ${shot.port}: it runs  nc -N ${host} ${shot.port} < FILE  (traditional netcat: -q0; ncat: --send-only), saved as ${name} in ${directory}.`, 'info', conversation);
			const {bytes, path, sha256} = await shot.done.finally(() => this.oneShots.delete(shot.close));
			this.context.say(`Received ${formatSize(bytes)} (${bytes} bytes) on port ${shot.port}: saved as ${path ?? name}, sha256 ${sha256 ?? ''}.`, 'info', conversation);
		} catch (error) {
			this.context.say(`/receive: ${explainError(error)}.`, 'error', conversation);
		}
	}
}
