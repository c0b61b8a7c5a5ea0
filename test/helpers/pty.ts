import {execFile} from 'node:child_process';
import {StringDecoder} from 'node:string_decoder';

// A program in a pseudo-terminal of its own (Python's pty module), every byte it writes kept in order with
// the read it came in: for tests about what reaches the terminal and when, which tmux's screen hides.

export type PtyStep =
	/** Waits until the output so far contains the text (the run fails after timeoutS). */
	| {readonly until: string; readonly timeoutS?: number}
	/** Types the text (as one write). */
	| {readonly type: string}
	/** Sends the signal and waits for the program to end. */
	| {readonly signal: 'SIGTERM' | 'SIGINT' | 'SIGHUP'}
	/** Waits for the program to end by itself. */
	| {readonly exit: true};

export type PtyRun = {
	/** The output as read, one string per read. */
	readonly reads: readonly string[];
	readonly output: string;
	readonly exitCode: number | undefined;
	/** A step that timed out, and the output at that time. */
	readonly failed?: string;
};

const driver = String.raw`
import base64, json, os, pty, select, signal, struct, sys, time, fcntl, termios
spec = json.loads(sys.stdin.read())
pid, fd = pty.fork()
if pid == 0:
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack('HHHH', spec['rows'], spec['columns'], 0, 0))
    os.execvpe(spec['argv'][0], spec['argv'], spec['env'])
reads, output, failed, code = [], b'', None, None
def pump(deadline, done):
    global output
    while not done() and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.02)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                chunk = b''
            if not chunk:
                return True
            reads.append(base64.b64encode(chunk).decode())
            output += chunk
    return done()
def ended():
    global code
    if code is None:
        got, status = os.waitpid(pid, os.WNOHANG)
        if got == pid:
            code = os.waitstatus_to_exitcode(status)
    return code is not None
for step in spec['steps']:
    if 'until' in step:
        text = step['until'].encode()
        if not pump(time.monotonic() + step.get('timeoutS', 15), lambda: text in output):
            failed = 'until ' + step['until']
            break
    elif 'type' in step:
        os.write(fd, step['type'].encode())
    else:
        if 'signal' in step:
            os.kill(pid, getattr(signal, step['signal']))
        deadline = time.monotonic() + 10
        while not ended() and time.monotonic() < deadline:
            pump(time.monotonic() + 0.05, lambda: False)
        if code is None:
            failed = 'exit'
            break
        # What it wrote just before it ended is still in the terminal: read it up to the end.
        pump(time.monotonic() + 2, lambda: False)
if code is None and not ended():
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
print(json.dumps({'reads': reads, 'exitCode': code, 'failed': failed}))
`;

/** Runs argv in a pty of columns × rows through the steps, then kills what is left of it. */
export async function runInPty(argv: readonly string[], steps: readonly PtyStep[], options: {readonly env: NodeJS.ProcessEnv; readonly columns?: number; readonly rows?: number}): Promise<PtyRun> {
	const spec = JSON.stringify({argv, steps, env: options.env, columns: options.columns ?? 100, rows: options.rows ?? 30});
	const stdout = await new Promise<string>((resolve, reject) => {
		const child = execFile('python3', ['-c', driver], {encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 60_000}, (error, out) => {
			if (error) {
				reject(error);
			} else {
				resolve(out);
			}
		});
		child.stdin!.end(spec);
	});
	const {reads, exitCode, failed} = JSON.parse(stdout) as {reads: string[]; exitCode: number | null; failed: string | null};
	// A character cut between two reads belongs to the first.
	const decoder = new StringDecoder('utf8');
	const texts = reads.map(read => decoder.write(Buffer.from(read, 'base64')));
	return {reads: texts, output: texts.join('') + decoder.end(), exitCode: exitCode ?? undefined, ...(failed === null ? {} : {failed})};
}
