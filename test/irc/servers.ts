// Real IRC servers from Debian's packages for the tests: ngircd 26.1 and inspircd 3.15, on 127.0.0.1 only, in
// the foreground, configuration, pid and log files in a temporary directory, run as nobody when we are root.
// A network is a star: irc1.test waits for links, irc2.test (and any further server) dials it.
//
// Measured here (loopback, 2 cores), with the defaults these configurations keep:
// ngircd 26.1 (flood control: only MaxPenaltyTime, 0 = off, and the oper-set user mode F; no "Excess Flood"):
//   - A client's lines are handled at most 3 per pass; more waiting in its buffer, or 256+ bytes handled within
//     one second, add 1 s of penalty; while penalised the socket is not even read. PRIVMSG bursts sent in one
//     write: 3 lines at once, then ~3 lines/s for 60-byte lines, ~2.4/s for 300-byte, ~2/s for 500-byte.
//     50, 200 and 1000 lines of 300 bytes: never disconnected; all 200 arrived after 82 s (1000 were 95 in 40 s).
//     A line over 512 bytes (CR LF included) closes the link ("ERROR :Request too long").
//   - Penalties in seconds (26.1 source): 1 right after registration (so the first command after 001, e.g. JOIN, waits ~1 s),
//     2 for every error numeric sent back, 1 per extra PRIVMSG target, NAMES/WHO/WHOIS/MODE/TOPIC 1, LIST 2,
//     MOTD 3, WHO with a mask 3, a wrong OPER password 10.
//   - Registration (connect to 001) 0-4 ms; connect to joined (366) ~1003 ms; a second JOIN right after: ~1 ms.
//   - CAP LS 302 -> ":irc1.test CAP * LS :multi-prefix" (also for plain CAP LS). Nicks: 9 characters at most.
//   - Default MaxConnectionsIP 5 would cap a test at 5 clients from 127.0.0.1: set to 0 (no limit) here.
//   - Two servers that both dial each other crashed one ngircd (SIGSEGV): one side waits (Passive).
//   - Relinking: a dialling server retries every ConnectRetry (min. 5 s, default 60) but waited 9-20 s after a
//     lost link; restart() of the waiting server therefore has the dialler CONNECT at once (an [Operator]).
//     Pair up and linked ~1.1 s; restart() of irc2 ~1.1 s, of irc1 ~2.1 s (both until relinked).
// inspircd 3.15 (connect class with no flood settings: threshold 10, commandrate 1000 = 1 command/s, fakelag on):
//   - After an idle spell 11 lines at once, then exactly 1 line/s (fake lag: held, not dropped, not killed). Right
//     after registration + JOIN + PING only 7 at once.
//   - recvq 4096 bytes: more than 4096 unprocessed bytes and the client is closed at once with
//     "ERROR :Closing link: (user@127.0.0.1) [RecvQ exceeded]", none of the lines handled: 13 x 300 bytes pass,
//     14 x 300 (or 50, 200, 1000) are killed; 68 x 60 bytes pass, 69 killed. No "Excess Flood" with fakelag on.
//   - localmax/globalmax default 3 per IP would cap a test at 3 clients: set to 1000 here.
//   - Registration ~1003 ms, with or without CAP (it seems a once-a-second check lets users in); joined 1 ms later.
//   - CAP LS 302 (and CAP LS) -> ":irc1.test CAP * LS :account-notify account-tag away-notify batch cap-notify
//     chghost echo-message extended-join extended-monitor inspircd.org/poison inspircd.org/standard-replies
//     invite-notify labeled-response message-tags multi-prefix server-time setname userhost-in-names " (with that
//     trailing space; no values, no sts, no sasl).
//   - Pair up and linked ~4.1 s; restart() of either ~5 s (autoconnect runs on a ~5 s timer).
// Both cut a relayed line to 512 bytes with the sender's nick!user@host prefix counted: a 512-byte PRIVMSG
//   arrived with 472 characters of its 498 ending "[CUT]" (ngircd) or 473 cut silently (inspircd; it also cuts
//   longer input lines instead of closing).
// TLS: inspircd ships m_ssl_gnutls only (no ssl_openssl/mbedtls); ngircd is built with GnuTLS; the openssl 3.0
//   CLI is in /usr/bin (gnutls-cli and certtool too). `tls: true` below gives each server a TLS port.
// SASL: inspircd's m_sasl offers the `sasl` cap only while its <sasl target> server is linked; with no services
//   it is not offered. Pointed at a plain linked inspircd it is offered and ACKed, but AUTHENTICATE gets no
//   answer at all; CAP END then gives 906 "SASL authentication aborted". ngircd has no SASL.

import {spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync} from 'node:fs';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import {delimiter, join} from 'node:path';
import {setTimeout as delay} from 'node:timers/promises';
import {RawIrcClient, parseIrcLine} from './raw-client.js';

export type IrcServerKind = 'ngircd' | 'inspircd';

export type IrcServer = {
	readonly kind: IrcServerKind;
	/** The server's IRC name (irc1.test, irc2.test, ...). */
	readonly name: string;
	readonly host: '127.0.0.1';
	/** The client port (plain text). */
	readonly port: number;
	/** inspircd only: the port it takes server links on. */
	readonly linkPort: number | undefined;
	/** With `tls: true`: the client port speaking TLS (certificate in `IrcNetwork.tlsCertificate`). */
	readonly tlsPort: number | undefined;
	/** The process id while it runs. */
	readonly pid: number | undefined;
	readonly running: boolean;
	/** SIGKILL; resolves once the process has exited. */
	kill(): Promise<void>;
	/**
	 * Kills it if it runs, starts it again on the same ports with the same configuration and resolves once it
	 * listens and, in a network, once every server is linked again.
	 */
	restart(): Promise<void>;
	/** What the server printed and logged, over all its runs. */
	logs(): string;
};

export type IrcNetwork = {
	readonly servers: readonly IrcServer[];
	/** The temporary directory with the configurations, pid and log files. */
	readonly dir: string;
	/** With `tls: true`: the self-signed certificate (PEM) every server presents, for 127.0.0.1 and localhost. */
	readonly tlsCertificate: string | undefined;
	/** Resolves once a probe client on every running server sees the probes of all the others in one channel. */
	waitLinked(timeoutMs?: number): Promise<void>;
	/** Stops every server (SIGTERM, SIGKILL after 3 s), waits for them to exit, removes the directory. */
	close(): Promise<void>;
};

export type StartOptions = {
	/** Appended to every server's configuration (ngircd: later assignments win; inspircd: more tags). */
	readonly extraConfig?: string;
	/** Give up on start-up (listening and linked) after this many milliseconds (default 20 s). */
	readonly timeoutMs?: number;
	/** Also a TLS client port on every server, with a self-signed certificate made by `openssl`. */
	readonly tls?: boolean;
};

const host = '127.0.0.1';
const nobody = 65_534;
const isRoot = process.getuid?.() === 0;

/** Finds a program on PATH or, when PATH lacks them, in the sbin folders Debian installs daemons into. */
export function findProgram(name: string): string | undefined {
	const folders = [...(process.env['PATH'] ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin', '/sbin'];
	for (const folder of folders) {
		if (folder !== '' && existsSync(join(folder, name))) {
			return join(folder, name);
		}
	}

	return undefined;
}

/** True when both servers can run here (for `describe.skipIf`). */
export function haveIrcServers(): {ngircd: boolean; inspircd: boolean} {
	return {ngircd: findProgram('ngircd') !== undefined, inspircd: findProgram('inspircd') !== undefined};
}

function requireProgram(name: string): string {
	const path = findProgram(name);
	if (path === undefined) {
		throw new Error(`${name} is not installed (apt-get install ${name}); looked on PATH and in /usr/sbin`);
	}

	return path;
}

/** `count` distinct TCP ports free on 127.0.0.1 right now (each bound to port 0, all held until the last). */
async function freeLoopbackPorts(count: number): Promise<number[]> {
	const servers = [];
	try {
		for (let index = 0; index < count; index++) {
			const server = createServer();
			servers.push(server);
			await new Promise<void>((resolve, reject) => {
				server.once('error', reject);
				server.listen({port: 0, host, exclusive: true}, () => resolve());
			});
		}

		return servers.map(server => {
			const address = server.address();
			if (address === null || typeof address === 'string') {
				throw new Error('no port');
			}

			return address.port;
		});
	} finally {
		await Promise.all(servers.map(async server => new Promise<void>(resolve => server.close(() => resolve()))));
	}
}

/** Socket inodes in LISTEN state on 127.0.0.1:port (or any address), from /proc/net/tcp. */
function listeningInodes(port: number): Set<string> {
	const inodes = new Set<string>();
	const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
	let table = '';
	try {
		table = readFileSync('/proc/net/tcp', 'utf8');
	} catch {
		return inodes;
	}

	for (const row of table.split('\n').slice(1)) {
		const fields = row.trim().split(/\s+/);
		const local = fields[1];
		if ((local === `0100007F:${hexPort}` || local === `00000000:${hexPort}`) && fields[3] === '0A' && fields[9] !== undefined) {
			inodes.add(fields[9]);
		}
	}

	return inodes;
}

/** True when process `pid` holds a socket listening on `port` (any process, when its fds cannot be read). */
function pidListensOn(pid: number, port: number): boolean {
	const inodes = listeningInodes(port);
	if (inodes.size === 0) {
		return false;
	}

	let fds: string[];
	try {
		fds = readdirSync(`/proc/${pid}/fd`);
	} catch {
		return true;
	}

	for (const fd of fds) {
		try {
			const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
			const match = /^socket:\[(\d+)\]$/.exec(target);
			if (match?.[1] !== undefined && inodes.has(match[1])) {
				return true;
			}
		} catch {}
	}

	return false;
}

/** Every child still running when the test process exits is killed, so none outlives a crashed run. */
const running = new Set<ChildProcess>();
/** The temporary directories of networks not closed yet, removed as the test process exits. */
const removeOnExit = new Set<string>();
let exitHookInstalled = false;
function installExitHook(): void {
	if (!exitHookInstalled) {
		exitHookInstalled = true;
		process.once('exit', () => {
			for (const child of running) {
				try {
					child.kill('SIGKILL');
				} catch {}
			}

			for (const dir of removeOnExit) {
				try {
					rmSync(dir, {recursive: true, force: true});
				} catch {}
			}
		});
	}
}

function track(child: ChildProcess): void {
	installExitHook();
	running.add(child);
	child.once('exit', () => running.delete(child));
}

class StartError extends Error {
	constructor(message: string, readonly portTaken: boolean) {
		super(message);
	}
}

type ServerSpec = {
	readonly index: number;
	readonly name: string;
	readonly sid: string;
	port: number;
	linkPort: number | undefined;
	tlsPort: number | undefined;
	/** The servers this one dials (by index); the others are passive towards it. */
	readonly dials: readonly number[];
	readonly peers: readonly number[];
};

const maxOutput = 4 * 1024 * 1024;
const operName = 'harness';

class ManagedServer implements IrcServer {
	readonly host = host;
	private child: ChildProcess | undefined;
	private alive = false;
	private exited: Promise<void> = Promise.resolve();
	private output = '';
	private runs = 0;

	constructor(
		readonly kind: IrcServerKind,
		private readonly spec: ServerSpec,
		private readonly network: ManagedNetwork,
	) {}

	get name(): string {
		return this.spec.name;
	}

	get port(): number {
		return this.spec.port;
	}

	get linkPort(): number | undefined {
		return this.spec.linkPort;
	}

	get tlsPort(): number | undefined {
		return this.spec.tlsPort;
	}

	get pid(): number | undefined {
		return this.running ? this.child?.pid : undefined;
	}

	get running(): boolean {
		return this.alive;
	}

	get configPath(): string {
		return join(this.network.dir, `${this.kind}-${this.spec.index}.conf`);
	}

	get logPath(): string {
		return join(this.network.dir, `${this.kind}-${this.spec.index}.log`);
	}

	get pidPath(): string {
		return join(this.network.dir, `${this.kind}-${this.spec.index}.pid`);
	}

	logs(): string {
		let logFile = '';
		if (this.kind === 'inspircd') {
			try {
				logFile = `\n--- ${this.logPath} ---\n${readFileSync(this.logPath, 'utf8')}`;
			} catch {}
		}

		return this.output + logFile;
	}

	writeConfig(): void {
		const text = this.kind === 'ngircd' ? this.ngircdConfig() : this.inspircdConfig();
		writeFileSync(this.configPath, text + (this.network.extraConfig ? `\n${this.network.extraConfig}\n` : ''), {mode: 0o644});
	}

	/** Starts the process and resolves once it listens on its port(s). */
	async start(timeoutMs: number): Promise<void> {
		if (this.running) {
			throw new Error(`${this.name} already runs`);
		}

		rmSync(this.pidPath, {force: true});
		const argv = this.kind === 'ngircd'
			? [requireProgram('ngircd'), '-n', '-f', this.configPath]
			: [
				...(isRoot ? [requireProgram('setpriv'), `--reuid=${nobody}`, `--regid=${nobody}`, '--clear-groups'] : []),
				requireProgram('inspircd'), `--config=${this.configPath}`, '--nofork', '--nopid',
			];
		this.runs++;
		this.append(`--- run ${this.runs}: ${argv.join(' ')} ---\n`);
		const child = spawn(argv[0]!, argv.slice(1), {cwd: this.network.dir, stdio: ['ignore', 'pipe', 'pipe']});
		this.child = child;
		this.alive = true;
		track(child);
		const run = this.runs;
		// 'close' comes after 'exit' once stdout and stderr are drained: the logs are complete by then.
		this.exited = new Promise(resolve => {
			child.once('close', (code, signal) => {
				this.append(`--- run ${run} ended: ${signal ?? `exit code ${code}`} ---\n`);
				resolve();
			});
			child.once('error', error => {
				this.alive = false;
				this.append(`--- run ${run}: ${error.message} ---\n`);
				resolve();
			});
		});
		child.once('exit', () => {
			this.alive = false;
		});
		child.stdout?.setEncoding('utf8').on('data', (chunk: string) => this.append(chunk));
		child.stderr?.setEncoding('utf8').on('data', (chunk: string) => this.append(chunk));

		const ports = [this.spec.port, this.spec.linkPort, this.spec.tlsPort].filter(port => port !== undefined);
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			if (!this.running) {
				await this.exited;
				throw new StartError(`${this.name} (${this.kind}) exited before it listened:\n${this.logs()}`, this.portTaken());
			}

			const pid = child.pid;
			if (pid !== undefined && ports.every(port => pidListensOn(pid, port))) {
				return;
			}

			if (this.portTaken() || Date.now() > deadline) {
				const taken = this.portTaken();
				await this.kill();
				throw new StartError(`${this.name} (${this.kind}) did not listen on ${ports.join(', ')}${taken ? ' (port taken)' : ''}:\n${this.logs()}`, taken);
			}

			await delay(20);
		}
	}

	async kill(): Promise<void> {
		if (this.running) {
			this.child?.kill('SIGKILL');
		}

		await this.exited;
	}

	/** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
	async stop(graceMs = 3000): Promise<void> {
		if (!this.running) {
			await this.exited;
			return;
		}

		this.child?.kill('SIGTERM');
		const timer = setTimeout(() => this.child?.kill('SIGKILL'), graceMs);
		await this.exited;
		clearTimeout(timer);
	}

	async restart(): Promise<void> {
		await this.kill();
		const timeoutMs = this.network.timeoutMs;
		const deadline = Date.now() + timeoutMs;
		// The port was ours a moment ago: both daemons set SO_REUSEADDR, so it is taken only if another
		// program grabbed it in between. Retry a little in case that is a short-lived connect.
		for (let attempt = 1; ; attempt++) {
			try {
				await this.start(Math.max(1000, deadline - Date.now()));
				break;
			} catch (error) {
				if (!(error instanceof StartError) || !error.portTaken || attempt >= 5 || Date.now() > deadline) {
					throw error;
				}

				await delay(200 * attempt);
			}
		}

		if (this.network.servers.length > 1) {
			await this.network.nudgeDiallers(this.spec.index, Math.max(1000, deadline - Date.now()));
			await this.network.waitLinked(Math.max(1000, deadline - Date.now()));
		}
	}

	private append(text: string): void {
		this.output += text;
		if (this.output.length > maxOutput) {
			this.output = this.output.slice(-maxOutput / 2);
		}
	}

	private portTaken(): boolean {
		const text = this.logs();
		const lastRun = text.lastIndexOf(`--- run ${this.runs}:`);
		return /address already in use|EADDRINUSE|could not bind|can't bind/i.test(text.slice(Math.max(0, lastRun)));
	}

	private ngircdConfig(): string {
		const spec = this.spec;
		const lines = [
			'# Written by test/irc/servers.ts; every value not set here is ngircd 26.1\'s default.',
			'[Global]',
			`Name = ${spec.name}`,
			`Info = tui-netchat test server ${spec.index}`,
			'Network = TestNet',
			`Listen = ${host}`,
			`Ports = ${spec.port}`,
			...(isRoot ? ['ServerUID = nobody', 'ServerGID = nogroup'] : []),
			`PidFile = ${this.pidPath}`,
			'MotdPhrase = tui-netchat test server',
			'AdminInfo1 = tui-netchat tests',
			'AdminInfo2 = loopback only',
			'AdminEMail = nobody@localhost.invalid',
			'[Limits]',
			// The minimum ngircd accepts (default 60 s): how soon a dialling server tries again after a lost link.
			'ConnectRetry = 5',
			// Default 5 per IP: every test client comes from 127.0.0.1, so that would cap a test at 5 clients.
			'MaxConnectionsIP = 0',
			'[Options]',
			'PAM = no',
			'Ident = no',
			'DNS = no',
			// Default /etc/ngircd/ngircd.conf.d: keep the machine's snippets out.
			`IncludeDir = ${join(this.network.dir, 'ngircd.conf.d')}`,
			...(spec.tlsPort === undefined ? [] : [
				'[SSL]',
				`CertFile = ${this.network.certPath}`,
				`KeyFile = ${this.network.keyPath}`,
				`Ports = ${spec.tlsPort}`,
			]),
			// For the harness only: after a restart of a server that waits for links, CONNECT asks the servers
			// that dial it to try now instead of after their retry timer (9-20 s measured, ConnectRetry 5).
			'[Operator]',
			`Name = ${operName}`,
			`Password = ${this.network.operPassword}`,
		];
		for (const peer of spec.peers) {
			const other = this.network.specs[peer]!;
			const dials = spec.dials.includes(peer);
			lines.push(
				'[Server]',
				`Name = ${other.name}`,
				`Host = ${host}`,
				...(dials ? [`Port = ${other.port}`] : ['Passive = yes']),
				`MyPassword = link${spec.index}to${other.index}`,
				`PeerPassword = link${other.index}to${spec.index}`,
			);
		}

		return `${lines.join('\n')}\n`;
	}

	private inspircdConfig(): string {
		const spec = this.spec;
		const modules = [
			'spanningtree',
			'cap',
			'ircv3', // away-notify, account-notify, extended-join
			'ircv3_capnotify',
			'ircv3_ctctags', // message-tags
			'ircv3_msgid',
			'ircv3_servertime',
			'ircv3_echomessage',
			'ircv3_batch',
			'ircv3_labeledresponse',
			'ircv3_invitenotify',
			'ircv3_chghost',
			'ircv3_accounttag',
			'namesx', // multi-prefix
			'uhnames', // userhost-in-names
			'setname',
			'monitor',
		];
		const lines = [
			'<config format="xml">',
			'# Written by test/irc/servers.ts; every value not set here is inspircd 3.15\'s default.',
			`<server name="${spec.name}" description="tui-netchat test server ${spec.index}" network="TestNet" id="${spec.sid}">`,
			'<admin name="tui-netchat tests" nick="nobody" email="nobody@localhost.invalid">',
			`<bind address="${host}" port="${spec.port}" type="clients">`,
			...(spec.linkPort === undefined ? [] : [`<bind address="${host}" port="${spec.linkPort}" type="servers">`]),
			...(spec.tlsPort === undefined ? [] : [
				'<module name="ssl_gnutls">',
				`<sslprofile name="tls" provider="gnutls" certfile="${this.network.certPath}" keyfile="${this.network.keyPath}">`,
				`<bind address="${host}" port="${spec.tlsPort}" type="clients" sslprofile="tls">`,
			]),
			// Flood settings (threshold, commandrate, fakelag, recvq, sendq) stay at their defaults. localmax and
			// globalmax (default 3 per IP) would cap a test at 3 clients: all come from 127.0.0.1.
			'<connect name="main" allow="*" localmax="1000" globalmax="1000" maxconnwarn="no" resolvehostnames="no">',
			// No lookup leaves loopback: the resolver is pointed at 127.0.0.1 and clients are not looked up.
			`<dns server="${host}" timeout="1">`,
			`<log method="file" type="* -USERINPUT -USEROUTPUT" level="default" target="${this.logPath}">`,
			...modules.map(module => `<module name="${module}">`),
		];
		for (const peer of spec.peers) {
			const other = this.network.specs[peer]!;
			lines.push(
				`<link name="${other.name}" ipaddr="${host}" port="${other.linkPort!}" allowmask="127.0.0.0/8" timeout="5s"`
				+ ` sendpass="link${spec.index}to${other.index}" recvpass="link${other.index}to${spec.index}">`,
			);
		}

		if (spec.dials.length > 0) {
			// Tried again this often while unlinked; the spanningtree timer that runs it ticks every 5 s or so.
			lines.push(`<autoconnect period="1s" server="${spec.dials.map(peer => this.network.specs[peer]!.name).join(' ')}">`);
		}

		return `${lines.join('\n')}\n`;
	}
}

class ManagedNetwork implements IrcNetwork {
	readonly servers: ManagedServer[] = [];
	readonly specs: ServerSpec[] = [];
	readonly dir: string;
	tlsCertificate: string | undefined;
	readonly operPassword = `pw${Math.random().toString(36).slice(2, 10)}`;
	private probes = 0;

	constructor(
		readonly kind: IrcServerKind,
		count: number,
		readonly extraConfig: string | undefined,
		readonly timeoutMs: number,
		readonly tls: boolean,
	) {
		installExitHook();
		this.dir = mkdtempSync(join(tmpdir(), `tnc-irc-${kind}-`));
		mkdirSync(join(this.dir, 'ngircd.conf.d'));
		if (isRoot) {
			// The daemons run as nobody: the pid and log files are written there, the configuration read.
			chownSync(this.dir, nobody, nobody);
			chownSync(join(this.dir, 'ngircd.conf.d'), nobody, nobody);
		}

		chmodSync(this.dir, 0o700);
		removeOnExit.add(this.dir);
		// A star: server 1 is the hub and waits, every other server dials it. ngircd crashed (SIGSEGV) when two
		// servers dialled each other at the same moment.
		for (let index = 1; index <= count; index++) {
			this.specs[index] = {
				index,
				name: `irc${index}.test`,
				sid: `${index % 10}${String.fromCharCode(64 + Math.ceil(index / 10))}T`,
				port: 0,
				linkPort: undefined,
				tlsPort: undefined,
				dials: index === 1 ? [] : [1],
				peers: index === 1 ? Array.from({length: count - 1}, (_, offset) => offset + 2) : [1],
			};
			this.servers.push(new ManagedServer(kind, this.specs[index]!, this));
		}
	}

	get certPath(): string {
		return join(this.dir, 'tls-cert.pem');
	}

	get keyPath(): string {
		return join(this.dir, 'tls-key.pem');
	}

	/** A self-signed certificate for 127.0.0.1 and localhost, readable by the servers (they run as nobody). */
	private makeCertificate(): void {
		const result = spawnSync(requireProgram('openssl'), [
			'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1',
			'-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-keyout', this.keyPath, '-out', this.certPath,
		], {encoding: 'utf8'});
		if (result.status !== 0) {
			throw new Error(`openssl could not make a certificate: ${result.stderr}`);
		}

		chmodSync(this.keyPath, 0o644);
		chmodSync(this.certPath, 0o644);
		this.tlsCertificate = readFileSync(this.certPath, 'utf8');
	}

	async start(): Promise<void> {
		const deadline = Date.now() + this.timeoutMs;
		if (this.tls) {
			this.makeCertificate();
		}

		for (let attempt = 1; ; attempt++) {
			try {
				await this.assignPorts();
				for (const server of this.servers) {
					server.writeConfig();
				}

				// The hub first: a server that dials finds it listening and links at once.
				for (const server of this.servers) {
					await server.start(Math.max(1000, deadline - Date.now()));
				}

				if (this.servers.length > 1) {
					await this.waitLinked(Math.max(1000, deadline - Date.now()));
				}

				return;
			} catch (error) {
				await Promise.all(this.servers.map(async server => server.kill()));
				if (!(error instanceof StartError) || !error.portTaken || attempt >= 5) {
					throw error;
				}
			}
		}
	}

	async waitLinked(timeoutMs = this.timeoutMs): Promise<void> {
		const live = this.servers.filter(server => server.running);
		if (live.length < 2) {
			return;
		}

		const deadline = Date.now() + timeoutMs;
		const tag = `${process.pid.toString(36).slice(-2)}${(this.probes++).toString(36)}`;
		const channel = `#probe${tag}`;
		const nicks = live.map((_server, index) => `p${index}${tag}`.slice(0, 9));
		const clients: RawIrcClient[] = [];
		try {
			const connecting = live.map(async (server, index) =>
				RawIrcClient.connect(server, nicks[index]!, {timeoutMs: Math.max(1000, deadline - Date.now())}));
			const settled = await Promise.allSettled(connecting);
			for (const result of settled) {
				if (result.status === 'fulfilled') {
					clients.push(result.value);
				}
			}

			for (const result of settled) {
				if (result.status === 'rejected') {
					throw result.reason;
				}
			}

			await Promise.all(clients.map(async client => client.join(channel, Math.max(1000, deadline - Date.now()))));
			// Each probe sees the others once the servers are linked and have exchanged their bursts: by their
			// JOIN (when they join later or the networks merge) or in a NAMES reply (asked for again and again).
			await Promise.all(clients.map(async (client, index) => {
				const others = new Set(nicks.filter((_nick, other) => other !== index).map(nick => nick.toLowerCase()));
				const seen = new Set<string>();
				const notice = (line: string) => {
					const message = parseIrcLine(line);
					if (message.command === 'JOIN') {
						seen.add((message.source?.split('!')[0] ?? '').toLowerCase());
					} else if (message.command === '353') {
						for (const name of (message.params.at(-1) ?? '').split(' ')) {
							seen.add(name.replace(/^[~&@%+]+/, '').split('!')[0]!.toLowerCase());
						}
					}

					return [...others].every(nick => seen.has(nick));
				};

				let from = 0;
				for (;;) {
					const remaining = deadline - Date.now();
					if (remaining <= 0) {
						throw new Error(`servers not linked within ${timeoutMs} ms: ${client.nick} on ${client.server.port} does not see ${[...others].filter(nick => !seen.has(nick)).join(', ')}\n`
							+ this.servers.map(server => `=== ${server.name} ===\n${server.logs().slice(-4000)}`).join('\n'));
					}

					try {
						await client.waitFor(notice, Math.min(remaining, 1000), from);
						return;
					} catch (error) {
						if (client.isClosed) {
							throw error;
						}
					}

					from = client.mark();
					client.send(`NAMES ${channel}`);
				}
			}));
		} finally {
			await Promise.all(clients.map(async client => client.close()));
		}
	}

	/**
	 * ngircd only: has every running server that dials server `index` try at once (an operator's CONNECT),
	 * rather than when its own retry timer fires. inspircd's autoconnect retries within about 5 s by itself.
	 */
	async nudgeDiallers(index: number, timeoutMs: number): Promise<void> {
		if (this.kind !== 'ngircd') {
			return;
		}

		const target = this.specs[index]!;
		const diallers = this.servers.filter((server, offset) => server.running && this.specs[offset + 1]!.dials.includes(index));
		await Promise.all(diallers.map(async server => {
			const client = await RawIrcClient.connect(server, `op${(this.probes++).toString(36)}${process.pid.toString(36).slice(-3)}`.slice(0, 9), {timeoutMs});
			try {
				let from = client.mark();
				client.send(`OPER ${operName} ${this.operPassword}`);
				await client.waitFor(line => /^\S+ (381|464|491) /.test(line), timeoutMs, from);
				from = client.mark();
				client.send(`CONNECT ${target.name}`);
				// No reply when it starts to dial; one for an error. Either way a PING round trip says it is done.
				client.send('PING :nudged');
				await client.waitFor(line => / PONG .*nudged/.test(line), timeoutMs, from);
			} finally {
				await client.close();
			}
		}));
	}

	async close(): Promise<void> {
		removeOnExit.delete(this.dir);
		await Promise.all(this.servers.map(async server => server.stop()));
		rmSync(this.dir, {recursive: true, force: true});
	}

	private async assignPorts(): Promise<void> {
		const needsLinkPort = this.kind === 'inspircd' && this.servers.length > 1;
		const perServer = 1 + (needsLinkPort ? 1 : 0) + (this.tls ? 1 : 0);
		const ports = await freeLoopbackPorts(this.servers.length * perServer);
		for (let offset = 0; offset < this.servers.length; offset++) {
			const spec = this.specs[offset + 1]!;
			const mine = ports.slice(offset * perServer, (offset + 1) * perServer);
			spec.port = mine.shift()!;
			spec.linkPort = needsLinkPort ? mine.shift() : undefined;
			spec.tlsPort = this.tls ? mine.shift() : undefined;
		}
	}
}

/** Starts `count` servers of one kind linked into one network (count 1: a lone server). */
export async function startIrcNetwork(kind: IrcServerKind, count: number, options: StartOptions = {}): Promise<IrcNetwork> {
	requireProgram(kind);
	if (options.tls) {
		requireProgram('openssl');
	}

	const network = new ManagedNetwork(kind, count, options.extraConfig, options.timeoutMs ?? 20_000, options.tls === true);
	try {
		await network.start();
	} catch (error) {
		await network.close();
		throw error;
	}

	return network;
}

/** Two ngircd 26.1 linked: irc1.test (waits for the link) and irc2.test (dials irc1). */
export async function startNgircdPair(options?: StartOptions): Promise<IrcNetwork> {
	return startIrcNetwork('ngircd', 2, options);
}

/** Two inspircd 3.15 with the IRCv3 modules, linked: irc1.test (waits) and irc2.test (dials irc1). */
export async function startInspircdPair(options?: StartOptions): Promise<IrcNetwork> {
	return startIrcNetwork('inspircd', 2, options);
}

/** One ngircd. */
export async function startNgircd(options?: StartOptions): Promise<IrcNetwork> {
	return startIrcNetwork('ngircd', 1, options);
}

/** One inspircd with the IRCv3 modules. */
export async function startInspircd(options?: StartOptions): Promise<IrcNetwork> {
	return startIrcNetwork('inspircd', 1, options);
}
