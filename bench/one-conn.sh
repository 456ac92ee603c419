#!/usr/bin/env bash
# One connection's writes, taken apart: the p50 on a single member and on three, ours and etcd's
# (Debian's, --enable-v2=true), against the disk's own sync alone and three at once. What three
# members add over one is what replication costs a write (the round to a follower and its sync);
# a single member's p50 is one sync plus the rest of a write's path. Rounds alternate over the four
# clusters (1 and 3 of ours, 1 and 3 of etcd's), ROUNDS times, each 8 s, after a warm-up of
# 64-connection writes: on each cluster of ours until its members' compilers are quiet
# (warm_until_quiet in clusters.sh; at most 120 s), on each of etcd's as long as on ours' of the
# same size. Medians of the rounds' p50s. Everything started here is stopped by pid on exit.
# Bounded: about 4 minutes with defaults, plus up to 3 more for the warm-up.
#   ROUNDS=3 bench/one-conn.sh
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
ROUNDS=${ROUNDS:-3}
BENCH_TMP="$(mktemp -d /tmp/bench-one-conn.XXXXXX)"
# shellcheck source=clusters.sh
source "$root/bench/clusters.sh"
cleanup() {
  stop_all
  rm -rf "$BENCH_TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ -x /usr/bin/etcd ] || { echo "needs Debian's etcd-server (/usr/bin/etcd)" >&2; exit 1; }
ls "$root"/bench/target/bench-*.jar >/dev/null 2>&1 ||
  { echo "build first: mvn -q -B -pl bench package -DskipTests" >&2; exit 1; }

read -r -a alone <<<"$(python3 "$root/bench/sync-probe.py" "$BENCH_TMP" 1 | tr '\n' ' ')"
read -r -a three <<<"$(python3 "$root/bench/sync-probe.py" "$BENCH_TMP" 3 | tr '\n' ' ')"

start_cluster ours ours1_ 1
OURS1=$CLIENTS
OURS1_PIDS="${PIDS[*]:0:1}"
start_cluster ours ours3_ 3
OURS3=$CLIENTS
OURS3_PIDS="${PIDS[*]:1:3}"
start_cluster etcd etcd1_ 1
ETCD1=$CLIENTS
start_cluster etcd etcd3_ 3
ETCD3=$CLIENTS
names=(OURS1 OURS3 ETCD1 ETCD3)
for n in "${names[@]}"; do wait_ready "${!n}"; done
warm_load=(put --conns 64 --leader --hot-keys 1000)
for size in 1 3; do
  ours="OURS$size" pids="OURS${size}_PIDS" etcd="ETCD$size"
  warm_until_quiet 120 30 "${!pids}" "${!ours}" "${warm_load[@]}"
  echo "warm-up, $size member(s): ${WARMED_SECONDS}s each (ours' compilers then at" \
    "${WARMED_COMPILER_MS} ms/s per member)" >&2
  "$root/bin/bench" "${warm_load[@]}" --endpoints "${!etcd}" --duration "${WARMED_SECONDS}s" \
    --warmup 0 --no-progress --json >/dev/null
done
for ((r = 1; r <= ROUNDS; r++)); do
  for n in "${names[@]}"; do
    "$root/bin/bench" put --endpoints "${!n}" --conns 1 --leader --duration 8s --no-progress \
      --json >"$BENCH_TMP/$n-$r.json"
  done
done

python3 - "$BENCH_TMP" "$ROUNDS" "${alone[0]}" "${three[@]}" <<'PY'
import json, statistics, sys
d, rounds = sys.argv[1], int(sys.argv[2])
alone, three = int(sys.argv[3]), [int(x) for x in sys.argv[4:7]]
p50 = {}
for n in ("OURS1", "OURS3", "ETCD1", "ETCD3"):
    runs = [json.load(open(f"{d}/{n}-{r}.json")) for r in range(1, rounds + 1)]
    p50[n] = statistics.median(run["p50Micros"] for run in runs)
    errors = sum(run["errors"] for run in runs)
    print(f"{n}: p50 {p50[n]:.0f} us (rounds {', '.join(str(run['p50Micros']) for run in runs)})"
          + (f", {errors} errors" if errors else ""))
print(f"disk sync alone p50 {alone} us; three at once: done after {three[0]}, {three[1]}, {three[2]} us")
for side in ("OURS", "ETCD"):
    one, rep = p50[side + "1"], p50[side + "3"]
    print(f"{side.lower()}: 1 member {one:.0f} us = sync + {one - alone:.0f} us; "
          f"3 members {rep:.0f} us, replication adds {rep - one:.0f} us "
          f"(a second sync at once: {three[1] - alone} us of it)")
print(f"target: 3 members' p50 <= 3 x {alone} = {3 * alone} us")
PY
