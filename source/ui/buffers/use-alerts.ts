import {useEffect, useRef} from 'react';
import {statusConversation} from '../../domain/conversation.js';
import type {DisplayOptions} from '../display-options.js';
import {mentionNotification, rateLimit, ringsFor} from './alerts.js';
import type {BufferList} from './buffer-list.js';

export type AlertWriters = {
	/** Writes BEL to the terminal. */
	readonly bell?: (() => void) | undefined;
	/** Writes a desktop notification (the CLI: OSC 9 or OSC 777); given sanitised, cut text. */
	readonly notify?: ((title: string, body: string) => void) | undefined;
};

/** At most one bell, and one notification, a second. */
const intervalMs = 1000;

/**
 * Rings the bell and sends a notification for what each sync brought, as display says. What was there when
 * the App started (the first render's lines) is not news.
 */
export function useAlerts(list: BufferList, display: DisplayOptions, writers: AlertWriters): void {
	const {arrivals} = list;
	const handled = useRef(arrivals.serial);
	const limits = useRef<{bell: (now: number) => boolean; notify: (now: number) => boolean} | undefined>(undefined);
	limits.current ??= {bell: rateLimit(intervalMs), notify: rateLimit(intervalMs)};
	useEffect(() => {
		if (arrivals.serial === handled.current) {
			return;
		}

		handled.current = arrivals.serial;
		const now = Date.now();
		if (writers.bell && ringsFor(display.bell, arrivals) && limits.current?.bell(now)) {
			writers.bell();
		}

		const {mention} = arrivals;
		if (writers.notify && display.notify && mention && limits.current?.notify(now)) {
			const buffer = list.entries.find(entry => entry.id === mention.buffer);
			const name = buffer === undefined || buffer.id === statusConversation ? '' : buffer.name;
			const {title, body} = mentionNotification(mention, name);
			writers.notify(title, body);
		}
	}, [arrivals]);
}
