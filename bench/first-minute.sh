#!/usr/bin/env bash
# A new cluster's first minute under load: fresh 3-member clusters (ours, then Debian's etcd),
# each loaded at once with `bench put --conns 256` spread over its members, no warm-up, and the
# rate of every second printed, then averaged over windows. Ours' JIT compiles its hot paths
# while the load runs; etcd is compiled ahead of time. Only one cluster runs at a time.
# OUR_JAVA_OPTS is given to ours' members (for example -XX:TieredStopAtLevel=1). Everything
# started here is stopped by pid.
#   DURATION=90s bench/first-minute.sh
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
DURATION=${DURATION:-90s}
BENCH_TMP="$(mktemp -d /tmp/bench-first-minute.XXXXXX)"
# shellcheck source=clusters.sh
source "$root/bench/clusters.sh"
trap 'stop_all; rm -rf "$BENCH_TMP"' EXIT
trap 'exit 130' INT TERM
ls "$root"/bench/target/bench-*.jar >/dev/null 2>&1 ||
  { echo "build first: mvn -q -B -pl bench package -DskipTests" >&2; exit 1; }

# per_second <endpoints>: the load's rate in each second, one line of numbers
per_second() {
  "$root/bin/bench" put --endpoints "$1" --conns 256 --duration "$DURATION" --warmup 0s \
    2>&1 >/dev/null | tr '\r' '\n' | grep -o 'put: *[0-9]*/s' | grep -o '[0-9]*' | tr '\n' ' '
}

# summary <name> <rates...>: the mean rate over each window of seconds
summary() {
  local name=$1
  shift
  python3 - "$name" "$@" <<'PY'
import sys
name, rates = sys.argv[1], [int(x) for x in sys.argv[2:]]
cells = []
for a, b in ((0, 10), (10, 20), (20, 30), (30, 60), (60, 90), (0, len(rates))):
    window = rates[a:b]
    if window:
        cells.append("%d-%d s: %d" % (a, min(b, len(rates)), sum(window) / len(window)))
print("%-5s %s" % (name, "; ".join(cells)))
PY
}

JAVA_OPTS=${OUR_JAVA_OPTS:-} start_cluster ours ours 3
wait_ready "$CLIENTS"
ours=$(per_second "$CLIENTS")
stop_all
start_cluster etcd etcd 3
wait_ready "$CLIENTS"
theirs=$(per_second "$CLIENTS")
stop_all
echo "ours, req/s each second: $ours"
echo "etcd, req/s each second: $theirs"
# shellcheck disable=SC2086 # one number per word
summary ours $ours
# shellcheck disable=SC2086
summary etcd $theirs
