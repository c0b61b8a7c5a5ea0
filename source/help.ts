export const helpText = `
	Usage
	  $ tui-netchat [options]

	A split-pane chat over UDP and TCP. Talks to another tui-netchat, to nc/ncat and to plain
	socket scripts. Ctrl+T switches between UDP and TCP; Ctrl+C quits.

	Options
	  --port, -p N            Local port for both UDP and TCP (default 7852; if it is busy and
	                          you did not ask for it, a free port is taken and shown)
	  --peer, -c HOST:PORT    Who to talk to: 192.168.1.20:7852, [::1]:7852, pc.lan:7852
	                          (without it, replies go to whoever wrote last)
	  --protocol udp|tcp      Protocol at start (default udp)
	  --nick, -n NAME         Your name in the chat (default: your user name)
	  --bind ADDR             Listen on one address only, like 127.0.0.1 (default: all)
	  --help                  Show this help
	  --version               Show the version

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
`;
