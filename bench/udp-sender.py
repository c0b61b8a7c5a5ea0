#!/usr/bin/env python3
"""Sends COUNT UDP datagrams "TAG-<n>" to HOST:PORT at RATE a second, paced in 1 ms slots: each slot sends
what is due by then, so the rate holds on average and bursts stay small (RATE/1000 a slot, more only after
the scheduler was late). Prints {"sent":..,"seconds":..,"errors":..,"maxBurst":..} at the end.

usage: udp-sender.py HOST PORT RATE COUNT TAG
"""
import json, socket, sys, time

host, port, rate, count, tag = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4 << 20)
payloads = [f'{tag}-{n}'.encode() for n in range(count)]
sent = errors = max_burst = 0
start = time.monotonic()
while sent < count:
    due = min(count, int((time.monotonic() - start) * rate) + 1)
    max_burst = max(max_burst, due - sent)
    while sent < due:
        try:
            sock.sendto(payloads[sent], (host, port))
        except OSError:
            errors += 1
        sent += 1
    # Sleep to the next datagram's time (at least the 1 ms slot the kernel gives us anyway).
    wait = start + sent / rate - time.monotonic()
    if wait > 0:
        time.sleep(max(wait, 0.001))
print(json.dumps({'sent': sent, 'seconds': time.monotonic() - start, 'errors': errors, 'maxBurst': max_burst}), flush=True)
