import type {TransferSummary} from '../../domain/files.js';
import type {FilesContext} from './context.js';
import {isOver, newTransfer, summarise, type Transfer} from './transfer.js';

/** Transfers that are over, still listed by /transfers. */
const keptFinished = 50;

/** The transfers of this run, numbered as /transfers lists them; the oldest finished ones are forgotten. */
export class TransferBook {
	readonly all: Transfer[] = [];
	private next = 1;

	constructor(
		private readonly say: FilesContext['say'],
		/** An offer not accepted by its time was forgotten. */
		private readonly expired: (transfer: Transfer) => void = () => undefined,
	) {}

	add(fields: Omit<Parameters<typeof newTransfer>[0], 'number'>): Transfer {
		const transfer = newTransfer({...fields, number: this.next++});
		this.all.push(transfer);
		const over = this.all.filter(candidate => isOver(candidate.state));
		for (const old of over.slice(0, Math.max(0, over.length - keptFinished))) {
			this.all.splice(this.all.indexOf(old), 1);
		}

		return transfer;
	}

	summaries(now: number): TransferSummary[] | undefined {
		return this.all.length === 0 ? undefined : this.all.map(transfer => summarise(transfer, now));
	}

	/** Offers not accepted by their time are forgotten. */
	forgetExpired(now: number): void {
		for (const transfer of this.all) {
			if (transfer.direction === 'receive' && transfer.plain === undefined && transfer.state === 'offered' && transfer.expires !== undefined && transfer.expires < now) {
				transfer.state = 'cancelled';
				this.expired(transfer);
			}
		}
	}

	/** The transfer a command means (number N, or without one the latest in one of `states`), or why none. */
	pick(number: number | undefined, direction: Transfer['direction'], states: ReadonlyArray<Transfer['state']>, command: string): Transfer | undefined {
		this.forgetExpired(Date.now());
		const candidates = this.all.filter(transfer => transfer.direction === direction && transfer.plain === undefined && states.includes(transfer.state));
		const transfer = number === undefined ? candidates.at(-1) : candidates.find(candidate => candidate.number === number);
		if (transfer === undefined) {
			this.say(number === undefined ? `${command}: no offer is waiting (/transfers lists them).` : `${command}: transfer ${number} is not waiting for that (/transfers lists them).`, 'error');
		}

		return transfer;
	}
}
