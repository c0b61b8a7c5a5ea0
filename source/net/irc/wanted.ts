type WantedChannel = {readonly name: string; readonly key: string | undefined};

/** JOIN lines for many channels: ten a line without keys, one a line with its key. */
function joinParams(channels: readonly WantedChannel[]): string[][] {
	const plain = channels.filter(channel => channel.key === undefined).map(channel => channel.name);
	const lines: string[][] = [];
	for (let start = 0; start < plain.length; start += 10) {
		lines.push([plain.slice(start, start + 10).join(',')]);
	}

	for (const channel of channels) {
		if (channel.key !== undefined) {
			lines.push([channel.name, channel.key]);
		}
	}

	return lines;
}

/** The channels the user wants to be in, by folded name: joined at every (re)connect, with their keys. */
export class WantedChannels {
	private readonly byName = new Map<string, WantedChannel>();

	constructor(private readonly fold: (name: string) => string) {}

	add(name: string, key?: string): void {
		this.byName.set(this.fold(name), {name, key});
	}

	delete(name: string): void {
		this.byName.delete(this.fold(name));
	}

	has(name: string): boolean {
		return this.byName.has(this.fold(name));
	}

	names(): string[] {
		return [...this.byName.values()].map(channel => channel.name);
	}

	/** JOIN parameters for all of them: ten a line without keys, one a line with its key. */
	joinLines(): string[][] {
		return joinParams([...this.byName.values()]);
	}

	/** The folding changed (the server's CASEMAPPING): keyed anew. */
	refold(): void {
		const channels = [...this.byName.values()];
		this.byName.clear();
		for (const channel of channels) {
			this.byName.set(this.fold(channel.name), channel);
		}
	}
}
