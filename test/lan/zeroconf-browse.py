#!/usr/bin/env python3
"""Browses _tui-netchat._udp.local. with python-zeroconf, a foreign mDNS implementation, for test/lan/mdns.test.ts.

usage: zeroconf-browse.py ADDRESS SECONDS [COUNT]
Listens on the interface with ADDRESS for SECONDS, or until COUNT services were added (0: no limit).
Prints JSON lines: {"event": "ready"}; {"event": "added" | "updated" | "removed", "t": epoch ms, "name",
"server", "addresses", "port", "properties"} per service change; {"event": "record", "name", "type", "ttl",
"data"} for every record received from the network (what the browser sees); {"event": "done"}.
An update of a name never added (python-zeroconf reports one for any new SRV or TXT record of the type, forged
ones too) is not resolved or printed: resolving a name whose host never answers blocks the handlers for 3 s.
"""
import json
import socket
import sys
import threading
import time

from zeroconf import IPVersion, RecordUpdateListener, ServiceBrowser, ServiceStateChange, Zeroconf

SERVICE_TYPE = "_tui-netchat._udp.local."
lock = threading.Lock()
added = threading.Event()
count = 0
known = set()


def emit(**fields):
    with lock:
        print(json.dumps(fields, ensure_ascii=False), flush=True)


def text(value):
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


def describe(record):
    for attribute in ("alias", "server", "text"):
        if hasattr(record, attribute):
            return text(getattr(record, attribute))
    address = getattr(record, "address", None)
    if isinstance(address, bytes) and len(address) in (4, 16):
        return socket.inet_ntop(socket.AF_INET if len(address) == 4 else socket.AF_INET6, address)
    return repr(record)


class Records(RecordUpdateListener):
    def async_update_records(self, zc, now, records):
        for update in records:
            record = update.new
            emit(event="record", name=record.name, type=record.get_type(record.type), ttl=record.ttl, data=describe(record))


def on_change(zeroconf, service_type, name, state_change):
    global count
    event = {ServiceStateChange.Added: "added", ServiceStateChange.Updated: "updated", ServiceStateChange.Removed: "removed"}[state_change]
    if state_change == ServiceStateChange.Updated and name not in known:
        return
    (known.discard if state_change == ServiceStateChange.Removed else known.add)(name)
    fields = {"event": event, "t": round(time.time() * 1000), "name": name}
    if state_change != ServiceStateChange.Removed:
        info = zeroconf.get_service_info(service_type, name, 3000)
        if info is not None:
            properties = {text(key): text(value) for key, value in info.properties.items()}
            fields.update(server=info.server, addresses=info.parsed_addresses(), port=info.port, properties=properties)
    emit(**fields)
    if state_change == ServiceStateChange.Added:
        count += 1
        added.set()


def main():
    address, seconds = sys.argv[1], float(sys.argv[2])
    limit = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    zc = Zeroconf(interfaces=[address], ip_version=IPVersion.V4Only)
    zc.add_listener(Records(), None)
    ServiceBrowser(zc, SERVICE_TYPE, handlers=[on_change])
    emit(event="ready")
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and (limit == 0 or count < limit):
        added.wait(min(0.2, max(0.0, deadline - time.monotonic())))
        added.clear()
    zc.close()
    emit(event="done")


if __name__ == "__main__":
    main()
