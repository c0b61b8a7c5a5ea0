import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {isListening} from '../helpers/ports.js';
import {waitFor} from '../helpers/wait.js';
import {e2eSession, hasStatus, portTuple, type Peer} from './support.js';

// Rooms: two tui-netchat instances and a plain nc in one `ncat -l --chat` or `ncat -l --broker` relay.
// Nothing may be credited to the wrong person, and the plain participant gets plain lines only.

const {tmux, peers, chat} = e2eSession('rooms');

type Mode = 'chat' | 'broker';
type Credit = {readonly from: string; readonly text: string; readonly row: string};

/** Message rows of a pane ("12:30:01 tcp <alice> text"); any one-word label may stand before the sender. */
function credits(pane: string): Credit[] {
	return pane.split('\n').flatMap(row => {
		const match = /^\d{2}:\d{2}:\d{2} (?:\S+ )?<([^>]+)> (.*?)\s*$/.exec(row);
		return match?.[1] !== undefined && match[2] !== undefined ? [{from: match[1], text: match[2], row}] : [];
	});
}

/** Who the pane credits `text` to: every sender it is shown under (own lines: with "(sent)" or ✓ after it). */
function creditedTo(pane: string, text: string): string[] {
	return credits(pane)
		.filter(credit => credit.text.replace(/ (?:✓|\(sent\)|\(pending\))$/, '') === text)
		.map(credit => credit.from);
}

/** Connections the relay on `port` has accepted and not yet lost (its side of them in /proc/net/tcp). */
function established(port: number): number {
	const hexPort = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
	return readFileSync('/proc/net/tcp', 'utf8')
		.split('\n')
		.slice(1)
		.filter(row => {
			const fields = row.trim().split(/\s+/);
			return fields[1]?.endsWith(hexPort) && fields[3] === '01';
		}).length;
}

/** ncat --chat's lines as speaker and text: announcements dropped, "<userN> " taken off, \ooo escapes undone. */
function relayed(raw: string): Array<{readonly user: string | undefined; readonly text: string}> {
	let user: string | undefined;
	return raw
		.split('\n')
		.slice(0, -1)
		.filter(line => !line.startsWith('<announce> '))
		.map(line => {
			const prefixed = /^<(user\d+)> (.*)$/s.exec(line);
			user = prefixed ? prefixed[1] : user;
			const body = prefixed?.[2] ?? line;
			const bytes = body.split(/(\\[0-3][0-7]{2})/).map(part => (/^\\[0-3][0-7]{2}$/.test(part) ? Buffer.of(Number.parseInt(part.slice(1), 8)) : Buffer.from(part)));
			return {user, text: Buffer.concat(bytes).toString('utf8')};
		});
}

const greeting = /^\*\*\* (alice|bob) is here via tui-netchat \(tnc\/1 port \d+\)$/;

/** Lines the raw participant got, as text (for --chat: prefixes, announcements and escapes undone). */
function ncText(nc: Peer, mode: Mode): string[] {
	const raw = nc.stdout().toString('utf8');
	return mode === 'broker' ? raw.split('\n').slice(0, -1) : relayed(raw).map(line => line.text);
}

/** Waits until nc has a line ending in `text` (a tagged one too: the assertions at the end tell them apart). */
async function ncGot(nc: Peer, mode: Mode, text: string): Promise<void> {
	await waitFor(() => ncText(nc, mode).some(line => line === text || line.endsWith(` ${text}`)), {
		what: `the raw participant to get "${text}"`,
		describe: () => `nc stdout so far: ${JSON.stringify(nc.stdout().toString('utf8'))}`,
	});
}

/** Waits until the pane shows `text` at the end of a message row (with a tag before it too: see the assertions). */
async function paneShows(name: string, text: string): Promise<string> {
	return tmux.waitForPane(name, pane => credits(pane).some(credit => credit.text === text || credit.text.endsWith(` ${text}`)), `"${text}"`);
}

describe('rooms: two tui-netchat instances and a plain nc in one ncat relay', () => {
	for (const mode of ['chat', 'broker'] as const) {
		it(`ncat -l --${mode}: every line credited to its sender or to the room, plain lines only for nc`, async () => {
			const [relayPort, alicePort, bobPort] = await portTuple(3);
			const room = `127.0.0.1:${relayPort}`;
			peers.spawn('ncat', ['-l', `--${mode}`, '127.0.0.1', String(relayPort)]);
			await waitFor(() => isListening(relayPort, 'tcp'), {what: `ncat --${mode} on port ${relayPort}`});

			tmux.start('alice', chat('--port', String(alicePort), '-n', 'alice', '--peer', room, '--protocol', 'tcp'));
			await waitFor(() => established(relayPort) >= 1, {what: 'alice to join the relay'});
			tmux.start('bob', chat('--port', String(bobPort), '-n', 'bob', '--peer', room, '--protocol', 'tcp'));
			await waitFor(() => established(relayPort) >= 2, {what: 'bob to join the relay'});
			const nc = peers.spawn('nc', ['127.0.0.1', String(relayPort)]);
			await waitFor(() => established(relayPort) >= 3, {what: 'nc to join the relay'});
			if (mode === 'chat') {
				// Accepted, not only queued: ncat has announced nc to itself.
				await waitFor(() => nc.stdout().toString('utf8').includes('<announce> already connected: '), {what: "ncat's announcement of nc"});
			}

			await tmux.waitForPane('alice', pane => hasStatus(pane, 'TCP'), 'the status bar');
			await tmux.waitForPane('bob', pane => hasStatus(pane, 'TCP'), 'the status bar');

			tmux.submit('alice', 'hello from alice');
			await paneShows('bob', 'hello from alice');
			await ncGot(nc, mode, 'hello from alice');
			tmux.submit('bob', 'hello from bob');
			await paneShows('alice', 'hello from bob');
			await ncGot(nc, mode, 'hello from bob');
			nc.write('hi from nc\n');
			await paneShows('bob', 'hi from nc');
			await paneShows('alice', 'hi from nc');
			tmux.submit('alice', '你好 from alice');
			const bobPane = await paneShows('bob', '你好 from alice');
			await ncGot(nc, mode, '你好 from alice');
			// Until alice's last line has settled (a plain send, or ✓ when someone answered it), what follows
			// it on the wire (an acknowledgement, a greeting) may still be on its way to nc. Still "(sent)" after
			// 10 s: (c) below reports it.
			const alicePane = await tmux
				.waitForPane('alice', pane => credits(pane).some(credit => credit.from === 'alice' && /^你好 from alice(?: ✓)?$/.test(credit.text)), 'alice’s last line, settled')
				.catch(() => tmux.capture('alice'));

			// (a) Credits: each line shown once, as its exact text, under the right name.
			for (const [pane, text] of [[bobPane, 'hello from alice'], [alicePane, 'hello from bob'], [bobPane, 'hi from nc'], [alicePane, 'hi from nc'], [bobPane, '你好 from alice']] as const) {
				expect.soft(creditedTo(pane, text), `"${text}" shown once, exactly:\n${pane}`).toHaveLength(1);
			}

			const ncUser = /^<announce> \S+ is connected as <(user\d+)>\.$/m.exec(nc.stdout().toString('utf8'))?.[1];
			const ncCredit = creditedTo(bobPane, 'hi from nc');
			expect.soft(ncCredit, `nc's line on bob's screen:\n${bobPane}`).not.toContain('alice');
			expect.soft(ncCredit, `nc's line on bob's screen:\n${bobPane}`).not.toContain('bob');
			expect.soft(creditedTo(alicePane, 'hi from nc'), `nc's line on alice's screen:\n${alicePane}`).not.toContain('alice');
			expect.soft(creditedTo(alicePane, 'hi from nc'), `nc's line on alice's screen:\n${alicePane}`).not.toContain('bob');
			if (mode === 'chat') {
				expect(ncUser, `nc's own announcement: ${JSON.stringify(nc.stdout().toString('utf8'))}`).toBeDefined();
				expect.soft(ncCredit, `nc's line on bob's screen:\n${bobPane}`).toEqual([ncUser]);
				expect.soft(creditedTo(bobPane, 'hello from alice'), `alice's line on bob's screen:\n${bobPane}`).toEqual(['alice']);
				expect.soft(creditedTo(bobPane, '你好 from alice'), `alice's line on bob's screen:\n${bobPane}`).toEqual(['alice']);
				expect.soft(creditedTo(alicePane, 'hello from bob'), `bob's line on alice's screen:\n${alicePane}`).toEqual(['bob']);
			} else {
				// Through a broker a line cannot be told from another: the room's, or its real sender's.
				for (const text of ['hello from alice', '你好 from alice']) {
					expect.soft(creditedTo(bobPane, text).filter(from => from !== 'alice' && from !== room), `"${text}" on bob's screen:\n${bobPane}`).toEqual([]);
				}

				expect.soft(creditedTo(alicePane, 'hello from bob').filter(from => from !== 'bob' && from !== room), `bob's line on alice's screen:\n${alicePane}`).toEqual([]);
			}

			// (b) What the raw participant got, byte for byte.
			const raw = nc.stdout();
			const text = raw.toString('utf8');
			expect(Buffer.from(text, 'utf8').equals(raw), 'nc got valid UTF-8').toBe(true);
			expect.soft(text.endsWith('\n'), `nc got whole lines: ${JSON.stringify(text)}`).toBe(true);
			const lines = ncText(nc, mode);
			const greetings = lines.filter(line => greeting.test(line)).map(line => greeting.exec(line)?.[1]);
			expect.soft(lines.filter(line => !greeting.test(line)), `nc got: ${JSON.stringify(text)}`).toEqual(['hello from alice', 'hello from bob', '你好 from alice']);
			expect.soft(greetings.filter(nick => nick === 'alice').length, `alice's greetings in ${JSON.stringify(text)}`).toBeLessThanOrEqual(1);
			expect.soft(greetings.filter(nick => nick === 'bob').length, `bob's greetings in ${JSON.stringify(text)}`).toBeLessThanOrEqual(1);
			expect.soft(text, 'no tags, no acknowledgements').not.toMatch(/@id=|@ack=/);
			if (mode === 'chat') {
				expect.soft(text, 'ncat escapes what is not printable ASCII').toMatch(/^[\t\n\r\u0020-\u007E]*$/);
				expect.soft(text).toMatch(/^<user\d+> \\344\\275\\240\\345\\245\\275 from alice$/m);
				const speakers = relayed(text);
				const by = (line: string) => speakers.find(entry => entry.text === line)?.user;
				expect.soft(by('hello from alice'), 'both of alice’s lines come from one ncat user').toBe(by('你好 from alice'));
				expect.soft(by('hello from bob')).not.toBe(by('hello from alice'));
			}

			// (c) Nobody in a room confirms a line: alice's own lines carry no ✓.
			const own = credits(alicePane).filter(credit => credit.from === 'alice');
			expect.soft(own.map(credit => credit.text.replace(/ ✓$/, '')), `alice's screen:\n${alicePane}`).toEqual(['hello from alice', '你好 from alice']);
			expect.soft(own.filter(credit => credit.row.endsWith('✓')).map(credit => credit.row), 'own lines with ✓').toEqual([]);
		}, 90_000);
	}
});
