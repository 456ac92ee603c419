#!/usr/bin/env bash
# Two builds of ours side by side: a 3-member cluster from each directory of jars (NEW_LIB and
# OLD_LIB, each laid out as bench/target/lib), both warmed alike, then single-connection and
# 256-connection writes to the leader with `bench compare` in both orders, so that a change's
# cost or gain shows apart from the machine's drift. Then the members' CPU per write of each
# (user and system time from /proc over a fixed count of 256-connection writes, the builds
# alternated, CPU_ROUNDS rounds each): on a machine whose other tenants move the rates, CPU per
# write moves less than requests per second. Everything started here is stopped by pid on exit.
# Bounded: about 8 minutes.
#   bench/builds-ab.sh NEW_LIB OLD_LIB
# To make OLD_LIB: copy bench/target/lib and put the jar of the module built at the older
# commit (in a git worktree) in place of its namesake.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
[ $# -eq 2 ] && [ -d "$1" ] && [ -d "$2" ] || { echo "usage: $0 NEW_LIB OLD_LIB" >&2; exit 2; }
new_lib=$(readlink -f "$1")
old_lib=$(readlink -f "$2")
BENCH_TMP="$(mktemp -d /tmp/bench-builds.XXXXXX)"
# shellcheck source=clusters.sh
source "$root/bench/clusters.sh"
cleanup() {
  stop_all
  rm -rf "$BENCH_TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

OUR_LIB=$new_lib start_cluster ours new 3
NEW=$CLIENTS
OUR_LIB=$old_lib start_cluster ours old 3
OLD=$CLIENTS
wait_ready "$NEW"
wait_ready "$OLD"
bench="$root/bin/bench"
leader_writes=(put --conns 256 --leader --hot-keys 100000)
echo "warming both (20 s of 256-connection writes each)" >&2
"$bench" compare "${leader_writes[@]}" --a "$NEW" --b "$OLD" --duration 20s --rounds 1 \
  --no-progress >/dev/null
for order in "$NEW $OLD" "$OLD $NEW"; do
  read -r a b <<<"$order"
  label=$([ "$a" = "$NEW" ] && echo "A = new, B = old" || echo "A = old, B = new")
  echo "== one connection, $label"
  "$bench" compare put --conns 1 --leader --a "$a" --b "$b" --duration 5s --rounds 5 --no-progress
  echo "== 256 connections, $label"
  "$bench" compare "${leader_writes[@]}" --a "$a" --b "$b" --duration 5s --rounds 4 --no-progress
done

# The members' CPU per write: utime and stime of the three JVMs of one build around a run of a
# fixed count, in clock ticks; the builds alternate, the one that goes first alternates too.
cpu_ticks() { # cpu_ticks <pid>...
  local t=0 pid f
  for pid in "$@"; do
    read -r -a f <"/proc/$pid/stat"
    t=$((t + f[13] + f[14]))
  done
  echo "$t"
}
hz=$(getconf CLK_TCK)
writes=${CPU_WRITES:-60000}
echo "== members' CPU per write, $writes writes a round (256 connections to the leader)"
for ((round = 0; round < ${CPU_ROUNDS:-6}; round++)); do
  sides=(new old)
  ((round % 2 == 0)) || sides=(old new)
  for side in "${sides[@]}"; do
    pids=()
    for i in 0 1 2; do
      pid_var=PID_$side$i
      pids+=("${!pid_var}")
    done
    endpoints=$([ "$side" = new ] && echo "$NEW" || echo "$OLD")
    before=$(cpu_ticks "${pids[@]}")
    "$bench" "${leader_writes[@]}" --endpoints "$endpoints" --requests "$writes" --warmup 0 \
      --no-progress >/dev/null
    after=$(cpu_ticks "${pids[@]}")
    echo "round $round $side: $(((after - before) * 1000000 / hz / writes)) us"
  done
done
