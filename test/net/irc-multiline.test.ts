import {afterEach, expect, it} from 'vitest';
import {parseIrcUrl} from '../../source/domain/irc-server.js';
import {parseMessage} from '../../source/net/irc/message.js';
import {registers, startFakeServer, type FakeClient, type FakeServer} from '../irc/fake-server.js';
import {closeAll, startService} from '../helpers/service.js';
import {waitFor} from '../helpers/wait.js';

// A multi-line message in an IRC channel: one PRIVMSG per line (IRC has no line breaks).

const servers: FakeServer[] = [];

afterEach(async () => {
	await closeAll();
	await Promise.all(servers.splice(0).map(async server => server.close()));
});

it('sends a message of several lines as one PRIVMSG per line, and shows it as one message', async () => {
	const register = registers(() => 'alice');
	const server = await startFakeServer((line: string, client: FakeClient) => {
		const join = /^JOIN (\S+)/.exec(line);
		if (join?.[1]) {
			client.send(`:alice!u@127.0.0.1 JOIN ${join[1]}`);
			client.send(`:fake.test 353 alice = ${join[1]} :@op alice`);
			client.send(`:fake.test 366 alice ${join[1]} :End of NAMES list`);
		} else {
			register(line, client);
		}
	}, {tls: false});
	servers.push(server);
	const service = await startService({nick: 'alice', irc: [parseIrcUrl(`irc://127.0.0.1:${server.port}/#room`)]});
	const room = await waitFor(() => service.getSnapshot().conversations.find(conversation => conversation.kind === 'channel' && conversation.members.length === 2));
	service.send('one\ntwo, 你好\n\nfour', {conversation: room.id});
	const sent = await waitFor(() => {
		const privmsgs = server.received.filter(line => parseMessage(line)?.command === 'PRIVMSG');
		return privmsgs.length >= 3 ? privmsgs : undefined;
	}, {what: 'three PRIVMSG lines'});
	expect(sent.map(line => parseMessage(line)?.params[1])).toEqual(['one', 'two, 你好', 'four']);
	const own = service.getSnapshot().lines.find(line => line.kind === 'out' && line.conversation === room.id);
	expect(own?.text).toBe('one\ntwo, 你好\n\nfour');
});
