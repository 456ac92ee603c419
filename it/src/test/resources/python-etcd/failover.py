"""A python-etcd client given every member of a cluster, across the loss of the member it uses.

    python3 failover.py URL1 URL2 URL3
Writes keys through a client whose first member is URL1 and parks a watch there, prints
"phase 1 done" and waits for a line on stdin (the caller kills URL1's member meanwhile), then
writes more keys through the same client, which must move to another member by itself (its
allow_reconnect, fed by /v2/machines), and prints one JSON line: what was acknowledged, what a
read of the whole directory returned, and what the parked watch received.
"""
import json
import sys
import threading
from urllib.parse import urlparse

import etcd

urls = [urlparse(u) for u in sys.argv[1:]]
hosts = tuple((u.hostname, u.port) for u in urls)


def connect():
    return etcd.Client(host=hosts, protocol=urls[0].scheme, allow_reconnect=True, read_timeout=5)


client = connect()
acknowledged = []
for i in range(20):
    acknowledged.append(client.write('/failover/k%02d' % i, 'v%d' % i).key)
next_index = client.read('/failover').etcd_index + 1

watcher = connect()
seen = {}


def watch():
    try:
        event = watcher.watch('/failover', index=next_index, recursive=True, timeout=30)
        seen['event'] = [event.action, event.key, event.value]
    except Exception as e:  # reported, not raised: the caller compares
        seen['event'] = ['raised', type(e).__name__, str(e)]


thread = threading.Thread(target=watch)
thread.start()
print('phase 1 done', flush=True)
sys.stdin.readline()

errors = []
for i in range(20, 40):
    try:
        acknowledged.append(client.write('/failover/k%02d' % i, 'v%d' % i).key)
    except Exception as e:
        errors.append('%s: %s' % (type(e).__name__, e))
thread.join(40)
listed = sorted(n.key for n in client.read('/failover', recursive=True).leaves)
print(json.dumps({'acknowledged': acknowledged, 'listed': listed, 'errors': errors,
                  'watch': seen.get('event'), 'serving': client.base_uri != sys.argv[1]}), flush=True)
