import {readFileSync} from 'node:fs';
import {createServer as createTcpServer, type AddressInfo, type Server, type Socket} from 'node:net';
import {createServer as createTlsServer} from 'node:tls';

/**
 * A scripted IRC server on loopback, for what the real servers in Debian do not offer (SASL without
 * services, chathistory) and for exact wire checks. `script` answers each line a client sends.
 */
export type FakeClient = {
	readonly lines: string[];
	readonly send: (line: string) => void;
	readonly socket: Socket;
};

export type FakeServer = {
	readonly port: number;
	readonly clients: FakeClient[];
	/** Every line any client sent, in order. */
	readonly received: string[];
	close(): Promise<void>;
};

export const testCert = readFileSync(new URL('../fixtures/irc-test-cert.pem', import.meta.url));
const testKey = readFileSync(new URL('../fixtures/irc-test-key.pem', import.meta.url));

export async function startFakeServer(script: (line: string, client: FakeClient) => void, options: {readonly tls?: boolean} = {}): Promise<FakeServer> {
	const clients: FakeClient[] = [];
	const received: string[] = [];
	const onSocket = (socket: Socket) => {
		const client: FakeClient = {
			lines: [],
			socket,
			send(line) {
				if (!socket.destroyed) {
					socket.write(`${line}\r\n`);
				}
			},
		};
		clients.push(client);
		let pending = '';
		socket.setEncoding('utf8');
		socket.on('data', (chunk: string) => {
			pending += chunk;
			for (let newline = pending.indexOf('\n'); newline !== -1; newline = pending.indexOf('\n')) {
				const line = pending.slice(0, newline).replace(/\r$/, '');
				pending = pending.slice(newline + 1);
				client.lines.push(line);
				received.push(line);
				script(line, client);
			}
		});
		socket.on('error', () => undefined);
	};

	const server: Server = options.tls ? createTlsServer({cert: testCert, key: testKey}, onSocket) : createTcpServer(onSocket);
	server.on('tlsClientError', () => undefined);
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	return {
		port: (server.address() as AddressInfo).port,
		clients,
		received,
		async close() {
			for (const client of clients) {
				client.socket.destroy();
			}

			await new Promise(resolve => {
				server.close(resolve);
			});
		},
	};
}

/** Answers registration as a plain server does: 001 once a NICK it accepts and USER came (and CAP END, when CAP began). */
export function registers(nick: () => string, caps = ''): (line: string, client: FakeClient) => boolean {
	let capOpen = false;
	let user = false;
	let named = false;
	let welcomed = false;
	return (line, client) => {
		const [command = '', ...rest] = line.split(' ');
		if (command === 'CAP' && rest[0] === 'LS') {
			capOpen = true;
			client.send(`:fake.test CAP * LS :${caps}`);
		} else if (command === 'CAP' && rest[0] === 'REQ') {
			client.send(`:fake.test CAP * ACK :${line.slice(line.indexOf(':') + 1)}`);
		} else if (command === 'CAP' && rest[0] === 'END') {
			capOpen = false;
		} else if (command === 'USER') {
			user = true;
		} else if (command === 'NICK') {
			named = true;
		} else {
			return false;
		}

		if (user && named && !capOpen && !welcomed) {
			welcomed = true;
			client.send(`:fake.test 001 ${nick()} :Welcome to the fake network ${nick()}!u@127.0.0.1`);
			client.send(`:fake.test 005 ${nick()} NETWORK=FakeNet CHATHISTORY=100 :are supported`);
			client.send(`:fake.test 422 ${nick()} :MOTD File is missing`);
		}

		return true;
	};
}
