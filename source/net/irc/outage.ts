import type {IrcClient} from './client.js';

/** Says a connection was lost (or could not be made), why, and when the next attempt is: in the network's buffer and, when told to, in each wanted channel's. */
export function reportOutage(client: IrcClient, {connected, reason, delay, tellChannels}: {readonly connected: boolean; readonly reason: string; readonly delay: number; readonly tellChannels: boolean}): void {
	const lost = connected ? `Disconnected from ${client.address}` : `Cannot connect to ${client.address}`;
	client.sink.info(`${lost}: ${reason}. Trying again in ${Math.ceil(delay / 1000)} s; channels are rejoined.`, 'error');
	if (tellChannels) {
		for (const channel of client.wanted.names()) {
			client.sink.info(`${lost}: ${reason}. Rejoining once ${client.name} is back (the status bar counts down).`, 'error', {channel});
		}
	}
}
