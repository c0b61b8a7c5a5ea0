// 8. Terminal output, side by side, each program in a 120x40 pty of its own: tui-netchat, and weechat and
// irssi when installed (temporary homes, lib/clients.mjs). All three are IRC clients of the same scripted
// server in this process (lib/ircd.mjs, with 004/005), joined to #room:
//   history   5,000 PRIVMSG lines in one write: a full pane and a long history
//   incoming  10 one-row PRIVMSG, one at a time: pty bytes from just before the write until 300 ms quiet
//   keys      10 warm-up keys and Ctrl+U, then 26 keys one every ~50 ms: pty bytes a key (the first frame
//             is long gone), and key echo: key written → the first chunk read after which the input row,
//             on a terminal model fed every byte (lib/screen.mjs), holds the draft so far. Both clocks
//             are the pty driver's.
//   start-up  launch → first full frame, 1 warm-up + 7 each, interleaved with a bare `node -e`
import {median, quantile, sleep} from './proc.mjs';
import {clients, removeHomes} from './clients.mjs';
import {scriptedServer} from './ircd.mjs';
import {openPty, warmUpTyping} from './pty.mjs';
import {echoTimes, finalLines, haveScreen, rowWith} from './screen.mjs';

const channel = '#room';
const keys = 'thequickbrownfoxjumpsoverl';
const historyLines = 5000;
const incomingCount = 10;
const startRuns = 7;
const scenario = '8 terminal output';

const incomingText = index => `incoming ${String(index).padStart(2, '0')} the quick brown fox jumps over the lazy dog zq${index}x`;
const ms = value => (Number.isFinite(value) ? `${value.toFixed(value < 10 ? 2 : value < 100 ? 1 : 0)} ms` : '–');

/** Until the program has written nothing for quietS (or maxS passed); resolves with the bytes written meanwhile. */
async function settle(pty, quietS = 0.3, maxS = 30) {
	const end = performance.now() + maxS * 1000;
	let total = 0;
	for (;;) {
		const {bytes} = await pty.command({cmd: 'idle', seconds: quietS});
		total += bytes;
		if (bytes === 0 || performance.now() > end) {
			return total;
		}
	}
}

async function session(client) {
	const server = await scriptedServer({isupport: true});
	const spec = client.session(server.port);
	let pty;
	try {
		pty = await openPty(spec.args, {program: spec.program, until: spec.until, record: true, timeoutS: 20});
		const connection = await server.joined(channel, 20_000);
		if (!connection) {
			throw new Error(`${client.name} did not join ${channel} on the scripted server`);
		}

		await settle(pty, 0.5);
		if (spec.afterJoin) {
			await pty.command({cmd: 'press', text: spec.afterJoin, wait: 0.1});
			await settle(pty);
		}

		let history = '';
		for (let index = 0; index < historyLines; index++) {
			history += `:bob!b@h PRIVMSG ${channel} :history ${index} lorem ipsum dolor sit amet, consectetur adipiscing elit\r\n`;
		}

		const filledAt = performance.now();
		connection.socket.write(history);
		await settle(pty, 0.5, 60);
		const fillS = (performance.now() - filledAt) / 1000;

		const incoming = [];
		for (let index = 0; index < incomingCount; index++) {
			const before = (await pty.command({cmd: 'bytes'})).bytes;
			connection.socket.write(`:bob!b@h PRIVMSG ${channel} :${incomingText(index)}\r\n`);
			await settle(pty, 0.3, 5);
			incoming.push((await pty.command({cmd: 'bytes'})).bytes - before);
		}

		await warmUpTyping(pty);
		await settle(pty);
		const typed = await pty.command({cmd: 'type', text: keys, echo: 'key', gap: 0.05, timeout: 2});
		const trailing = await settle(pty);
		const chunks = await pty.chunks();
		const lines = await finalLines(chunks, 120, 40);
		const inputRow = rowWith(lines, keys);
		const drafts = [...keys].map((_key, index) => keys.slice(0, index + 1));
		const echo = inputRow < 0 ? undefined : await echoTimes(chunks, typed.sent.map(at => at * 1000), drafts, inputRow);
		const last = incomingText(incomingCount - 1);
		const messageRow = lines.find(line => line.includes(last)) ?? '';
		return {
			name: client.name,
			fillS,
			incoming,
			bytesPerKey: (typed.bytes + trailing) / keys.length,
			streamEcho: typed.latencies,
			echo: echo?.times ?? keys.split('').map(() => null),
			inputRow,
			// The row the last message took, from its first character to the end of the text.
			rowLength: messageRow ? messageRow.slice(0, messageRow.indexOf(last) + last.length).trimStart().length : Number.NaN,
			shown: Boolean(messageRow),
		};
	} finally {
		await pty?.close();
		await server.close();
	}
}

async function launchMs({program, args, until}) {
	const pty = await openPty(args, {program, until, timeoutS: 15});
	await pty.close();
	return pty.readyMs;
}

/** Launch → first frame: 1 warm-up and startRuns each, interleaved; medians. */
async function startTimes(installed) {
	const bare = {name: 'bare node', launch: () => ({args: ['-e', 'console.log("ready")'], until: 'ready'})};
	const all = [bare, ...installed];
	const times = new Map(all.map(client => [client.name, []]));
	for (let run = 0; run <= startRuns; run++) {
		for (const client of all) {
			const value = await launchMs(client.launch());
			if (run > 0) {
				times.get(client.name).push(value);
			}
		}
	}

	return times;
}

const summary = result => {
	const missed = result.echo.filter(value => value === null).length;
	return `${result.name}: ${result.bytesPerKey.toFixed(1)} B a key, incoming ${result.incoming.join('/')} B (row ${result.rowLength} columns), echo median ${ms(median(result.echo))} p95 ${ms(quantile(result.echo, 0.95))} (stream: key char read ${ms(median(result.streamEcho))}), not echoed ${missed}, fill settled in ${result.fillS.toFixed(1)} s`;
};

export async function terminal(report) {
	if (!haveScreen) {
		throw new Error('@xterm/headless is not installed (npm ci): the terminal model reads the screens');
	}

	const list = clients(channel);
	const installed = list.filter(client => client.installed);
	const results = new Map();
	const failed = [];
	let times;
	try {
		for (const client of installed) {
			try {
				results.set(client.name, await session(client));
			} catch (error) {
				// A baseline that breaks is a row of its own; the app's figures still count.
				if (client.name === 'tui-netchat') {
					throw error;
				}

				failed.push({client, error});
			}

			await sleep(200);
		}

		times = await startTimes(installed.filter(client => results.has(client.name)));
	} finally {
		removeHomes();
	}

	const app = results.get('tui-netchat');
	const others = installed.filter(client => client.name !== 'tui-netchat' && results.has(client.name));
	const label = client => `${client.name}${client.version ? ` ${client.version}` : ''}`;
	const baseline = format => others.map(client => `${format(results.get(client.name), client)} ${label(client)}`).join(' · ');
	const notInstalled = list.filter(client => !client.installed);

	const missed = app.echo.filter(value => value === null).length;
	const messageBytes = median(app.incoming);
	const messageLimit = 2 * app.rowLength + 80;
	report({
		scenario,
		figure: `pty bytes per typed key (${keys.length} keys, full pane, ${historyLines} lines of history)`,
		value: `${app.bytesPerKey.toFixed(1)} B`,
		baseline: baseline(result => `${result.bytesPerKey.toFixed(1)} B`),
		target: '≤ 64 B',
		pass: app.bytesPerKey <= 64 && missed === 0,
		note: [app, ...others.map(client => results.get(client.name))].map(summary).join('; '),
	});
	report({
		scenario,
		figure: `pty bytes per incoming one-row PRIVMSG, full pane (median of ${incomingCount})`,
		value: `${messageBytes.toFixed(0)} B`,
		baseline: baseline(result => `${median(result.incoming).toFixed(0)} B`),
		target: `≤ 2 × row + 80 = ${Number.isFinite(messageLimit) ? messageLimit : '?'} B`,
		pass: messageBytes <= messageLimit && app.shown,
		note:
			`row: the message as shown (${app.rowLength} columns: time, nick, text); 2 × the row for its text and colours, + 80 for cursor moves, ` +
			`scroll region, DEC 2026 and the status bar's counter; ${[...results.keys()].join(', ')}: IRC clients of one scripted server in the bench process (history and ` +
			`messages as PRIVMSG from bob in ${channel}); last message on screen: ${[app, ...others.map(client => results.get(client.name))].map(result => `${result.name} ${result.shown ? 'yes' : 'NO'}`).join(', ')}`,
	});
	report({
		scenario,
		figure: `key echo median, idle (${keys.length} keys, terminal model)`,
		value: ms(median(app.echo)),
		baseline: baseline(result => ms(median(result.echo))),
		target: '≤ 1.5 ms',
		pass: median(app.echo) <= 1.5 && missed === 0,
		note: `keystroke written → first chunk read after which the input row (row ${app.inputRow + 1}) shows the draft so far, by the pty driver's clock; not echoed within 2 s: ${missed}`,
	});
	report({
		scenario,
		figure: 'key echo p95, idle',
		value: ms(quantile(app.echo, 0.95)),
		baseline: baseline(result => ms(quantile(result.echo, 0.95))),
	});
	const appStart = median(times.get('tui-netchat'));
	const bareStart = median(times.get('bare node'));
	report({
		scenario,
		figure: `launch to first frame, median of ${startRuns} (pty)`,
		value: ms(appStart),
		baseline: [`${ms(bareStart)} bare node`, ...others.map(client => `${ms(median(times.get(client.name)))} ${label(client)}`)].join(' · '),
		ratio: appStart / bareStart,
		target: 'ratio ≤ 1.5 (bare node)',
		pass: appStart / bareStart <= 1.5,
		note: `first frame: ${[...results.keys()].map(name => `${name} "${list.find(client => client.name === name).firstFrame}"`).join(', ')}, bare node "ready"; 1 warm-up each, interleaved; ${[...times].map(([name, values]) => `${name} ${values.map(value => value.toFixed(0)).join(', ')}`).join('; ')} ms`,
	});
	for (const {client, error} of failed) {
		report({scenario, figure: `${label(client)} (baseline)`, value: 'harness error', note: String(error?.message ?? error).slice(0, 300)});
	}

	for (const client of notInstalled) {
		report({scenario, figure: `${client.name} (baseline)`, value: 'not installed', note: `apt-get install ${client.name === 'weechat' ? 'weechat-curses' : client.name} for its figures beside the app's`});
	}
}
