// One MdnsAdvertiser inside a network namespace, for test/lan/mdns.test.ts (bundled by bundle.ts).
// argv: ID NICK PORT SEALED(0|1) INTERFACE ADDRESS [INTERFACE ADDRESS ...]. stdout lines: `started <epoch ms>` just before start(),
// `ready`, `problem <line>`, `closed <ms close() took>`, `pong`. stdin lines: `rename NICK`, `close`, `ping` (answered
// `pong`: every line printed before it has been read); SIGTERM or the end of stdin closes too, then the process exits 0.
import {createInterface} from 'node:readline';
import {MdnsAdvertiser} from '../../source/net/discovery/mdns.js';

const [id = '', nick = '', port = '0', sealed = '0', ...pairs] = process.argv.slice(2);
const interfaces = pairs.flatMap((name, index) => (index % 2 === 0 ? [{name, address: pairs[index + 1] ?? ''}] : []));
const advertiser = new MdnsAdvertiser({
	id,
	nick,
	port: Number(port),
	sealed: sealed === '1',
	interfaces,
	problem: line => console.log(`problem ${line}`),
});

let closing = false;
async function close(): Promise<void> {
	if (!closing) {
		closing = true;
		const start = performance.now();
		await advertiser.close();
		console.log(`closed ${Math.round(performance.now() - start)}`);
		process.exit(0);
	}
}

process.on('SIGTERM', () => void close());
const lines = createInterface({input: process.stdin});
lines.on('line', line => {
	if (line.startsWith('rename ')) {
		advertiser.rename(line.slice('rename '.length));
	} else if (line === 'close') {
		void close();
	} else if (line === 'ping') {
		console.log('pong');
	}
});
lines.on('close', () => void close());

console.log(`started ${Date.now()}`);
await advertiser.start();
console.log('ready');
