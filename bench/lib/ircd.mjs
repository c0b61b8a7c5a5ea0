// IRC for the bench: ngircd and inspircd started from a temporary configuration (the configurations follow
// test/irc/servers.ts, copied: the bench does not import TypeScript), a bare IRC client on node:net that
// timestamps what it sends and receives with process.hrtime() (the pty driver's clock), and a scripted
// server for floods. Everything listens and connects on 127.0.0.1 only.
import {chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {createConnection, createServer} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {kill, sleep, start, temporaryPath} from './proc.mjs';

const host = '127.0.0.1';
const nobody = 65_534;
const isRoot = process.getuid?.() === 0;

/** process.hrtime() in ms: CLOCK_MONOTONIC, the clock of the pty driver's time.monotonic(). */
export const now = () => Number(process.hrtime.bigint()) / 1e6;

export function findProgram(name) {
	for (const folder of [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/usr/local/sbin', '/sbin']) {
		if (folder && existsSync(join(folder, name))) {
			return join(folder, name);
		}
	}

	return undefined;
}

/** `count` TCP ports free on 127.0.0.1 (all bound to port 0 at once, then released). */
export async function freePorts(count) {
	const servers = [];
	try {
		for (let index = 0; index < count; index++) {
			const server = createServer();
			servers.push(server);
			await new Promise((resolve, reject) => {
				server.once('error', reject);
				server.listen({port: 0, host, exclusive: true}, resolve);
			});
		}

		return servers.map(server => server.address().port);
	} finally {
		await Promise.all(servers.map(server => new Promise(resolve => server.close(resolve))));
	}
}

/** True when something listens on 127.0.0.1:port (/proc/net/tcp, state 0A). */
function listening(port) {
	const hex = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
	try {
		return readFileSync('/proc/net/tcp', 'utf8').split('\n').some(row => {
			const fields = row.trim().split(/\s+/);
			return fields[1] === hex && fields[3] === '0A';
		});
	} catch {
		return false;
	}
}

function ngircdConfig(dir, spec, specs) {
	const lines = [
		'[Global]',
		`Name = ${spec.name}`,
		`Info = tui-netchat bench server ${spec.index}`,
		'Network = BenchNet',
		`Listen = ${host}`,
		`Ports = ${spec.port}`,
		...(isRoot ? ['ServerUID = nobody', 'ServerGID = nogroup'] : []),
		`PidFile = ${join(dir, `ngircd-${spec.index}.pid`)}`,
		'MotdPhrase = tui-netchat bench server',
		'AdminInfo1 = tui-netchat bench',
		'AdminInfo2 = loopback only',
		'AdminEMail = nobody@localhost.invalid',
		'[Limits]',
		'ConnectRetry = 5',
		// Default 5 per IP: every bench client comes from 127.0.0.1.
		'MaxConnectionsIP = 0',
		'[Options]',
		'PAM = no',
		'Ident = no',
		'DNS = no',
		// Default /etc/ngircd/ngircd.conf.d: keep the machine's snippets out.
		`IncludeDir = ${join(dir, 'ngircd.conf.d')}`,
	];
	for (const other of specs.filter(each => spec.peers.includes(each.index))) {
		lines.push(
			'[Server]',
			`Name = ${other.name}`,
			`Host = ${host}`,
			...(spec.dials.includes(other.index) ? [`Port = ${other.port}`] : ['Passive = yes']),
			`MyPassword = link${spec.index}to${other.index}`,
			`PeerPassword = link${other.index}to${spec.index}`,
		);
	}

	return `${lines.join('\n')}\n`;
}

function inspircdConfig(dir, spec) {
	const modules = ['cap', 'ircv3', 'ircv3_capnotify', 'ircv3_ctctags', 'ircv3_msgid', 'ircv3_servertime', 'ircv3_echomessage', 'ircv3_batch', 'ircv3_labeledresponse', 'namesx', 'uhnames'];
	return `${[
		'<config format="xml">',
		`<server name="${spec.name}" description="tui-netchat bench server ${spec.index}" network="BenchNet" id="${spec.index}BT">`,
		'<admin name="tui-netchat bench" nick="nobody" email="nobody@localhost.invalid">',
		`<bind address="${host}" port="${spec.port}" type="clients">`,
		'<connect name="main" allow="*" localmax="1000" globalmax="1000" maxconnwarn="no" resolvehostnames="no">',
		`<dns server="${host}" timeout="1">`,
		`<log method="file" type="* -USERINPUT -USEROUTPUT" level="default" target="${join(dir, `inspircd-${spec.index}.log`)}">`,
		...modules.map(module => `<module name="${module}">`),
	].join('\n')}\n`;
}

/**
 * Starts `count` servers of one kind (ngircd: count 1 or more, the first waits for links and the others
 * dial it; inspircd: one) and resolves once each listens. Every process is tracked by proc.mjs; close()
 * kills them and removes the directory (killAll() and removeTemporary() would too).
 */
export async function startIrcd(kind, count = 1, timeoutMs = 15_000) {
	const program = findProgram(kind);
	if (!program) {
		throw new Error(`${kind} is not installed (apt-get install ${kind})`);
	}

	if (kind === 'inspircd' && count !== 1) {
		throw new Error('the bench starts one inspircd only');
	}

	const dir = temporaryPath(mkdtempSync(join(tmpdir(), `tnc-bench-${kind}-`)));
	mkdirSync(join(dir, 'ngircd.conf.d'));
	if (isRoot) {
		// The daemons run as nobody: they write their pid and log files here and read the configuration.
		chownSync(dir, nobody, nobody);
		chownSync(join(dir, 'ngircd.conf.d'), nobody, nobody);
	}

	chmodSync(dir, 0o700);
	const ports = await freePorts(count);
	const specs = ports.map((port, offset) => ({
		index: offset + 1,
		name: `irc${offset + 1}.bench`,
		port,
		dials: offset === 0 ? [] : [1],
		peers: offset === 0 ? ports.slice(1).map((_port, other) => other + 2) : [1],
	}));
	const children = [];
	const output = specs.map(() => '');
	const close = async () => {
		for (const child of children) {
			if (child.exitCode === null && child.signalCode === null) {
				kill(child.pid);
				await new Promise(resolve => {
					child.once('exit', resolve);
					setTimeout(resolve, 2000);
				});
			}
		}

		rmSync(dir, {recursive: true, force: true});
	};

	try {
		for (const spec of specs) {
			const config = join(dir, `${kind}-${spec.index}.conf`);
			writeFileSync(config, kind === 'ngircd' ? ngircdConfig(dir, spec, specs) : inspircdConfig(dir, spec), {mode: 0o644});
			const argv = kind === 'ngircd'
				? [program, '-n', '-f', config]
				: [...(isRoot ? [findProgram('setpriv') ?? 'setpriv', `--reuid=${nobody}`, `--regid=${nobody}`, '--clear-groups'] : []), program, `--config=${config}`, '--nofork', '--nopid'];
			const child = start(argv[0], argv.slice(1), {cwd: dir, stdio: ['ignore', 'pipe', 'pipe']});
			children.push(child);
			for (const stream of [child.stdout, child.stderr]) {
				stream.setEncoding('utf8').on('data', chunk => {
					output[spec.index - 1] = (output[spec.index - 1] + chunk).slice(-8000);
				});
			}

			const end = performance.now() + timeoutMs;
			while (!listening(spec.port)) {
				if (child.exitCode !== null || child.signalCode !== null || performance.now() > end) {
					throw new Error(`${kind} ${spec.name} did not listen on ${spec.port}: ${output[spec.index - 1].slice(-600)}`);
				}

				await sleep(20);
			}
		}
	} catch (error) {
		await close();
		throw error;
	}

	return {kind, dir, servers: specs.map(spec => ({name: spec.name, port: spec.port})), logs: () => output.join('\n'), close};
}

/**
 * A bare IRC client: NICK/USER, PONG to PING, every line kept with its arrival time (one hrtime reading
 * per socket read, taken before parsing). connect() resolves once 001 came.
 */
export class RawIrc {
	static async connect(port, nick, timeoutMs = 15_000) {
		const client = new RawIrc(port, nick);
		await client.registered(timeoutMs);
		return client;
	}

	constructor(port, nick) {
		this.nick = nick;
		this.lines = [];
		this.waiters = new Set();
		this.closed = false;
		this.startedAt = now();
		this.socket = createConnection({port, host});
		this.socket.setNoDelay(true);
		this.socket.on('connect', () => {
			this.connectedAt = now();
			this.socket.write(`NICK ${nick}\r\nUSER ${nick} 0 * :bench\r\n`);
		});
		let rest = '';
		this.socket.setEncoding('utf8');
		this.socket.on('data', chunk => {
			const at = now();
			const parts = (rest + chunk).split('\r\n');
			rest = parts.pop();
			for (const line of parts) {
				if (line.startsWith('PING ')) {
					this.socket.write(`PONG ${line.slice(5)}\r\n`);
				}

				const entry = {line, at};
				this.lines.push(entry);
				for (const waiter of this.waiters) {
					waiter(entry);
				}
			}
		});
		this.socket.on('error', error => {
			this.error = error;
		});
		this.socket.on('close', () => {
			this.closed = true;
			for (const waiter of this.waiters) {
				waiter(undefined);
			}
		});
	}

	/** Resolves with the first line from index `from` on that matches, as {line, at}. */
	waitFor(predicate, timeoutMs = 10_000, from = 0) {
		const seen = this.lines.slice(from).find(entry => predicate(entry.line));
		if (seen) {
			return Promise.resolve(seen);
		}

		return new Promise((resolve, reject) => {
			const timer = setTimeout(() => {
				this.waiters.delete(waiter);
				reject(new Error(`${this.nick}: no matching line in ${timeoutMs} ms (last: ${this.lines.at(-1)?.line ?? 'none'})`));
			}, timeoutMs);
			const waiter = entry => {
				if (entry === undefined || predicate(entry.line)) {
					clearTimeout(timer);
					this.waiters.delete(waiter);
					if (entry === undefined) {
						reject(new Error(`${this.nick}: connection closed${this.error ? ` (${this.error.message})` : ''}`));
					} else {
						resolve(entry);
					}
				}
			};

			this.waiters.add(waiter);
		});
	}

	mark() {
		return this.lines.length;
	}

	async registered(timeoutMs) {
		const entry = await this.waitFor(line => /^\S+ 001 /.test(line), timeoutMs);
		this.welcomedAt = entry.at;
	}

	/** JOIN; resolves with the time of its echo. */
	async join(channel, timeoutMs = 10_000) {
		const from = this.mark();
		const sentAt = this.send(`JOIN ${channel}`);
		const pattern = new RegExp(`^:${this.nick}!\\S+ JOIN :?${channel.replace(/[#&]/g, '\\$&')}$`, 'i');
		const entry = await this.waitFor(line => pattern.test(line), timeoutMs, from);
		return {sentAt, at: entry.at};
	}

	/** Writes one line; returns the hrtime (ms) just before the write. */
	send(line) {
		const at = now();
		this.socket.write(`${line}\r\n`);
		return at;
	}

	close() {
		if (!this.closed) {
			this.socket.destroy();
			this.closed = true;
		}
	}
}

/**
 * A scripted IRC server in this process: CAP LS gets an empty list, NICK/USER 001 (after CAP END when
 * CAP LS came; with isupport 004 and 005; and 422: no MOTD),
 * JOIN its echo with 353/366, PING a PONG; everything else is ignored. Each connection's events are timed
 * (hrtime ms): connected, capLs and capEnd received, welcome (001) sent, join received, joinEcho sent. flood() sends PRIVMSG lines to every joined
 * client at a given rate, paced in 1 ms slots like bench/udp-sender.py.
 */
export async function scriptedServer({isupport = false} = {}) {
	const clients = new Set();
	const server = createServer(socket => {
		const client = {socket, events: {connected: now()}, nick: '*', joined: new Set(), sent: 0};
		clients.add(client);
		socket.setNoDelay(true);
		socket.setEncoding('utf8');
		let rest = '';
		let user = false;
		let capOpen = false;
		let welcomed = false;
		const send = text => socket.write(text);
		socket.on('data', chunk => {
			const at = now();
			const lines = (rest + chunk).split(/\r?\n/);
			rest = lines.pop();
			for (const line of lines) {
				const [command = '', ...params] = line.split(' ');
				switch (command.toUpperCase()) {
					case 'CAP': {
						if (params[0] === 'LS') {
							client.events.capLs ??= at;
							capOpen = !welcomed;
							send(':bench.server CAP * LS :\r\n');
						} else if (params[0] === 'REQ') {
							send(`:bench.server CAP * NAK :${params.slice(1).join(' ').replace(/^:/, '')}\r\n`);
						} else if (params[0] === 'END') {
							client.events.capEnd ??= at;
							capOpen = false;
						}

						break;
					}

					case 'NICK': {
						client.nick = params[0]?.replace(/^:/, '') ?? client.nick;
						break;
					}

					case 'USER': {
						user = true;
						break;
					}

					case 'PING': {
						send(`:bench.server PONG bench.server ${params.join(' ')}\r\n`);
						break;
					}

					case 'JOIN': {
						for (const channel of (params[0] ?? '').replace(/^:/, '').split(',').filter(Boolean)) {
							client.events.join ??= at;
							client.joined.add(channel);
							send(`:${client.nick}!u@127.0.0.1 JOIN ${channel}\r\n:bench.server 353 ${client.nick} = ${channel} :${client.nick} bob\r\n:bench.server 366 ${client.nick} ${channel} :End of /NAMES list.\r\n`);
							client.events.joinEcho ??= now();
						}

						break;
					}

					default:
				}

				// Registration is held while a CAP negotiation is open, as real servers do.
				if (!welcomed && !capOpen && user && client.nick !== '*') {
					welcomed = true;
					// isupport: 004 and 005 too (irssi waits 2.5 s for them before MODE +i, and 5 s before it joins).
					const info = isupport ? `:bench.server 004 ${client.nick} bench.server bench-1 iow ovntlk\r\n:bench.server 005 ${client.nick} CHANTYPES=# PREFIX=(ov)@+ NETWORK=BenchNet CASEMAPPING=rfc1459 :are supported by this server\r\n` : '';
					send(`:bench.server 001 ${client.nick} :Welcome to the bench\r\n${info}:bench.server 422 ${client.nick} :MOTD File is missing\r\n`);
					client.events.welcome = now();
				}
			}
		});
		socket.on('error', () => undefined);
		socket.on('close', () => clients.delete(client));
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, host, resolve);
	});
	return {
		port: server.address().port,
		clients,
		/** Resolves with the first client that has joined `channel`. */
		async joined(channel, timeoutMs = 10_000) {
			const end = performance.now() + timeoutMs;
			for (;;) {
				const client = [...clients].find(each => each.joined.has(channel));
				if (client || performance.now() > end) {
					return client;
				}

				await sleep(10);
			}
		},
		/** `rate` lines a second for `seconds` to `client`: :bob!b@h PRIVMSG channel :message N. */
		async flood(client, channel, rate, seconds) {
			const total = Math.round(rate * seconds);
			const t0 = now();
			let sent = 0;
			let maxBurst = 0;
			let maxBacklog = 0;
			while (sent < total && !client.socket.destroyed) {
				const due = Math.min(total, Math.floor(((now() - t0) * rate) / 1000) + 1);
				if (due > sent) {
					let text = '';
					for (let index = sent; index < due; index++) {
						text += `:bob!b@h PRIVMSG ${channel} :message ${index + 1}\r\n`;
					}

					maxBurst = Math.max(maxBurst, due - sent);
					client.socket.write(text);
					maxBacklog = Math.max(maxBacklog, client.socket.writableLength);
					sent = due;
				}

				await sleep(1);
			}

			return {sent, seconds: (now() - t0) / 1000, maxBurst, maxBacklog, backlogAtEnd: client.socket.writableLength};
		},
		close() {
			for (const client of clients) {
				client.socket.destroy();
			}

			return new Promise(resolve => server.close(resolve));
		},
	};
}

/**
 * A TCP proxy in this process to 127.0.0.1:targetPort that timestamps every line either way (hrtime ms):
 * events is [{at, dir: 'open' | '>' (to the server) | '<' (from it), line}]. For diagnostics only: it adds
 * a hop, so figures are never measured through it.
 */
export async function tapProxy(targetPort) {
	const events = [];
	const sockets = new Set();
	const server = createServer(client => {
		events.push({at: now(), dir: 'open', line: ''});
		const upstream = createConnection({port: targetPort, host});
		for (const [socket, dir] of [[client, '>'], [upstream, '<']]) {
			sockets.add(socket);
			socket.setNoDelay(true);
			let rest = '';
			socket.on('data', chunk => {
				const at = now();
				const lines = (rest + chunk.toString('latin1')).split('\r\n');
				rest = lines.pop();
				for (const line of lines) {
					events.push({at, dir, line});
				}
			});
			socket.on('error', () => undefined);
			socket.on('close', () => {
				client.destroy();
				upstream.destroy();
			});
		}

		client.pipe(upstream);
		upstream.pipe(client);
	});
	await new Promise(resolve => server.listen(0, host, resolve));
	return {
		port: server.address().port,
		events,
		close() {
			for (const socket of sockets) {
				socket.destroy();
			}

			return new Promise(resolve => server.close(resolve));
		},
	};
}
