#!/usr/bin/env bash
# Starts a 3-member real etcd (Debian's, --enable-v2=true) and a 3-member cluster of ours on
# free loopback ports with temp data dirs, runs the issue's target workloads with
# `bench compare` (A = ours, B = etcd, alternating A B A B), and prints a table of ratios.
# Everything started here is stopped by pid on exit. Bounded: about 10 minutes with defaults, plus
# the warm-up (10 to WARM_MAX_SECONDS per phase on each side: at most 16 minutes) and at most
# SETTLE before each round while the machine is busy.
# First unmeasured load on both sides (writes over 10,000 keys, quorum and plain reads, a watch
# fan-out) until ours' compilers are quiet, then per workload one unmeasured warm-up round and
# three measured rounds.
#   DURATION=5s ROUNDS=3 WARMUP_ROUNDS=1 WARM_MAX_SECONDS=120 WARM_QUIET_MS=30 WATCHERS=5000 \
#   SETTLE=30s \
#   bench/run-vs-etcd.sh [dir]
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
DURATION=${DURATION:-5s}
ROUNDS=${ROUNDS:-3}
WATCHERS=${WATCHERS:-5000}
WARMUP_ROUNDS=${WARMUP_ROUNDS:-1}
WARM_MAX_SECONDS=${WARM_MAX_SECONDS:-120} # per warm-up phase
WARM_QUIET_MS=${WARM_QUIET_MS:-30}
SETTLE=${SETTLE:-30s} # the longest wait for a quiet machine before each round; 0s: none
BENCH_TMP="$(mktemp -d /tmp/bench-vs-etcd.XXXXXX)"
results=${1:-$BENCH_TMP/results}
mkdir -p "$results"
# shellcheck source=clusters.sh
source "$root/bench/clusters.sh"
cleanup() {
  stop_all
  rm -rf "$BENCH_TMP/ours"* "$BENCH_TMP/etcd"*
  rmdir "$BENCH_TMP" 2>/dev/null || true # empty unless the results were written into it
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ -x /usr/bin/etcd ] || { echo "needs Debian's etcd-server (/usr/bin/etcd)" >&2; exit 1; }
ls "$root"/bench/target/bench-*.jar >/dev/null 2>&1 ||
  { echo "build first: mvn -q -B -pl bench package -DskipTests" >&2; exit 1; }

start_cluster ours ours 3
OURS=$CLIENTS
OUR_PIDS=("${PIDS[@]}")
start_cluster etcd etcd 3
ETCD=$CLIENTS
wait_ready "$OURS"
wait_ready "$ETCD"
echo "ours: $OURS" >&2
echo "etcd: $ETCD" >&2

# The disk's own sync latency: what one connection's write p50 is held against (3x at most).
sync_micros=$(python3 "$root/bench/sync-probe.py" "$BENCH_TMP")
echo "disk fdatasync p50: ${sync_micros} us" >&2

# A fresh JVM compiles its hot paths during its first tens of seconds under load, and a server in
# production has long done it; etcd's Go binary has nothing to compile. So both sides get the same
# unmeasured load first (etcd too, so that each has served the same kinds of requests before it is
# measured): writes over 10,000 keys (hot keys: the key space stays small), quorum reads, plain
# reads and a watch fan-out. Each phase runs on ours in 10 s steps until our members' compiler
# threads used less than WARM_QUIET_MS ms of CPU per second each in the last step (or for
# WARM_MAX_SECONDS), then as long on etcd. A fixed 20 s per phase (until the fortieth session) was
# too short: a fresh cluster of ours under 256 connections of writes still compiled at 150-330 ms/s
# per member 45-60 s in, and wrote at 12,000-13,000 req/s then against 16,000-18,500 after 80 s.
# WARM_MAX_SECONDS=0 measures from cold.
warm_phase() { # warm_phase <label> <bench mode and flags...>
  local label=$1
  shift
  ((WARM_MAX_SECONDS > 0)) || return 0
  warm_until_quiet "$WARM_MAX_SECONDS" "$WARM_QUIET_MS" "${OUR_PIDS[*]}" "$OURS" "$@"
  echo "   $label: ${WARMED_SECONDS}s each (ours' compilers at ${WARMED_COMPILER_MS} ms/s per" \
    "member in the last 10 s)" >&2
  "$root/bin/bench" "$@" --endpoints "$ETCD" --duration "${WARMED_SECONDS}s" --warmup 0 \
    --no-progress --json >/dev/null
}
echo "== warming both sides, not measured: each phase until ours' compilers are quiet" >&2
warm_phase "writes" put --conns 128 --hot-keys 10000 --value-size 256
warm_phase "quorum reads" get --conns 64 --quorum --keys 1000
warm_phase "plain reads" get --conns 128 --keys 1000
warm_phase "watch fan-out" watch --watchers "$WATCHERS" --write-rate 2 --threads 2 --drain 1s

run() { # run <name> <mode> [bench flags...]: the flags given last override the defaults
  local name=$1 mode=$2
  shift 2
  # --warmup-rounds: the same workload once more per side first, unmeasured, so that each round
  # measured follows one like it on both sides (the workload's code compiled in the servers).
  # In the same process as the measured rounds: the load generator's own JIT is part of what
  # they need warm. Run as a process of its own, the first measured round (always ours) ran at
  # 0.4x the rounds after it against the same warm cluster.
  echo "== $name: bench compare $mode --a OURS --b ETCD $* ($WARMUP_ROUNDS unmeasured round(s) first)" >&2
  # --settle: each round starts once the other side's work left over from its own round is done
  # (etcd's members go on for seconds after a round of quorum reads, which are Raft entries
  # there and fall due for a snapshot): measured from the fifteenth session on.
  "$root/bin/bench" compare "$mode" --a "$OURS" --b "$ETCD" --rounds "$ROUNDS" \
    --warmup-rounds "$WARMUP_ROUNDS" --duration "$DURATION" --warmup 2s --json \
    --settle "$SETTLE" "$@" \
    >"$results/$name.json"
}

run put-256-spread put --conns 256 --value-size 256
run put-256-leader put --conns 256 --value-size 256 --leader
run put-1-leader put --conns 1 --value-size 256 --leader
run get-quorum-64 get --conns 64 --quorum --keys 1000
run get-plain-256 get --conns 256 --keys 1000
# Each write wakes every watcher and each re-arms with a new request: 2 writes/s with 5,000
# watchers is 10,000 requests/s of re-arming on top of the fan-out, what 2 cores can carry.
run watch-fanout watch --watchers "$WATCHERS" --write-rate 2 --threads 2 --duration 10s
# Not a target row: the same with watchers that act on the event for 100 ms before they re-arm (as
# confd re-reads the keys and renders first). Their re-arming then no longer shares the two cores
# with the fan-out it follows, which shows what the fan-out alone costs each server.
run watch-rearm-100ms watch --watchers "$WATCHERS" --write-rate 2 --threads 2 --duration 10s \
  --rearm-after 100ms

python3 - "$results" "$sync_micros" <<'PY'
import json, os, sys
d, sync = sys.argv[1], int(sys.argv[2])
targets = {  # name: (minimum throughput ratio, maximum p99 ratio)
    "put-256-spread": (3.0, 1 / 3), "put-256-leader": (3.0, 1 / 3), "put-1-leader": (None, None),
    "get-quorum-64": (5.0, None), "get-plain-256": (1.5, None), "watch-fanout": (None, None),
    "watch-rearm-100ms": (None, None)}
print(f"{'workload':<16} {'ours req/s':>11} {'etcd req/s':>11} {'ratio':>7} {'ours p99':>10} "
      f"{'etcd p99':>10} {'p99 ratio':>9}  target")
for name, (tmin, pmax) in targets.items():
    r = json.load(open(os.path.join(d, name + ".json")))
    def med(runs, k):  # as bench's Comparison: the middle value, or the mean of the two middle
        v = sorted(x[k] for x in runs)
        return v[len(v) // 2] if len(v) % 2 else (v[len(v) // 2 - 1] + v[len(v) // 2]) / 2
    def writer(r):  # the fan-out is timed from the writer's answer: how long that answer took
        return (f"writer's own p50 ours {med(r['a'], 'writerP50Micros') / 1000:.1f} ms "
                f"etcd {med(r['b'], 'writerP50Micros') / 1000:.1f} ms")
    a_rps, b_rps = med(r["a"], "requestsPerSecond"), med(r["b"], "requestsPerSecond")
    a99, b99 = med(r["a"], "p99Micros") / 1000, med(r["b"], "p99Micros") / 1000
    ratio, pratio = r["ratio"]["requestsPerSecond"], r["ratio"]["p99"]
    if name == "put-1-leader":
        p50 = med(r["a"], "p50Micros")
        verdict = f"p50 {p50} us <= 3 x sync {sync} us: {'MET' if p50 <= 3 * sync else 'MISSED'}"
    elif name == "watch-fanout":
        miss = r["missedEvents"]
        verdict = (f"p99 <= 50 ms: {'MET' if a99 <= 50 else 'MISSED'}; missed events "
                   f"ours {miss['a']} etcd {miss['b']}; {writer(r)}")
    elif name == "watch-rearm-100ms":
        miss = r["missedEvents"]
        verdict = f"(not a target) missed events ours {miss['a']} etcd {miss['b']}; {writer(r)}"
    else:
        ok = (tmin is None or (ratio or 0) >= tmin) and (pmax is None or (pratio or 9) <= pmax)
        verdict = f">= {tmin}x" + (f", p99 <= {pmax:.2f}x" if pmax else "") + \
            (": MET" if ok else ": MISSED")
    settles = r.get("settle", {}).get("a", []) + r.get("settle", {}).get("b", [])
    busy = sum(1 for x in settles if not x["quiet"])
    if busy:
        verdict += f" ({busy} round(s) began on a busy machine)"
    print(f"{name:<16} {a_rps:>11.0f} {b_rps:>11.0f} {ratio or 0:>6.2f}x {a99:>8.1f}ms "
          f"{b99:>8.1f}ms {pratio or 0:>8.2f}x  {verdict}")
print(f"(results: {d})")
PY
