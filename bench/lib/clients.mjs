// The terminal chat clients of scenario 8: tui-netchat, and weechat and irssi when they are installed, each
// with a temporary home (`weechat -d DIR`, `irssi --home=DIR`) and a configuration that needs nothing typed:
// it connects to 127.0.0.1:PORT and joins the channel. Clocks are taken out of their status bars (they
// would redraw once a minute, and the figures count bytes), and irssi's command queue does not hold its
// JOIN back 5 s (cmd_queue_speed 0); everything else, themes and layouts included, is their default.
import {execFileSync} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {findProgram} from './ircd.mjs';
import {cliArgv, temporaryPath} from './proc.mjs';

const homes = new Set();
const home = name => {
	const dir = temporaryPath(mkdtempSync(join(tmpdir(), `tnc-bench-${name}-`)));
	homes.add(dir);
	return dir;
};

/** Removes the temporary homes made so far (removeTemporary() would too, at the end of the run). */
export function removeHomes() {
	for (const dir of homes) {
		rmSync(dir, {recursive: true, force: true});
	}

	homes.clear();
}

function version(program, args, pattern) {
	try {
		return pattern.exec(execFileSync(program, args, {encoding: 'utf8', timeout: 5000}))?.[1] ?? '?';
	} catch {
		return '?';
	}
}

// weechat 3.8's default status bar items without [time].
const weechatStatus = '[buffer_last_number],[buffer_plugin],buffer_number+:+buffer_name+(buffer_modes)+{buffer_nicklist_count}+buffer_zoom+buffer_filter,scroll,[lag],[hotlist],[typing],completion';

const irssiConfig = (port, channel) => `servers = (
  { address = "127.0.0.1"; chatnet = "bench"; port = "${port}"; use_tls = "no"; tls_verify = "no"; autoconnect = "yes"; }
);
chatnets = { bench = { type = "IRC"; }; };
channels = ( { name = "${channel}"; chatnet = "bench"; autojoin = "yes"; } );
settings = {
  core = { real_name = "bench"; user_name = "irs"; nick = "irs"; };
  "irc/core" = { cmd_queue_speed = "0"; cmds_max_at_once = "100"; };
};
`;

/**
 * Each client: name, installed, version, and
 *   firstFrame    text that shows once its first full frame is drawn
 *   launch()      {program, args, until}: a plain start (no server), until firstFrame shows
 *   session(port) {program, args, until?, afterJoin?}: connected to 127.0.0.1:port, in #room; until: text that
 *                 shows once joined (else the server's JOIN and a quiet pty tell); afterJoin: keys that bring
 *                 the channel's window to the front
 * program undefined: node.
 */
export function clients(channel) {
	const list = [
		{
			name: 'tui-netchat',
			installed: true,
			version: '',
			// The status bar's Ctrl+T hint, as scenario 1.
			firstFrame: '^T',
			launch: () => ({args: [...cliArgv, '--port', '0'], until: '^T'}),
			session: port => ({args: [...cliArgv, '--port', '0', '-n', 'tnc', '--irc', `irc://tnc@127.0.0.1:${port}/${channel}`], until: `You joined ${channel}`}),
		},
	];
	const weechat = findProgram('weechat');
	list.push({
		name: 'weechat',
		installed: Boolean(weechat),
		version: weechat ? version(weechat, ['--version'], /^(\S+)/) : '',
		// The status bar's buffer name: drawn once the screen is laid out (the chat area comes in the same ms).
		firstFrame: '1:weechat',
		launch() {
			this.launchHome ??= home('weechat-start');
			return {program: weechat, args: ['-d', this.launchHome], until: this.firstFrame};
		},
		session: port => ({
			program: weechat,
			args: [
				'-d',
				home('weechat'),
				'-r',
				[
					`/set weechat.bar.status.items "${weechatStatus}"`,
					`/server add bench 127.0.0.1/${port} -notls -nicks=wee -username=wee -realname=bench -autojoin=${channel}`,
					'/connect bench',
				].join(';'),
			],
		}),
	});
	const irssi = findProgram('irssi');
	list.push({
		name: 'irssi',
		installed: Boolean(irssi),
		version: irssi ? version(irssi, ['--version'], /^irssi (\S+)/) : '',
		// The input line's prompt: the last thing of its first frame.
		firstFrame: '[(status)]',
		launch() {
			this.launchHome ??= home('irssi-start');
			return {program: irssi, args: [`--home=${this.launchHome}`], until: this.firstFrame};
		},
		session(port) {
			const dir = home('irssi');
			writeFileSync(join(dir, 'config'), irssiConfig(port, channel));
			writeFileSync(join(dir, 'startup'), '/statusbar removeitem time window\n');
			// An autojoined channel opens in window 2 without taking the front: Alt+2.
			return {program: irssi, args: [`--home=${dir}`], afterJoin: '\u001b2'};
		},
	});
	return list;
}
