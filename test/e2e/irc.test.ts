import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {freePorts} from '../helpers/ports.js';
import {registers, startFakeServer} from '../irc/fake-server.js';
import {RawIrcClient} from '../irc/raw-client.js';
import {startNgircdPair, type IrcNetwork, type IrcServer} from '../irc/servers.js';
import {e2eSession, hasMessage, statusBar} from './support.js';

// As a user would: two tui-netchat instances in tmux on two linked ngircd servers, a plain IRC client in
// the same channel, and a UDP peer beside it all.

const {tmux, peers, chat} = e2eSession('irc');
let network: IrcNetwork;
const raws: RawIrcClient[] = [];

beforeAll(async () => {
	network = await startNgircdPair();
}, 60_000);

afterAll(async () => {
	await Promise.all(raws.map(async raw => raw.close().catch(() => undefined)));
	await network?.close();
});

/** The nick list's rows: what stands right of its border. */
function nickList(pane: string): string[] {
	return pane.split('\n').flatMap(row => {
		const border = row.lastIndexOf('│');
		return border === -1 ? [] : [row.slice(border + 1).trim()].filter(Boolean);
	});
}

describe('tui-netchat on an IRC network', () => {
	it('chats in #room across two linked servers, with the nick list, joins and parts, and /me seen by a plain client', async () => {
		const [one, two] = network.servers as [IrcServer, IrcServer];
		tmux.start('alice', chat('-n', 'alice', '--port', '0', '--irc', `irc://127.0.0.1:${one.port}/#room`), {width: 120, height: 30});
		tmux.start('bob', chat('-n', 'bob', '--port', '0', '--irc', `irc://127.0.0.1:${two.port}/#room`), {width: 120, height: 30});
		const raw = await RawIrcClient.connect(two, 'carol');
		raws.push(raw);
		await raw.join('#room');
		// The UI goes to the channel's buffer by itself; the nick list shows who is there.
		await tmux.waitForPane('alice', pane => pane.includes('You joined #room') && ['alice', 'bob', 'carol'].every(nick => nickList(pane).some(row => row.replace(/^[@+]/, '') === nick)), 'the channel with its nick list');
		expect(statusBar(tmux.capture('alice'))).toMatch(/IRC · alice on \S+ · #room \(3\) · connected/);
		await tmux.waitForPane('bob', pane => statusBar(pane).includes('#room (3)'), 'all three in #room, at bob');

		tmux.submit('alice', 'hello from alice on server one');
		await tmux.waitForPane('bob', pane => hasMessage(pane, {transport: 'irc', from: 'alice', text: 'hello from alice on server one'}), 'alice\'s line at bob');
		expect(await raw.waitFor(line => line.includes('PRIVMSG #room'))).toMatch(/^:alice!\S+ PRIVMSG #room :hello from alice on server one$/);

		tmux.submit('bob', '/me waves');
		await tmux.waitForPane('alice', pane => /\d{2}:\d{2}:\d{2} irc \* bob waves/.test(pane), 'bob\'s action at alice');
		expect(await raw.waitFor(line => line.includes('ACTION'))).toMatch(/:bob!\S+ PRIVMSG #room :\u0001ACTION waves\u0001$/);

		raw.send('PRIVMSG #room :hi from a plain client');
		await tmux.waitForPane('alice', pane => hasMessage(pane, {transport: 'irc', from: 'carol', text: 'hi from a plain client'}), 'carol\'s line at alice');

		tmux.press('alice', 'F7');
		await tmux.waitForPane('alice', pane => nickList(pane).length === 0, 'the nick list hidden');

		tmux.submit('bob', '/part off to lunch');
		await tmux.waitForPane('alice', pane => pane.includes('← bob left #room (off to lunch)') && statusBar(pane).includes('#room (2)'), 'bob\'s part at alice');
	}, 90_000);

	it('asks for the SASL password without echo with --irc-password -, and logs in with it', async () => {
		const register = registers(() => 'erin', 'sasl=PLAIN');
		const fake = await startFakeServer((line, client) => {
			if (line === 'AUTHENTICATE PLAIN') {
				client.send('AUTHENTICATE +');
			} else if (line.startsWith('AUTHENTICATE ')) {
				client.send(':fake.test 903 erin :SASL authentication successful');
			} else {
				register(line, client);
			}
		});
		try {
			tmux.start('erin', chat('-n', 'erin', '--port', '0', '--irc', `irc://127.0.0.1:${fake.port}`, '--irc-password', '-'), {width: 100, height: 24});
			await tmux.waitForPane('erin', pane => pane.includes('IRC password (not shown):'), 'the prompt');
			tmux.submit('erin', 'pw secret 42');
			await tmux.waitForPane('erin', pane => pane.includes('SASL: logged in.') || statusBar(pane).includes('connected'), 'the login');
			const auth = fake.received.find(line => line.startsWith('AUTHENTICATE ') && line !== 'AUTHENTICATE PLAIN');
			expect(Buffer.from(auth?.slice('AUTHENTICATE '.length) ?? '', 'base64').toString()).toBe('\0erin\0pw secret 42');
			expect(tmux.capture('erin')).not.toContain('pw secret 42');
		} finally {
			await fake.close();
		}
	}, 60_000);

	it('keeps UDP peers working beside IRC, each in its own buffer', async () => {
		const [one] = network.servers as [IrcServer, IrcServer];
		const [port = 0] = await freePorts(1);
		tmux.start('dave', chat('-n', 'dave', '--port', String(port), '--irc', `irc://127.0.0.1:${one.port}/#side`), {width: 120, height: 30});
		await tmux.waitForPane('dave', pane => pane.includes('You joined #side'), 'the channel');
		const nc = peers.spawn('sh', ['-c', `printf 'plain udp hello\\n' | nc -u -w1 127.0.0.1 ${port}`]);
		await nc.exit;
		await tmux.waitForPane('dave', pane => / act (?:\d+,)*1/.test(statusBar(pane)), 'activity in buffer 1');
		tmux.press('dave', 'M-1');
		await tmux.waitForPane('dave', pane => /\d{2}:\d{2}:\d{2} udp <127\.0\.0\.1:\d+> plain udp hello/.test(pane), 'the UDP line in the merged view');
		expect(tmux.capture('dave')).toContain('You joined #side');
	}, 60_000);
});
