#!/usr/bin/env python3
"""Runs one command in a pseudo-terminal and measures it from close by, so the harness's own latency
is never part of a figure. Node has no pty without node-pty; Python's pty module is enough.

usage: pty-driver.py [--cols N] [--rows N] [--until TEXT] [--timeout S] [--record] -- command args...

A background thread reads the pty all the time (a full pty would block the app). The driver prints JSON
lines on stdout: first {"event":"spawned","pid":...}, then, with --until, {"event":"ready","ms":...}: the
time from just before fork to the first output containing TEXT. Both carry "at": time.monotonic() in
seconds (at fork, when the text was read), CLOCK_MONOTONIC like Node's process.hrtime(), so the bench can
compare it with its own clock. With --record it keeps every chunk it read with its time, for a terminal
model to replay (bench/lib/screen.mjs). Then it reads commands, one JSON object a line, on stdin, and
answers each with one JSON line:
  {"cmd":"type","text":"abc","gap":0.05,"timeout":2,"before":""}
                                                       keys one at a time; per key, ms until the draft so
                                                       far (before + keys) shows after the "> " prompt
                                                       (null: timed out); and the bytes the app wrote;
                                                       "echo":"key": wait for the key itself instead (any
                                                       program's echo); "sent": each key's write time (s)
  {"cmd":"press","text":"\u0015","wait":0.2}          writes keys unmeasured, waits, answers with "at": the
                                                       time.monotonic() (s) just before the write
  {"cmd":"idle","seconds":2}                          bytes the app wrote in that time
  {"cmd":"bytes"}                                     bytes the app wrote so far
  {"cmd":"wait","text":"x","timeout":5}               ms until TEXT shows in output from now on
  {"cmd":"chunks","from":0}                           with --record: [[time, base64], ...] from chunk FROM on
  {"cmd":"quit"}                                      SIGTERM, then SIGKILL after 2 s; exits
The child is killed when the driver's stdin closes or it gets SIGTERM, so it never outlives the driver.
"""
import base64, fcntl, json, os, pty, re, signal, struct, sys, termios, threading, time

ANSI = re.compile(rb'\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])')

def main():
    args = sys.argv[1:]
    cols, rows, until, timeout, record = 120, 40, None, 20.0, None
    while args and args[0] != '--':
        if args[0] == '--record':
            record, args = [], args[1:]
            continue
        flag, value, args = args[0], args[1], args[2:]
        if flag == '--cols': cols = int(value)
        elif flag == '--rows': rows = int(value)
        elif flag == '--until': until = value.encode()
        elif flag == '--timeout': timeout = float(value)
        else: raise SystemExit(f'unknown flag {flag}')
    argv = args[1:]

    t0 = time.monotonic()
    pid, fd = pty.fork()
    if pid == 0:
        # The terminal size must be right before the app asks for it.
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack('HHHH', rows, cols, 0, 0))
        try:
            os.execvp(argv[0], argv)
        finally:
            os._exit(127)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', rows, cols, 0, 0))

    state = {'total': 0, 'watch': None, 'eof': False}
    cond = threading.Condition()

    def reader():
        while True:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                chunk = b''
            now = time.monotonic()
            with cond:
                if not chunk:
                    state['eof'] = True
                    cond.notify_all()
                    return
                state['total'] += len(chunk)
                if record is not None:
                    record.append((now, chunk))
                watch = state['watch']
                if watch is not None and watch['at'] is None:
                    watch['buf'] += chunk
                    # Only the tail can newly match: search what came since the last look, plus an overlap.
                    start = max(0, watch['scanned'] - 4096)
                    plain = ANSI.sub(b'', watch['buf'][start:])
                    watch['scanned'] = len(watch['buf'])
                    if watch['pattern'] in plain:
                        watch['at'] = now
                cond.notify_all()

    def emit(obj):
        sys.stdout.write(json.dumps(obj) + '\n')
        sys.stdout.flush()

    def watch_for(pattern, deadline, action=None):
        """Starts watching for pattern, runs action, waits; returns the monotonic time it showed, or None."""
        with cond:
            state['watch'] = {'pattern': pattern, 'buf': b'', 'scanned': 0, 'at': None}
            if action:
                action()
            while state['watch']['at'] is None and not state['eof']:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                cond.wait(left)
            at = state['watch']['at']
            state['watch'] = None
            return at

    def kill():
        for sig, wait in ((signal.SIGTERM, 2.0), (signal.SIGKILL, 2.0)):
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                return
            end = time.monotonic() + wait
            while time.monotonic() < end:
                done, _ = os.waitpid(pid, os.WNOHANG)
                if done:
                    return
                time.sleep(0.02)

    signal.signal(signal.SIGTERM, lambda *_: (kill(), os._exit(0)))
    with cond:
        state['watch'] = {'pattern': until, 'buf': b'', 'scanned': 0, 'at': None} if until else None
    threading.Thread(target=reader, daemon=True).start()
    emit({'event': 'spawned', 'pid': pid, 'at': t0})
    if until:
        with cond:
            while state['watch']['at'] is None and not state['eof'] and time.monotonic() < t0 + timeout:
                cond.wait(0.05)
            at = state['watch']['at']
            state['watch'] = None
        emit({'event': 'ready', 'ms': None if at is None else (at - t0) * 1000, 'at': at})

    try:
        for line in sys.stdin:
            if not line.strip():
                continue
            cmd = json.loads(line)
            name = cmd['cmd']
            if name == 'type':
                latencies, sent_at, draft = [], [], cmd.get('before', '').encode()
                echo_key = cmd.get('echo') == 'key'
                with cond:
                    before = state['total']
                for ch in cmd['text']:
                    key = ch.encode()
                    draft += key
                    # The input line is redrawn whole: the prompt and the draft so far, once escapes are removed.
                    sent = {}
                    def press():
                        sent['t'] = time.monotonic()
                        os.write(fd, key)
                    at = watch_for(key if echo_key else b'> ' + draft, time.monotonic() + cmd.get('timeout', 2), press)
                    latencies.append(None if at is None else (at - sent['t']) * 1000)
                    sent_at.append(sent['t'])
                    time.sleep(cmd.get('gap', 0.05))
                with cond:
                    emit({'latencies': latencies, 'bytes': state['total'] - before, 'sent': sent_at})
            elif name == 'press':
                at = time.monotonic()
                os.write(fd, cmd['text'].encode())
                time.sleep(cmd.get('wait', 0.2))
                emit({'ok': True, 'at': at})
            elif name == 'idle':
                with cond:
                    before = state['total']
                time.sleep(cmd['seconds'])
                with cond:
                    emit({'bytes': state['total'] - before})
            elif name == 'bytes':
                with cond:
                    emit({'bytes': state['total']})
            elif name == 'wait':
                start = time.monotonic()
                at = watch_for(cmd['text'].encode(), start + cmd.get('timeout', 5))
                emit({'ms': None if at is None else (at - start) * 1000})
            elif name == 'chunks':
                with cond:
                    got = list((record or [])[cmd.get('from', 0):])
                emit({'chunks': [[at, base64.b64encode(chunk).decode()] for at, chunk in got]})
            elif name == 'quit':
                break
            else:
                emit({'error': f'unknown command {name}'})
    finally:
        kill()
        emit({'event': 'exited'})

if __name__ == '__main__':
    main()
