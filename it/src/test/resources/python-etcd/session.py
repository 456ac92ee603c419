"""A python-etcd user's session, printed as a transcript that does not depend on the server.

Run with Debian's python3 and python3-etcd (python-etcd 0.4.5):
    python3 session.py http://127.0.0.1:2379
Each line is one call of the library and what it returned or raised. Indexes are printed
relative to the session's first write, ports as placeholders and TTLs by the hundred they fall
in, so that the transcript against etcd and against another server must be the same line for
line.
"""
import json
import logging
import re
import sys
import threading
import time
from urllib.parse import urlparse

import etcd
import etcd.auth
import etcd.lock

# The library's own warnings (a response without X-Etcd-Cluster-Id, a failed request) belong in the
# transcript too.
logging.basicConfig(level=logging.WARNING, stream=sys.stdout, format='log %(levelname)s %(message)s')
url = urlparse(sys.argv[1])
client = etcd.Client(host=url.hostname, port=url.port, protocol=url.scheme, read_timeout=10)
base = None


def rel(index):
    return None if index is None or base is None else index - base


def ttl(value):
    # A TTL read back seconds after it was set has lost some of them, more on a slow machine:
    # print the hundred it falls in (the script sets 100 and 200).
    if value is None:
        return None
    return 'ttl<=%d' % (-(-value // 100) * 100)


def key(name):
    # An in-order key is named after its created index, twenty digits.
    if name is None or base is None:
        return name
    return re.sub(r'/(\d{20})$', lambda m: '/<in-order %d>' % (int(m.group(1)) - base), name)


def message(text):
    # Indexes quoted in a message ("[8 != 10]", "[24/5]") relative to the first write; the port.
    text = re.sub(r'port=\d+', 'port=<port>', text)
    if base is None:
        return text
    return re.sub(r'\[[^\]]*\]', lambda m: re.sub(
        r'(?<!\w)\d+(?!\w)', lambda n: '{{%d}}' % (int(n.group(0)) - base) if int(n.group(0)) >= base else n.group(0),
        m.group(0)), text)


def node(result):
    if result is None:
        return None
    out = {'key': key(result.key), 'value': result.value, 'dir': result.dir, 'ttl': ttl(result.ttl),
           'modified': rel(result.modifiedIndex), 'created': rel(result.createdIndex)}
    if result.expiration is not None:
        out['expiration'] = 'set'
    return out


def show(result):
    if not isinstance(result, etcd.EtcdResult):
        return result
    out = {'action': result.action, 'newKey': getattr(result, 'newKey', False)}
    out.update(node(result))
    out['prev'] = node(getattr(result, '_prev_node', None))
    out['children'] = [node(c) for c in result.leaves] if result.dir else None
    out['etcd_index_moved'] = rel(result.etcd_index) is not None and rel(result.etcd_index) >= 0
    return out


def error(e):
    payload = e.payload if isinstance(getattr(e, 'payload', None), dict) else {}
    return {'raised': type(e).__name__, 'message': message(str(e)),
            'errorCode': payload.get('errorCode'), 'status': payload.get('status')}


def step(name, call):
    try:
        value = call()
    except Exception as e:  # the exception is the observation
        value = error(e)
    else:
        value = show(value)
    print(name, json.dumps(value, sort_keys=True, default=str))
    sys.stdout.flush()
    return value


def first_write():
    global base
    r = client.write('/py/a', 'v1')
    base = r.modifiedIndex
    return r


def url_shape(text):
    parsed = urlparse(text)
    return '%s://%s:<port>' % (parsed.scheme, parsed.hostname)


# The server itself.
step('version', lambda: client.version)
step('cluster_version', lambda: client.cluster_version)
step('machines', lambda: [url_shape(m) for m in client.machines])
step('members', lambda: [{'name': m['name'], 'clientURLs': [url_shape(u) for u in m['clientURLs']],
                          'peerURLs': [url_shape(u) for u in m['peerURLs']]}
                         for m in client.members.values()])
step('leader', lambda: client.leader['name'])
step('stats', lambda: sorted(client.stats.keys()))
step('stats.state', lambda: client.stats['state'])
step('leader_stats', lambda: sorted(client.leader_stats.keys()))
step('store_stats', lambda: sorted(client.store_stats.keys()))

# Keys: write, read, compare-and-swap, TTLs.
step('write', first_write)
step('read', lambda: client.read('/py/a'))
step('get', lambda: client.get('/py/a'))
step('set', lambda: client.set('/py/a', 'v2'))
step('contains', lambda: ('/py/a' in client, '/py/missing' in client))
step('read missing', lambda: client.read('/py/missing'))
step('write under a file', lambda: client.write('/py/a/b', 'x'))
step('write ttl', lambda: client.write('/py/t', 'tv', ttl=100))
step('read ttl', lambda: client.read('/py/t'))
step('refresh', lambda: client.refresh('/py/t', ttl=200))
step('refresh missing', lambda: client.refresh('/py/nope', ttl=200))
step('write bad ttl', lambda: client.write('/py/t', 'tv', ttl='abc'))
step('write prevExist=False on existing', lambda: client.write('/py/a', 'v3', prevExist=False))
step('write prevExist=False', lambda: client.write('/py/new', 'n1', prevExist=False))
step('write prevExist=True on missing', lambda: client.write('/py/none', 'v', prevExist=True))
step('test_and_set', lambda: client.test_and_set('/py/a', 'v3', 'v2'))
step('test_and_set fails', lambda: client.test_and_set('/py/a', 'v4', 'wrong'))
step('write prevIndex', lambda: client.write('/py/a', 'v4', prevIndex=base + 3))
step('write wrong prevIndex', lambda: client.write('/py/a', 'v5', prevIndex=base))
def update_value():
    r = client.read('/py/a')
    r.value = 'v5'
    return client.update(r)


step('update read result', update_value)


def update_stale():
    r = client.read('/py/a')
    client.write('/py/a', 'v6')
    r.value = 'stale'
    return client.update(r)


step('update stale result', update_stale)

# Directories and in-order keys.
step('mkdir', lambda: client.write('/py/dir', None, dir=True))
step('mkdir again', lambda: client.write('/py/dir', None, dir=True))
step('write over dir', lambda: client.write('/py/dir', 'x'))
step('read dir as value', lambda: client.get('/py/dir'))
step('append 1', lambda: client.write('/py/queue', 'first', append=True))
step('append 2', lambda: client.write('/py/queue', 'second', append=True))
step('read queue sorted', lambda: client.read('/py/queue', sorted=True))
step('write deep', lambda: client.write('/py/dir/x/y', 'deep'))
step('read recursive sorted', lambda: client.read('/py', recursive=True, sorted=True))
step('leaves of /py', lambda: sorted(key(r.key) for r in client.read('/py', recursive=True).leaves))
step('children of /py', lambda: sorted(key(r.key) for r in client.read('/py').children))
step('subtree', lambda: sorted(key(r.key) for r in client.read('/py', recursive=True).get_subtree()))
step('read dir non-recursive', lambda: client.read('/py/dir', sorted=True))
step('write root', lambda: client.write('/', 'x'))
step('hidden key', lambda: client.write('/py/_hidden', 'h'))
step('hidden key not listed', lambda: sorted(key(r.key) for r in client.read('/py').children))

# Watches: past events by index, a timeout, an event that arrives while waiting.
step('watch past index', lambda: client.watch('/py/a', index=base + 1))
step('watch recursive past index', lambda: client.watch('/py', index=base + 2, recursive=True))
step('read wait waitIndex', lambda: client.read('/py/queue', wait=True, waitIndex=base, recursive=True))
step('watch times out', lambda: client.watch('/py/quiet', timeout=1))


def watch_live():
    # Waits from the next index, so the write is seen even if it lands before the watch does.
    after = client.read('/py').etcd_index + 1

    def later():
        time.sleep(0.5)
        client.write('/py/live', 'arrived')
    writer = threading.Thread(target=later)
    writer.start()
    try:
        return client.watch('/py/live', index=after, timeout=10)
    finally:
        writer.join()


step('watch live', watch_live)


def eternal():
    seen = []
    for event in client.eternal_watch('/py', index=base, recursive=True):
        seen.append((event.action, key(event.key), rel(event.modifiedIndex)))
        if len(seen) == 4:
            return seen


step('eternal_watch', eternal)
step('watch cleared index', lambda: [client.write('/py/churn', str(i)) for i in range(1005)] and
     client.watch('/py', index=base, recursive=True))
step('watch index far ahead times out', lambda: client.watch('/py/a', index=base + 100000, timeout=1))

# Deletes: files, directories, compare-and-delete, pop.
step('delete dir without dir', lambda: client.delete('/py/dir'))
step('delete non-empty dir', lambda: client.delete('/py/dir', dir=True))
step('delete dir recursive', lambda: client.delete('/py/dir', recursive=True))
step('delete missing', lambda: client.delete('/py/dir'))
step('delete prevValue wrong', lambda: client.delete('/py/a', prevValue='wrong'))
step('delete prevIndex wrong', lambda: client.delete('/py/a', prevIndex=base + 500))
step('delete prevValue', lambda: client.delete('/py/new', prevValue='n1'))
step('pop', lambda: node(client.pop('/py/t')))
step('mkdir empty', lambda: client.write('/py/empty', None, dir=True))
step('delete empty dir', lambda: client.delete('/py/empty', dir=True))
step('delete root', lambda: client.delete('/', recursive=True))

# The lock recipe: in-order keys, sorted reads and watches on the predecessor.
lock = etcd.lock.Lock(client, 'py-lock')
step('lock acquire', lambda: lock.acquire(blocking=True, lock_ttl=30))
step('lock is_acquired', lambda: lock.is_acquired)
other = etcd.lock.Lock(client, 'py-lock')
step('second lock non-blocking', lambda: other.acquire(blocking=False, lock_ttl=30))


def contend():
    holder = {}

    def wait_for_it():
        holder['got'] = other.acquire(blocking=True, lock_ttl=30, timeout=10)
    waiter = threading.Thread(target=wait_for_it)
    waiter.start()
    time.sleep(0.5)
    lock.release()
    waiter.join()
    return holder.get('got'), other.is_acquired


step('second lock after release', contend)
step('second lock release', lambda: other.release())
step('lock is_acquired after release', lambda: other.is_acquired)

# Users, roles and the switch, as the library's auth module drives them (JSON bodies).
step('users before', lambda: etcd.auth.EtcdUser(client, 'x').names)
step('roles before', lambda: sorted(etcd.auth.EtcdRole(client, 'x').names))
step('auth active', lambda: etcd.auth.Auth(client).active)


def make_user():
    user = etcd.auth.EtcdUser(client, 'alice')
    user.password = 'secret'
    user.write()
    return user.name


step('create user', make_user)


def make_role():
    role = etcd.auth.EtcdRole(client, 'readers')
    role.grant('/py/*', 'R')
    role.write()
    role = etcd.auth.EtcdRole(client, 'readers')
    role.read()
    return {k: sorted(v) for k, v in role.acls.items()}


step('create role', make_role)


def grant_role():
    user = etcd.auth.EtcdUser(client, 'alice')
    user.read()
    user.roles = {'readers'}
    user.write()
    user = etcd.auth.EtcdUser(client, 'alice')
    user.read()
    return sorted(user.roles)


step('grant role', grant_role)
step('users', lambda: sorted(etcd.auth.EtcdUser(client, 'x').names))
step('read missing user', lambda: etcd.auth.EtcdUser(client, 'nobody').read())
step('delete user', lambda: etcd.auth.EtcdUser(client, 'alice').delete())
step('delete role', lambda: etcd.auth.EtcdRole(client, 'readers').delete())
step('delete missing role', lambda: etcd.auth.EtcdRole(client, 'readers').delete())
