#!/usr/bin/env bash
# One 3-member cluster of ours; in front of it our proxy (--proxy on) and Debian's etcd's proxy,
# each on a free loopback port; then `bench compare` of reads and writes through them (A = our
# proxy, B = etcd's, alternating). What the proxy itself costs a CoreOS worker's clients, since
# the members behind both are the same. Everything started here is stopped by pid on exit;
# bounded: about 2 minutes with defaults.
#   DURATION=5s ROUNDS=3 CONNS=64 bench/proxy-vs-etcd.sh
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
DURATION=${DURATION:-5s}
ROUNDS=${ROUNDS:-3}
CONNS=${CONNS:-64}
BENCH_TMP="$(mktemp -d /tmp/bench-proxy.XXXXXX)"
# shellcheck source=clusters.sh
source "$root/bench/clusters.sh"
trap 'stop_all; rm -rf "$BENCH_TMP"' EXIT
trap 'exit 130' INT TERM

[ -x /usr/bin/etcd ] || { echo "needs Debian's etcd-server (/usr/bin/etcd)" >&2; exit 1; }
ls "$root"/bench/target/bench-*.jar >/dev/null 2>&1 ||
  { echo "build first: mvn -q -B -pl bench package -DskipTests" >&2; exit 1; }

start_cluster ours ours 3
wait_ready "$CLIENTS"
# the members' peer URLs, as each proxy's --initial-cluster
initial=$(curl -sf "${CLIENTS%%,*}/v2/members" | python3 -c '
import json, sys
print(",".join(m["name"] + "=" + m["peerURLs"][0] for m in json.load(sys.stdin)["members"]))')
read -r -a ports <<<"$(free_ports 2)"
ALLOCATED_PORTS+=" ${ports[*]}"
ours="http://127.0.0.1:${ports[0]}" theirs="http://127.0.0.1:${ports[1]}"
(our_etcd --proxy on --listen-client-urls "$ours" --initial-cluster "$initial" \
  --data-dir "$BENCH_TMP/our-proxy") >"$BENCH_TMP/our-proxy.log" 2>&1 &
PIDS+=($!)
/usr/bin/etcd --proxy on --name proxy --listen-client-urls "$theirs" --initial-cluster "$initial" \
  --data-dir "$BENCH_TMP/etcd-proxy" >"$BENCH_TMP/etcd-proxy.log" 2>&1 &
PIDS+=($!)
wait_ready "$ours,$theirs"
echo "members: $CLIENTS; A (ours): $ours; B (etcd's): $theirs" >&2

for mode in get put; do
  "$root/bin/bench" compare "$mode" --a "$ours" --b "$theirs" --conns "$CONNS" \
    --duration "$DURATION" --rounds "$ROUNDS" --warmup-rounds 1 --no-progress
done
