#!/usr/bin/env bash
# Three members of ours on free loopback ports, then minutes of unique-key writes growing the key
# space into the millions: what the 5 s rounds of run-vs-etcd.sh never reach (snapshots of
# hundreds of MB, collections of a GB heap, leadership moving). After WARM of writes over 10,000
# keys, DURATION of unique-key writes at CONNS connections spread over the members; then each
# member's term, leader changes and snapshot time, every election or hand-over from the logs, and
# each member's longest collection pause. Files (bench's JSON, GC logs, member logs) go to the
# given directory. OUR_LIB runs another build of ours (see clusters.sh).
#   WARM=30s DURATION=180s CONNS=256 bench/long-writes.sh [dir]
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
WARM=${WARM:-30s}
DURATION=${DURATION:-180s}
CONNS=${CONNS:-256}
BENCH_TMP="$(mktemp -d /tmp/bench-long.XXXXXX)"
out=${1:-$BENCH_TMP/results}
mkdir -p "$out"
out="$(cd "$out" && pwd)"
# shellcheck source=clusters.sh
source "$root/bench/clusters.sh"
cleanup() {
  stop_all
  rm -rf "$BENCH_TMP/long"*
  rmdir "$BENCH_TMP" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ls "$root"/bench/target/bench-*.jar >/dev/null 2>&1 ||
  { echo "build first: mvn -q -B -pl bench package -DskipTests" >&2; exit 1; }

# Each member logs its collections (%p: one file per process).
JAVA_OPTS="${JAVA_OPTS:-} -Xlog:gc:file=$out/gc-%p.log" start_cluster ours long 3
wait_ready "$CLIENTS"
bench=("$root/bin/bench" put --endpoints "$CLIENTS" --conns "$CONNS")
"${bench[@]}" --hot-keys 10000 --duration "$WARM" --no-progress --json >"$out/warm.json"
"${bench[@]}" --duration "$DURATION" --json >"$out/writes.json" 2>"$out/progress.txt"
cat "$out/writes.json"

for e in ${CLIENTS//,/ }; do
  term=$(curl -sI "$e/v2/keys/" | tr -d '\r' | sed -n 's/^X-Raft-Term: //Ip')
  echo "$e term $term $(curl -s "$e/metrics" | grep -E '^etcd_server_leader_changes_seen_total |^etcd_debugging_snap_save_total_duration_seconds_(sum|count) ' | tr '\n' ' ')"
done | tee "$out/members.txt"
cp "$BENCH_TMP"/long*.log "$out/"
# Pre-campaigns that end with the term unchanged are a member that lost its leader for nothing.
grep -h "handing leadership\|we are PRE_CANDIDATE\|we are CANDIDATE" "$out"/long*.log | sort |
  tee "$out/leadership.txt"
for f in "$out"/gc-*.log; do
  echo "$(basename "$f"): longest pause $(grep -o '[0-9.]*ms$' "$f" | sort -n | tail -1), full collections $(grep -c 'Pause Full' "$f")"
done
