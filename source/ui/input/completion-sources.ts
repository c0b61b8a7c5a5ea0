import {statusConversation, type ConversationSummary} from '../../domain/conversation.js';
import type {ChatSnapshot} from '../../domain/snapshot.js';
import {bufferLines} from '../buffers/buffer-lines.js';
import {commandHelp} from '../commands/parse.js';
import type {CompletionSources} from './completion.js';

/** An IRC member's rank prefix ("@alice", "+bob"): not part of the nick. */
const rankPrefix = /^[~&@%+]+/;

function unique(words: Iterable<string>): string[] {
	const seen = new Set<string>();
	const result: string[] = [];
	for (const word of words) {
		const key = word.toLowerCase();
		if (word !== '' && !seen.has(key)) {
			seen.add(key);
			result.push(word);
		}
	}

	return result;
}

/** "/buffer N, /b N" -> ["/buffer", "/b"]; "//text" names no command. */
export function commandNames(help: ReadonlyArray<readonly [string, string]> = commandHelp): string[] {
	return unique(help.flatMap(([usage]) => usage.split(/,\s*/).map(part => part.split(/\s/)[0] ?? '').filter(name => /^\/[a-z]/i.test(name))));
}

/** Nicks of one buffer: who spoke last first, then the conversation's own name and members; our own nick last. */
function bufferNicks(snapshot: ChatSnapshot, here: ConversationSummary | undefined): string[] {
	const lines = bufferLines(snapshot.lines, here?.id ?? statusConversation);
	const speakers: string[] = [];
	for (let index = lines.length - 1; index >= 0; index--) {
		const line = lines[index];
		if (line?.kind === 'in') {
			speakers.push(line.from);
		}
	}

	const named = here && (here.kind === 'peer' || here.kind === 'query') ? [here.name] : [];
	const members = (here?.members ?? []).map(member => member.replace(rankPrefix, ''));
	const own = [here?.network?.nick ?? snapshot.nick];
	const ownKeys = new Set(own.map(nick => nick.toLowerCase()));
	const others = unique([...speakers, ...named, ...members]).filter(nick => !ownKeys.has(nick.toLowerCase()));
	return [...others, ...own];
}

/** Peers for /query, /msg, /connect: nicks (most recently heard first), then addresses, then numbers. */
function peerTargets(snapshot: ChatSnapshot): string[] {
	const direct = snapshot.conversations.filter(conversation => conversation.network === undefined);
	const byRecent = [...direct].sort((a, b) => b.lastHeard - a.lastHeard);
	const peers = [...snapshot.peers].sort((a, b) => b.lastHeard - a.lastHeard);
	return unique([
		...byRecent.map(conversation => conversation.name),
		...peers.map(peer => peer.name),
		...byRecent.map(conversation => conversation.address),
		...peers.map(peer => peer.address),
		...byRecent.map(conversation => String(conversation.number)),
		...peers.map(peer => String(peer.number)),
	]);
}

/** What Tab can complete in the buffer of conversation id (undefined: buffer 1). Read when Tab is pressed. */
export function completionSources(snapshot: ChatSnapshot, id: string | undefined): CompletionSources {
	const here = id === undefined ? undefined : snapshot.conversations.find(conversation => conversation.id === id);
	const channels = unique(
		snapshot.conversations
			.filter(conversation => conversation.network !== undefined && conversation.kind === 'channel')
			// This network's channels first.
			.sort((a, b) => Number(b.network?.id === here?.network?.id) - Number(a.network?.id === here?.network?.id))
			.map(conversation => conversation.name),
	);
	const nicks = bufferNicks(snapshot, here);
	const ircHere = here?.network !== undefined;
	return {
		nicks,
		commands: commandNames(),
		// In an IRC buffer /query and /msg name nicks on that network; elsewhere peers.
		targets: ircHere ? nicks.slice(0, -1) : peerTargets(snapshot),
		channels,
	};
}
