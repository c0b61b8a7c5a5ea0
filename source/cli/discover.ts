import {randomBytes} from 'node:crypto';
import {formatEndpoint} from '../domain/endpoint.js';
import {Discovery} from '../net/discovery/discovery.js';
import {boundInterfaces, lanInterfaces, lanInterfaces6} from '../net/discovery/interfaces.js';
import {createSealer} from '../net/wire/seal.js';

/** How long --discover listens: answers come within milliseconds, repeated questions beat a lossy LAN. */
export const discoverMs = 3000;
/** Lines printed at most: a LAN flooded with made-up beacons cannot flood the output. */
const maxLines = 256;

export type DiscoverOptions = {readonly nick: string; readonly bind: string | undefined; readonly secret: string | undefined};
export type DiscoverIo = {readonly stdout: NodeJS.WritableStream; readonly stderr: NodeJS.WritableStream};

/**
 * --discover: asks the LAN who is there (never announcing itself), prints each tui-netchat peer as it
 * answers, one tab-separated line (nick, address, interface, our address there), and exits after a few
 * seconds: 0 when somebody answered, 1 when nobody did.
 */
export async function runDiscover(options: DiscoverOptions, io: DiscoverIo, listenMs = discoverMs): Promise<number> {
	let found = 0;
	const problems = new Set<string>();
	const discovery = new Discovery({
		id: randomBytes(8).toString('hex'),
		nick: () => options.nick,
		chatPort: () => 1,
		sealer: options.secret === undefined ? undefined : createSealer(options.secret),
		bind: options.bind,
		listenOnly: true,
		events: {
			found(peer) {
				found++;
				if (found > maxLines) {
					return;
				}

				io.stdout.write(`${peer.nick}\t${formatEndpoint({host: peer.host, port: peer.port})}\t${peer.interfaceName}\t${peer.localAddress}\n`);
			},
			gone: () => undefined,
			problem(message) {
				if (!problems.has(message)) {
					problems.add(message);
					io.stderr.write(`tui-netchat: ${message}\n`);
				}
			},
		},
	});
	const all = [...lanInterfaces(), ...lanInterfaces6()];
	const bound = boundInterfaces(options.bind, all);
	const names = [...new Set(all.map(lan => lan.name))].filter(name => bound === undefined || bound.has(name));
	if (names.length === 0) {
		io.stderr.write(`tui-netchat: --discover: no network interface is up${options.bind === undefined ? '' : ` with the address ${options.bind}`} (loopback does not count)\n`);
		return 1;
	}

	await discovery.start();
	await new Promise(resolve => {
		setTimeout(resolve, listenMs);
	});
	discovery.close();
	if (found === 0) {
		io.stderr.write(`tui-netchat: no tui-netchat answered on ${names.join(', ')} in ${listenMs / 1000} s${options.secret === undefined ? '' : ' (with --secret, only peers with the same secret answer)'}\n`);
	}

	return found > 0 ? 0 : 1;
}
