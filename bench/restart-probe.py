#!/usr/bin/env python3
"""Times one restart of a single member to its first answered read, finer than memory-recovery.sh.

    bench/restart-probe.py ours DATA_PARENT   # restarts DATA_PARENT/m-ours with bench/clusters.sh's
                                              # our_etcd (OUR_LIB, OUR_CDS, JAVA_OPTS as there)
    bench/restart-probe.py etcd DATA_PARENT   # restarts DATA_PARENT/m-etcd with /usr/bin/etcd

DATA_PARENT is a directory that `KEEP=1 bench/memory-recovery.sh` left behind, with the class-data
archive that run made (ours.jsa): the JVM ignores an archive silently once the jars it was made
from are rebuilt or copied again, and ours then starts ~0.5 s slower; rerun memory-recovery.sh,
or name a fresh archive in OUR_CDS. The member is
started on fresh loopback ports; a raw socket asks for /v2/keys/mem/last every 2 ms (no curl
process per try) until it gets a 200. Prints the milliseconds from spawning the process to the
first accepted connection and to that 200, then stops the member (its process group).
"""
import os
import signal
import socket
import subprocess
import sys
import time

if len(sys.argv) != 3 or sys.argv[1] not in ("ours", "etcd"):
    sys.exit("usage: bench/restart-probe.py <ours|etcd> DATA_PARENT")
kind, parent = sys.argv[1], os.path.abspath(sys.argv[2])
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if not os.path.isdir(os.path.join(parent, f"m-{kind}")):
    # a member started on a missing data dir would make a new, empty one and never have the key
    sys.exit(f"no {parent}/m-{kind}: run KEEP=1 bench/memory-recovery.sh first")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


cport, pport = free_port(), free_port()
client, peer = f"http://127.0.0.1:{cport}", f"http://127.0.0.1:{pport}"
name = f"m-{kind}"
flags = (f"--name {name} --data-dir {parent}/{name} --listen-client-urls {client} "
         f"--advertise-client-urls {client} --listen-peer-urls {peer} "
         f"--initial-advertise-peer-urls {peer} --initial-cluster {name}={peer}")
if kind == "ours":
    env = dict(os.environ, BENCH_TMP=parent)
    env.setdefault("OUR_CDS", os.path.join(parent, "ours.jsa"))
    cmd = f"root={root}; source {root}/bench/clusters.sh; our_etcd {flags}"
else:
    env = dict(os.environ)
    cmd = f"exec /usr/bin/etcd --enable-v2=true {flags}"
request = b"GET /v2/keys/mem/last HTTP/1.1\r\nHost: probe\r\n\r\n"
with open(os.path.join(parent, f"{name}.probe.log"), "a") as log:
    start = time.monotonic()
    proc = subprocess.Popen(["bash", "-c", cmd], stdout=log, stderr=log, env=env,
                            start_new_session=True)
    connected = None
    try:
        while time.monotonic() - start < 300:
            if proc.poll() is not None:
                sys.exit(f"{kind} exited with {proc.returncode} before serving (log: {log.name})")
            try:
                with socket.create_connection(("127.0.0.1", cport), timeout=5) as s:
                    connected = connected or time.monotonic()
                    s.sendall(request)
                    if s.recv(4096).startswith(b"HTTP/1.1 200"):
                        break
            except OSError:
                pass
            time.sleep(0.002)
        else:
            sys.exit(f"{kind} did not serve within 300 s (log: {log.name})")
        done = time.monotonic()
        print(f"{kind} connect_ms {int((connected - start) * 1000)} "
              f"read_ms {int((done - start) * 1000)}")
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass  # the member has exited already
        proc.wait()
