import {describe, expect, it} from 'vitest';
import {waitFor} from '../helpers/wait.js';
import {e2eSession, hasMessage, messages, portTuple, statusBar, type Peer} from './support.js';

// Buffers, irssi/weechat style, as a person uses them: alice talks with bob (another tui-netchat) and with a
// raw UDP peer (python3 on a fixed port). Buffer 1 merges everything; each conversation has its own buffer,
// Alt+N goes there, and the status bar names the buffer shown and marks the others' news ("!": a mention).

const {tmux, peers, chat} = e2eSession('buffers');

/** A raw UDP peer on 127.0.0.1:`own`: each stdin line goes to `to` as one datagram; what it gets is printed. */
const rawPeerScript = `
import socket, sys, threading
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(('127.0.0.1', int(sys.argv[1])))
def read():
    while True:
        data, _ = s.recvfrom(65535)
        sys.stdout.write(data.decode('utf-8', 'replace'))
        sys.stdout.flush()
threading.Thread(target=read, daemon=True).start()
for line in iter(sys.stdin.readline, ''):
    s.sendto(line.encode('utf-8'), ('127.0.0.1', int(sys.argv[2])))
`;

type BufferField = {readonly number: number; readonly name: string; readonly news: ReadonlyMap<number, 'message' | 'mention'>};

/** The status bar's last field, "[2:bob] act 1,3!": the buffer shown and the others' news. */
function bufferField(pane: string): BufferField | undefined {
	const match = /\[(\d+):([^\]]+)\](?: act ([\d,!]+))?$/.exec(statusBar(pane));
	if (!match?.[1] || !match[2]) {
		return undefined;
	}

	const news = new Map<number, 'message' | 'mention'>();
	for (const item of match[3]?.split(',') ?? []) {
		news.set(Number.parseInt(item, 10), item.endsWith('!') ? 'mention' : 'message');
	}

	return {number: Number(match[1]), name: match[2], news};
}

/** The message texts in the pane (own lines without their ✓). */
function texts(pane: string): string[] {
	return messages(pane).map(message => message.text);
}

function shows(pane: string, ...wanted: string[]): boolean {
	return wanted.every(text => texts(pane).includes(text));
}

async function paneShows(name: string, ...wanted: string[]): Promise<string> {
	return tmux.waitForPane(name, pane => shows(pane, ...wanted), wanted.map(text => `"${text}"`).join(', '));
}

/** Waits until alice's status bar's buffer field satisfies `check`. */
async function aliceBar(check: (field: BufferField) => boolean, what: string): Promise<BufferField> {
	const pane = await tmux.waitForPane('alice', pane => {
		const field = bufferField(pane);
		return field !== undefined && check(field);
	}, what);
	return bufferField(pane)!;
}

function received(peer: Peer): string {
	return peer.stdout().toString('utf8');
}

describe('buffers: a merged view and one buffer per conversation', () => {
	it('Alt+N switches buffers, typing goes to the buffer’s conversation, the bar marks news and mentions, /buffers and /close', async () => {
		const [alicePort, bobPort, rawPort] = await portTuple(3);
		const raw = `127.0.0.1:${rawPort}`;
		tmux.start('alice', chat('-n', 'alice', '--port', String(alicePort)));
		tmux.start('bob', chat('-n', 'bob', '--port', String(bobPort), '--peer', `127.0.0.1:${alicePort}`));
		await tmux.waitForPane('alice', pane => statusBar(pane).includes(`port ${alicePort}`), 'the status bar');
		await tmux.waitForPane('bob', pane => statusBar(pane).includes(`port ${bobPort}`), 'the status bar');
		const nc = peers.spawn('python3', ['-u', '-c', rawPeerScript, String(rawPort), String(alicePort)]);

		// 1. bob, then the raw peer: buffer 1 shows both lines.
		tmux.submit('bob', 'hi alice from bob');
		await tmux.waitForPane('alice', pane => hasMessage(pane, {transport: 'udp', from: 'bob', text: 'hi alice from bob'}), "bob's line");
		nc.write('hello from nc\n');
		const merged = await tmux.waitForPane('alice', pane => hasMessage(pane, {transport: 'udp', from: raw, text: 'hello from nc'}), "the raw peer's line");
		expect(shows(merged, 'hi alice from bob', 'hello from nc'), merged).toBe(true);
		// The merged view replies to whoever wrote last: the raw peer, not bob.
		expect(statusBar(merged)).toContain(`reply to ${raw}`);
		// Both conversations have news: bob's line names alice (a mention), the raw peer's does not.
		let field = await aliceBar(field => field.number === 1 && field.news.size === 2, 'news for buffers 2 and 3');
		expect([...field.news]).toEqual([[2, 'mention'], [3, 'message']]);

		// 2. Alt+2: bob's conversation opened first, so it is buffer 2; the pane shows its lines only.
		tmux.press('alice', 'M-2');
		const two = await aliceBar(field => field.number === 2, 'buffer 2 in the status bar');
		expect(two.name, 'bob wrote first: buffer 2 is his').toBe('bob');
		expect([...two.news], 'going to buffer 2 clears its marker').toEqual([[3, 'message']]);
		let pane = await paneShows('alice', 'hi alice from bob');
		expect(texts(pane), `buffer 2 shows bob's conversation only:\n${pane}`).not.toContain('hello from nc');

		// 3. Typed in buffer 2, a line goes to bob only.
		tmux.submit('alice', 'reply in buffer');
		await tmux.waitForPane('bob', pane => hasMessage(pane, {transport: 'udp', from: 'alice', text: 'reply in buffer'}), "alice's reply");
		await tmux.waitForPane('alice', pane => hasMessage(pane, {transport: 'udp', from: 'alice', text: 'reply in buffer'}), 'the reply acknowledged (✓)');

		// Ctrl+N: the next buffer, the raw peer's (which clears its news); Ctrl+P: back to bob's.
		tmux.press('alice', 'C-n');
		field = await aliceBar(field => field.number === 3, 'buffer 3 after Ctrl+N');
		expect(field.name).toBe(raw);
		pane = await paneShows('alice', 'hello from nc');
		expect(texts(pane), `buffer 3 shows the raw peer's conversation only:\n${pane}`).toEqual(['hello from nc']);
		tmux.press('alice', 'C-p');
		field = await aliceBar(field => field.number === 2, 'buffer 2 after Ctrl+P');
		expect(field.news.has(3), 'buffer 3 has no news now').toBe(false);

		// 4. The raw peer's news, then a mention, marked in the bar for its buffer (3) while alice stays in 2.
		nc.write('plain line from nc\n');
		field = await aliceBar(field => field.number === 2 && field.news.get(3) === 'message', 'news for buffer 3');
		expect(field.news.has(2), 'the buffer shown has no news marker').toBe(false);
		nc.write('ping alice\n');
		field = await aliceBar(field => field.news.get(3) === 'mention', 'the mention marker for buffer 3');
		expect(field.number).toBe(2);
		expect(statusBar(tmux.capture('alice'))).toMatch(/ act (?:\d+!?,)*3!$/);
		pane = tmux.capture('alice');
		expect(texts(pane), `buffer 2 still shows bob's conversation only:\n${pane}`).not.toContain('ping alice');
		expect(received(nc), 'the raw peer got nothing from alice').not.toContain('reply in buffer');

		// 5. Alt+1: everything again, buffer 3 still marked; Alt+3: its own lines, and its marker gone.
		tmux.press('alice', 'M-1');
		field = await aliceBar(field => field.number === 1, 'buffer 1 in the status bar');
		expect(field.news.get(3), 'buffer 3 keeps its mark in buffer 1').toBe('mention');
		await paneShows('alice', 'hi alice from bob', 'hello from nc', 'reply in buffer', 'plain line from nc', 'ping alice');
		tmux.press('alice', 'M-3');
		field = await aliceBar(field => field.number === 3, 'buffer 3 in the status bar');
		expect(field.name).toBe(raw);
		expect(field.news.has(3), 'going to buffer 3 clears its marker').toBe(false);
		pane = await paneShows('alice', 'hello from nc', 'plain line from nc', 'ping alice');
		expect(texts(pane), `buffer 3 shows the raw peer's conversation only:\n${pane}`).not.toContain('hi alice from bob');
		expect(texts(pane)).not.toContain('reply in buffer');

		// 6. /buffers lists them; /close closes buffer 3 and shows the one before it; buffer 1 stays.
		tmux.submit('alice', '/buffers');
		pane = await tmux.waitForPane('alice', pane => pane.includes('Buffers (Alt+N') && pane.includes(` *3 ${raw}`), 'the buffer list');
		expect(pane).toMatch(/ {2}1 all: every conversation/);
		expect(pane).toContain(`  2 bob (127.0.0.1:${bobPort})`);
		expect(pane).toContain(` *3 ${raw}`);
		tmux.submit('alice', '/close');
		field = await aliceBar(field => field.number === 2, 'buffer 2 after /close');
		expect(field.name).toBe('bob');
		tmux.submit('alice', '/buffers');
		pane = await tmux.waitForPane('alice', pane => pane.includes(' *2 bob'), 'the buffer list after /close');
		expect(pane, 'buffer 3 is closed').not.toMatch(/ {2}3 /);
		tmux.press('alice', 'M-1');
		await aliceBar(field => field.number === 1, 'buffer 1 again');
		tmux.submit('alice', '/close');
		pane = await tmux.waitForPane('alice', pane => pane.includes('Buffer 1 shows every conversation and stays open'), 'the refusal to close buffer 1');
		expect(bufferField(pane)?.number).toBe(1);

		// The closed conversation's buffer opens again with its next message.
		nc.write('back again\n');
		field = await aliceBar(field => field.news.get(3) === 'message', 'buffer 3 reopened with news');
		tmux.press('alice', 'M-3');
		field = await aliceBar(field => field.number === 3, 'buffer 3 again');
		expect(field.name).toBe(raw);
		await paneShows('alice', 'back again');
		expect(received(nc), 'the raw peer got nothing from alice').toBe('');
	}, 90_000);
});
