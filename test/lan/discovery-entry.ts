// Run inside a network namespace (bundled by bundleForNamespace) by test/lan/discovery.test.ts. Prints one JSON
// object a line on stdout. Three modes:
//
//   peer [--nick N] [--id HEX16] [--chat-port P] [--bind ADDR] [--interval S] [--listen-only] [--secret S] [--ipv4-only]
//        [--unreachable N]
//       One Discovery on the real interfaces (with --unreachable, IPv4 only and also N made-up ones, 10.99.I.1/24,
//       whose broadcasts cannot be sent: the namespace has no route there): {event: 'ready'}, {event: 'found', peer}, {event: 'gone', peer, why},
//       {event: 'problem', message}. Reads commands from stdin: 'list' prints {event: 'peers', peers}, 'ask'
//       asks again, 'close' closes (it says goodbye) and lets the process end.
//   sniff PORT...
//       A plain UDP socket per port and family (reuseAddr, so beside a Discovery on 7849), like a netcat listener:
//       {event: 'datagram', port, family, from, text} for every datagram.
//   ask [--id HEX16] [--port P]...
//       A bare "who is there" from a port of its own (or from each --port given), by IPv4 broadcast and ff02::1 on
//       every interface, every 200 ms: {event: 'answer', family, port, from, text} for every datagram that comes
//       back to local port `port` (only answers can).

import {createSocket, type Socket} from 'node:dgram';
import {randomBytes} from 'node:crypto';
import {createInterface} from 'node:readline';
import {parseArgs} from 'node:util';
import {formatBeacon} from '../../source/net/discovery/beacon.js';
import {Discovery, lanInterfaces, lanInterfaces6} from '../../source/net/discovery/discovery.js';
import {createSealer} from '../../source/net/wire/seal.js';

function print(value: unknown): void {
	process.stdout.write(`${JSON.stringify(value)}\n`);
}

async function bound(socket: Socket, port: number, address: string): Promise<Socket> {
	await new Promise<void>((resolve, reject) => {
		socket.once('error', reject);
		socket.bind({port, address}, () => {
			socket.off('error', reject);
			resolve();
		});
	});
	return socket;
}

async function peer(args: string[]): Promise<void> {
	const {values} = parseArgs({
		args,
		options: {
			nick: {type: 'string', default: 'peer'},
			id: {type: 'string', default: randomBytes(8).toString('hex')},
			'chat-port': {type: 'string', default: '7852'},
			bind: {type: 'string'},
			interval: {type: 'string'},
			'listen-only': {type: 'boolean', default: false},
			secret: {type: 'string'},
			'ipv4-only': {type: 'boolean', default: false},
			unreachable: {type: 'string', default: '0'},
		},
	});
	const unreachable = Array.from({length: Number(values.unreachable)}, (_, index) => ({name: `fake${index}`, address: `10.99.${index}.1`, broadcast: `10.99.${index}.255`, netmask: '255.255.255.0'}));
	const discovery = new Discovery({
		id: values.id,
		nick: () => values.nick,
		chatPort: () => Number(values['chat-port']),
		sealer: values.secret === undefined ? undefined : createSealer(values.secret),
		bind: values.bind,
		intervalS: values.interval === undefined ? undefined : Number(values.interval),
		listenOnly: values['listen-only'],
		...(values['ipv4-only'] ? {interfaces6: () => []} : {}),
		...(unreachable.length > 0 ? {interfaces: () => [...lanInterfaces(), ...unreachable]} : {}),
		events: {
			found: found => print({event: 'found', peer: found}),
			gone: (gone, why) => print({event: 'gone', peer: gone, why}),
			problem: message => print({event: 'problem', message}),
		},
	});
	await discovery.start();
	print({event: 'ready', id: values.id, interfaces: lanInterfaces(), interfaces6: lanInterfaces6()});
	const lines = createInterface({input: process.stdin});
	lines.on('line', line => {
		if (line === 'list') {
			print({event: 'peers', peers: discovery.peers.list()});
		} else if (line === 'ask') {
			discovery.ask();
		} else if (line === 'close') {
			discovery.close();
			lines.close();
			process.stdin.destroy();
		}
	});
}

async function sniff(ports: number[]): Promise<void> {
	for (const port of ports) {
		for (const [family, address] of [['udp4', '0.0.0.0'], ['udp6', '::']] as const) {
			const socket = createSocket({type: family, reuseAddr: true, ipv6Only: family === 'udp6'});
			socket.on('message', (data, remote) => print({event: 'datagram', port, family, from: remote.address, text: data.toString('utf8')}));
			await bound(socket, port, address);
		}
	}

	print({event: 'ready'});
}

async function ask(args: string[]): Promise<void> {
	const {values} = parseArgs({args, options: {id: {type: 'string', default: randomBytes(8).toString('hex')}, port: {type: 'string', multiple: true, default: ['0']}}});
	const question = formatBeacon({kind: 'who', id: values.id});
	const all: Array<{udp4: Socket; udp6: Socket}> = [];
	for (const port of values.port.map(Number)) {
		const sockets = {udp4: await bound(createSocket('udp4'), port, '0.0.0.0'), udp6: await bound(createSocket({type: 'udp6', ipv6Only: true}), port, '::')};
		sockets.udp4.setBroadcast(true);
		for (const [family, socket] of Object.entries(sockets)) {
			const local = socket.address().port;
			socket.on('message', (data, remote) => print({event: 'answer', family, port: local, from: remote.address, text: data.toString('utf8')}));
		}

		all.push(sockets);
	}

	const send = (): void => {
		for (const sockets of all) {
			for (const lan of lanInterfaces()) {
				sockets.udp4.send(question, 7849, lan.broadcast);
			}

			for (const lan of lanInterfaces6()) {
				sockets.udp6.send(question, 7849, `ff02::1%${lan.name}`);
			}
		}
	};

	send();
	setInterval(send, 200);
	print({event: 'ready'});
}

const [mode = 'peer', ...rest] = process.argv.slice(2);
const run = mode === 'sniff' ? sniff(rest.map(Number)) : mode === 'ask' ? ask(rest) : peer(rest);
run.catch((error: unknown) => {
	print({event: 'error', message: error instanceof Error ? error.message : String(error)});
	process.exit(2);
});
