import {casefold, parseNamesEntry, prefixSymbol, type ServerSupport} from './isupport.js';

export type Member = {nick: string; modes: string};

export type Channel = {
	/** As the server spells it. */
	name: string;
	topic: string | undefined;
	/** Folded nick -> who, with their channel modes ("ov"). */
	readonly members: Map<string, Member>;
	/** We are in it; false after a part, a kick or a disconnect (a wanted channel is rejoined). */
	joined: boolean;
	/** RPL_NAMREPLY lines gather here until RPL_ENDOFNAMES replaces the member list. */
	names: Map<string, Member> | undefined;
};

/** Most members a channel keeps (a huge channel's nick list is cut, never its messages). */
const maxMembers = 20_000;
const maxChannels = 500;
/** Longer "nicks" are a server's trick to fill memory, not people. */
const maxNickLength = 64;

/**
 * Channel modes other than the member prefixes that take an argument, as most servers have them (CHANMODES
 * lists A,B,C,D): lists (ban b, exceptions e and I, quiet q) and the key k always; a limit l, forward f and
 * join throttle j only when set. Skipping their arguments keeps "+ko key alice" giving the op to alice.
 */
const argumentAlways = new Set(['b', 'e', 'I', 'q', 'k']);
const argumentWhenSet = new Set(['l', 'f', 'j']);

/** The channels of one network and who is in them. Pure: it reads server messages given to it. */
export class Channels {
	private readonly byName = new Map<string, Channel>();

	constructor(private readonly support: () => ServerSupport) {}

	fold(name: string): string {
		return casefold(name, this.support().casemapping);
	}

	get(name: string): Channel | undefined {
		return this.byName.get(this.fold(name));
	}

	list(): Channel[] {
		return [...this.byName.values()];
	}

	/** The channel, begun if new; past maxChannels a new one is not kept (a server forcing joins on us). */
	ensure(name: string): Channel {
		const key = this.fold(name);
		let channel = this.byName.get(key);
		if (channel === undefined) {
			channel = {name, topic: undefined, members: new Map(), joined: false, names: undefined};
			if (this.byName.size < maxChannels) {
				this.byName.set(key, channel);
			}
		}

		return channel;
	}

	/** Keys everything again with the folding of now (after the server's CASEMAPPING changed). */
	refold(): void {
		const channels = [...this.byName.values()];
		this.byName.clear();
		for (const channel of channels) {
			const members = [...channel.members.values()];
			channel.members.clear();
			for (const member of members) {
				channel.members.set(this.fold(member.nick), member);
			}

			this.byName.set(this.fold(channel.name), channel);
		}
	}

	forget(name: string): void {
		this.byName.delete(this.fold(name));
	}

	join(name: string, nick: string): Channel {
		const channel = this.ensure(name);
		if (channel.members.size < maxMembers && nick.length <= maxNickLength) {
			channel.members.set(this.fold(nick), {nick, modes: ''});
		}

		return channel;
	}

	/** Someone left a channel; for us, the channel is left. */
	leave(name: string, nick: string, self: boolean): Channel | undefined {
		const channel = this.get(name);
		if (channel === undefined) {
			return undefined;
		}

		if (self) {
			channel.joined = false;
			channel.members.clear();
		} else {
			channel.members.delete(this.fold(nick));
		}

		return channel;
	}

	/** The channels a nick was in as it quit (each loses it). */
	quit(nick: string): Channel[] {
		const key = this.fold(nick);
		return this.list().filter(channel => channel.members.delete(key));
	}

	/** The channels a nick is in, as it changes to another. */
	rename(from: string, to: string): Channel[] {
		const [oldKey, newKey] = [this.fold(from), this.fold(to)];
		const found: Channel[] = [];
		for (const channel of this.byName.values()) {
			const member = channel.members.get(oldKey);
			if (member) {
				channel.members.delete(oldKey);
				channel.members.set(newKey, {nick: to, modes: member.modes});
				found.push(channel);
			}
		}

		return found;
	}

	/** RPL_NAMREPLY: only for a channel we are in (NAMES #other, or NAMES alone with its "*", is not tracked). */
	names(name: string, entries: readonly string[]): void {
		const channel = this.get(name);
		if (channel?.joined !== true) {
			return;
		}

		channel.names ??= new Map();
		for (const entry of entries) {
			const member = parseNamesEntry(entry, this.support());
			if (member.nick !== '' && member.nick.length <= maxNickLength && channel.names.size < maxMembers) {
				channel.names.set(this.fold(member.nick), {nick: member.nick, modes: member.modes});
			}
		}
	}

	endNames(name: string): Channel | undefined {
		const channel = this.get(name);
		if (channel?.names) {
			channel.members.clear();
			for (const [key, member] of channel.names) {
				channel.members.set(key, member);
			}

			channel.names = undefined;
		}

		return channel;
	}

	/** MODE #chan +o-v alice bob: member prefixes change; other modes take their arguments as the server says. */
	mode(name: string, modes: string, args: readonly string[]): void {
		const channel = this.get(name);
		if (channel === undefined) {
			return;
		}

		const prefixModes = new Set(this.support().prefixes.map(prefix => prefix.mode));
		let adding = true;
		let next = 0;
		for (const letter of modes) {
			if (letter === '+' || letter === '-') {
				adding = letter === '+';
				continue;
			}

			if (!prefixModes.has(letter)) {
				if (argumentAlways.has(letter) || (adding && argumentWhenSet.has(letter))) {
					next++;
				}

				continue;
			}

			const member = channel.members.get(this.fold(args[next++] ?? ''));
			if (member) {
				const without = member.modes.replace(letter, '');
				const order = this.support().prefixes.map(prefix => prefix.mode).join('');
				member.modes = adding ? [...order].filter(mode => without.includes(mode) || mode === letter).join('') : without;
			}
		}
	}

	/** "@alice", "bob": highest rank first, then by name, for the nick list. */
	memberList(channel: Channel): string[] {
		const support = this.support();
		const rank = (modes: string) => {
			const index = support.prefixes.findIndex(prefix => modes.includes(prefix.mode));
			return index === -1 ? support.prefixes.length : index;
		};

		return [...channel.members.values()]
			.sort((a, b) => rank(a.modes) - rank(b.modes) || a.nick.localeCompare(b.nick))
			.map(member => `${prefixSymbol(member.modes, support)}${member.nick}`);
	}
}
