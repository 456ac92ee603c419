#!/usr/bin/env bash
# Two builds of ours side by side: a 3-member cluster from each directory of jars (NEW_LIB and
# OLD_LIB, each laid out as bench/target/lib), both warmed alike, then single-connection and
# 256-connection writes to the leader with `bench compare` in both orders, so that a change's
# cost or gain shows apart from the machine's drift. Everything started here is stopped by pid
# on exit. Bounded: about 6 minutes.
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
