import {packageVersion} from '../domain/version.js';

declare const PACKAGE_DESCRIPTION: string | undefined;

export {packageVersion};
/** Set from package.json by the build (scripts/build.mjs). */
export const packageDescription = typeof PACKAGE_DESCRIPTION === 'string' ? PACKAGE_DESCRIPTION : '';

export const helpText = `
	Usage
	  $ tui-netchat [options]

	A split-pane chat over UDP and TCP. Talks to another tui-netchat, to nc/ncat and to plain
	socket scripts. Ctrl+T switches between UDP and TCP; Alt+1..9 or Ctrl+N/P switch buffers
	(1: everything, then one per conversation); /help lists commands; Ctrl+C quits.
	F2 shows the datagrams and TCP chunks as they pass, in hex (F3 pauses; /inspect filters).
	With stdin or stdout not a terminal (pipe mode), each input line is sent (slash commands
	/nick /me /proto /connect /query /msg /quit run; //text sends "/text") and each message
	received is printed as a line (see --format); it exits once input has ended.

	Options
	  --port, -p N            Local port for both UDP and TCP (default 7852; if it is busy and
	                          you did not ask for it, a free port is taken and shown)
	  --peer, -c HOST:PORT    Who to talk to: 192.168.1.20:7852, [::1]:7852, pc.lan:7852
	                          (without it, replies go to whoever wrote last)
	  --protocol udp|tcp      Protocol at start (default udp)
	  --nick, -n NAME         Your name in the chat (default: your user name)
	  --bind ADDR             Listen on one address only, like 127.0.0.1 (default: all)
	  --log FILE              Append every message, sent and received, to FILE
	  --downloads DIR         Where received files go (default $XDG_DOWNLOAD_DIR/tui-netchat,
	                          else ~/Downloads/tui-netchat)
	  --bell off|mention|all  When the terminal bell rings: never, when someone writes your
	                          nick or a private message (default), or for every message
	  --no-bell               The same as --bell off
	  --notify                A desktop notification (OSC 9 / OSC 777) on a mention
	  --config FILE           Read defaults from FILE instead of the config file (below)
	  --encoding NAME         utf8 (default), gbk or gb18030, for peers that speak GBK
	  --max-datagram N        Split UDP messages longer than N bytes (default 1024, the
	                          tutorial's recvfrom(1024); at most 65507)
	  --send TEXT             Send one message to --peer and exit (0 when it went out; the
	                          text is sent as it is, a leading / too)
	  --listen                Pipe mode that keeps running after input ends, printing what
	                          arrives, until Ctrl+C or SIGTERM (exit 0). Needs no --peer; a
	                          terminal on stdin is not read; port 7852 unless --port
	  --format FORMAT         How pipe mode prints a message: a template with {time} {date}
	                          {nick} {address} {transport} {text} {conversation} and \\t for
	                          a tab (default '{time} <{nick}> {text}'; '{text}' prints only
	                          the text), or json: one object a line (time, nick, address,
	                          transport, text, action, conversation)
	  --secret PASSPHRASE     Seal (encrypt and authenticate) everything; peers need the same
	                          secret. Also from TUI_NETCHAT_SECRET; --secret - asks for it
	  --irc URL               Join IRC channels: irc://[nick@]host[:port]/#room[,#other]
	                          (ircs:// for TLS, certificate checked); may be repeated
	  --irc-password PASS     SASL PLAIN password for --irc (the account is the nick). Also
	                          from TUI_NETCHAT_IRC_PASSWORD; --irc-password - asks for it
	  --no-discovery          Do not announce yourself on the LAN or look for peers there
	                          (discovery: UDP port 7849 broadcasts, IPv6 ff02::1, mDNS
	                          _tui-netchat._udp; on with a terminal, off in pipe mode unless
	                          --discovery; also TUI_NETCHAT_DISCOVERY=off)
	  --discover              List the tui-netchat peers on the LAN (3 s) and exit
	  --help                  Show this help
	  --version               Show the version

	Config file
	  $XDG_CONFIG_HOME/tui-netchat/config.toml (~/.config/tui-netchat/config.toml) gives
	  defaults for the options (flags win; no secrets), named peers and the display:
	    nick = "alice"                     [peers]
	    protocol = "tcp"                   home = "192.168.1.20:7852"   (--peer home)
	    irc = ["irc://irc.libera.chat/#room"]
	    [display]
	    time_format = "%H:%M"    bell = "mention"    notify = false

	Terminals
	  TERM=dumb gets a plain line mode (lines in, messages out, commands as in pipe mode).
	  A locale that is not UTF-8 (LANG=C) gets ASCII rules and marks. Ctrl+Z suspends.

	Examples
	  Wait for messages on port 7852:
	    $ tui-netchat
	  Talk to it from a second terminal:
	    $ tui-netchat --peer 127.0.0.1:7852
	  Start over TCP with a nickname:
	    $ tui-netchat -c 192.168.1.20:7852 --protocol tcp -n alice
	  Talk to netcat:
	    $ nc -u -l 9000            then   $ tui-netchat -c 127.0.0.1:9000
	    $ printf 'hi\\n' | nc -u -w1 127.0.0.1 7852
	  Script it:
	    $ printf 'a\\nb\\n' | tui-netchat --peer 127.0.0.1:7852
	    $ tui-netchat --peer 127.0.0.1:7852 --protocol tcp --send 'build finished'
	    $ printf '/nick ci\\n/me starts the build\\n' | tui-netchat --peer 127.0.0.1:7852
	  Log everything that arrives on port 7852, with the date, until Ctrl+C:
	    $ tui-netchat --listen --format '{date} {time}\\t{nick}\\t{text}' > chat.tsv
	  Read messages as JSON in a script:
	    $ tui-netchat --listen --format json | jq -r .text
	  See who is on the LAN, then chat with one of them (/peers lists them, /query N picks):
	    $ tui-netchat --discover
	    $ tui-netchat              then   /peers   /query 2
	  Chat in an IRC channel (beside your UDP and TCP peers; /join, /part, F7 nick list):
	    $ tui-netchat --irc irc://alice@irc.example.net/#room
	  Send a file (the peer sees the offer: /accept or /reject; /transfers shows progress):
	    $ tui-netchat -c 192.168.1.20:7852    then   /send ~/report.pdf
	  Receive a file from plain nc (the line printed says which port):
	    /receive report.pdf       then, on the other machine:   $ nc HOST PORT < report.pdf
	  Keep a log and talk to a GBK peer:
	    $ tui-netchat -c 192.168.1.20:7852 --encoding gbk --log chat.log
`;
