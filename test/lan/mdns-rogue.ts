// A hostile host on the LAN for test/lan/mdns.test.ts (bundled by bundle.ts, run in a namespace): raw mDNS
// datagrams, encoded here by hand (so nothing of the code under test shapes them). Prints one JSON line.
//   flood ME COUNT LEGACY(0|1)     COUNT queries of 230 compressed questions (1,415 bytes) to the group, from 5353 or
//                                  an ephemeral port: {sent, bytes, from: {address: datagrams}} of what came back
//   legacy ME HOSTS SPEC...        legacy-unicast queries (PTR _tui-netchat._udp.local and A of each comma-separated
//                                  host) from a port, SPEC = PORT:PAD:COUNT (port 0: ephemeral; PAD bytes of EDNS
//                                  padding): [{port, sent: {id: bytes}, replies: [{from, id, bytes, answers}]}]
//   claim ME LABEL TARGET PORT COUNT SUFFIXES  COUNT responses 100 ms apart, each with an SRV record (TARGET:PORT)
//                                  for LABEL and for "LABEL (n)", n = 2..SUFFIXES: {sent, at: epoch ms of the last}
//   garbage ME                     malformed datagrams of many kinds to the group, from 5353 and from an ephemeral
//                                  port: {sent}
import {createSocket, type Socket} from 'node:dgram';
import {setTimeout as delay} from 'node:timers/promises';

const group = '224.0.0.251';
const u16 = (value: number) => Buffer.from([value >> 8, value & 255]);
const u32 = (value: number) => Buffer.concat([u16(Math.floor(value / 65_536)), u16(value % 65_536)]);
const name = (text: string) => Buffer.concat([...text.split('.').map(label => Buffer.concat([Buffer.from([Buffer.byteLength(label)]), Buffer.from(label)])), Buffer.from([0])]);
const header = (id: number, flags: number, counts: readonly number[]) => Buffer.concat([u16(id), u16(flags), ...[0, 1, 2, 3].map(index => u16(counts[index] ?? 0))]);
const question = (text: string, type: number) => Buffer.concat([name(text), u16(type), u16(1)]);
const record = (text: string, type: number, klass: number, ttl: number, rdata: Buffer) => Buffer.concat([name(text), u16(type), u16(klass), u32(ttl), u16(rdata.length), rdata]);
/** An EDNS OPT record with a padding option (12) of `pad` zero bytes. */
const padding = (pad: number) => Buffer.concat([Buffer.from([0]), u16(41), u16(1232), u32(0), u16(pad + 4), u16(12), u16(pad), Buffer.alloc(pad)]);

async function open(port: number, me: string, join: boolean): Promise<Socket> {
	const socket = createSocket({type: 'udp4', reuseAddr: true});
	await new Promise<void>(resolve => socket.bind(port, '0.0.0.0', resolve));
	if (join) {
		socket.addMembership(group, me);
	}

	socket.setMulticastInterface(me);
	return socket;
}

const send = (socket: Socket, data: Buffer) => new Promise<void>(resolve => socket.send(data, 5353, group, () => resolve()));
const isResponse = (data: Buffer) => data.length >= 12 && (data[2]! & 0x80) !== 0;

async function flood(me: string, count: number, legacy: boolean) {
	const socket = await open(legacy ? 0 : 5353, me, !legacy);
	const from: Record<string, number> = {};
	let [sent, bytes] = [0, 0];
	socket.on('message', (data, remote) => {
		if (remote.address !== me && isResponse(data)) {
			from[remote.address] = (from[remote.address] ?? 0) + 1;
			bytes += data.length;
		}
	});
	const first = Buffer.concat([name('_tui-netchat._udp.local'), u16(12), u16(1)]);
	const query = Buffer.concat([header(0, 0, [230]), first, ...Array.from({length: 229}, () => Buffer.from([0xc0, 12, 0, 12, 0, 1]))]);
	for (let index = 0; index < count; index++) {
		await send(socket, query);
		sent += query.length;
		await delay(25);
	}

	await delay(1500);
	return {sent, bytes, from};
}

async function legacy(me: string, hosts: readonly string[], specs: readonly string[]) {
	const results = [];
	let id = 1;
	for (const spec of specs) {
		const [port = 0, pad = 0, count = 1] = spec.split(':').map(Number);
		const socket = await open(port, me, false);
		const result = {port, sent: {} as Record<number, number>, replies: [] as Array<{from: string; id: number; bytes: number; answers: number}>};
		socket.on('message', (data, remote) => {
			if (isResponse(data)) {
				result.replies.push({from: remote.address, id: data.readUInt16BE(0), bytes: data.length, answers: data.readUInt16BE(6)});
			}
		});
		for (let index = 0; index < count; index++, id++) {
			const questions = [question('_tui-netchat._udp.local', 12), ...hosts.map(host => question(host, 1))];
			const query = Buffer.concat([header(id, 0, [questions.length, 0, 0, pad > 0 ? 1 : 0]), ...questions, ...(pad > 0 ? [padding(pad)] : [])]);
			result.sent[id] = query.length;
			await send(socket, query);
			await delay(25);
		}

		await delay(300);
		socket.close();
		results.push(result);
	}

	return results;
}

async function claim(me: string, label: string, target: string, port: number, count: number, suffixes: number) {
	const socket = await open(5353, me, true);
	const srv = Buffer.concat([u16(0), u16(0), u16(port), name(target)]);
	const labels = [label, ...Array.from({length: suffixes - 1}, (_, index) => `${label} (${index + 2})`)];
	const answers = labels.map(each => record(`${each}._tui-netchat._udp.local`, 33, 0x80_01, 120, srv));
	const response = Buffer.concat([header(0, 0x84_00, [0, answers.length]), ...answers]);
	let at = 0;
	for (let index = 0; index < count; index++) {
		await (index > 0 ? delay(100) : Promise.resolve());
		await send(socket, response);
		at = Date.now();
	}

	return {sent: count, at};
}

async function garbage(me: string) {
	const service = name('_tui-netchat._udp.local');
	const shapes = [
		Buffer.alloc(3), // shorter than a header
		header(1, 0, [1]), // a question promised, none there
		Buffer.concat([header(2, 0, [1]), Buffer.from([0, 0])]), // a question cut in its type: ERR_OUT_OF_RANGE
		Buffer.concat([header(3, 0, [1]), service, Buffer.from([0])]), // cut in its type, after a name
		Buffer.concat([header(4, 0x84_00, [0, 1]), service, u16(33), u16(1), u32(120), u16(40), Buffer.from([0, 0])]), // a cut SRV
		Buffer.concat([header(5, 0x84_00, [0, 1]), service, u16(16), u16(1), u32(120), u16(5), Buffer.from([200, 1, 2, 3, 4])]), // a TXT string too long
		Buffer.concat([header(6, 0, [1]), Buffer.from([0xc0, 12]), u16(12), u16(1)]), // a name pointing at itself
		Buffer.concat([header(7, 0, [1]), Buffer.from([0x80, 1]), u16(12), u16(1)]), // a bad label type
		Buffer.concat([header(8, 0x84_00, [0, 1]), Buffer.from([0]), u16(41), u16(512), u32(0), u16(9), u16(8), u16(30), Buffer.alloc(5)]), // a cut EDNS option
	];
	let seed = 7;
	const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
	for (let index = 0; index < 60; index++) {
		const base = shapes[index % shapes.length]!;
		const noisy = Buffer.from(base);
		for (let flip = 0; flip < 3 && noisy.length > 12; flip++) {
			noisy[12 + Math.floor(random() * (noisy.length - 12))] = Math.floor(random() * 256);
		}

		shapes.push(noisy, Buffer.from(Array.from({length: 12 + Math.floor(random() * 60)}, () => Math.floor(random() * 256))));
	}

	const sockets = [await open(5353, me, true), await open(0, me, false)];
	for (const socket of sockets) {
		for (const data of shapes) {
			await send(socket, data);
		}
	}

	sockets.forEach(socket => socket.close());
	return {sent: shapes.length * sockets.length};
}

const [command, me = '', ...rest] = process.argv.slice(2);
const run: Record<string, () => Promise<unknown>> = {
	flood: async () => flood(me, Number(rest[0]), rest[1] === '1'),
	legacy: async () => legacy(me, rest[0] ? rest[0].split(',') : [], rest.slice(1)),
	claim: async () => claim(me, rest[0] ?? '', rest[1] ?? '', Number(rest[2]), Number(rest[3]), Number(rest[4])),
	garbage: async () => garbage(me),
};
console.log(JSON.stringify(await run[command ?? '']!()));
process.exit(0);
