#!/usr/bin/env bash
# How soon a new 3-member cluster has a leader: from the launch of its three processes (at once,
# on free loopback ports, fresh data dirs) until one member's /v2/stats/self says it leads, polled
# every 10 ms. Rounds alternate ours, ours with --initial-election-tick-advance=false, and
# Debian's etcd, and the medians are printed. Ours runs from bin/etcd (mvn -q -B package first).
# Everything started here is stopped by pid.
#   ROUNDS=5 bench/first-leader.sh
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
ROUNDS=${ROUNDS:-5}
BENCH_TMP="$(mktemp -d /tmp/bench-first-leader.XXXXXX)"
# shellcheck source=clusters.sh
source "$root/bench/clusters.sh"
# Ours as a user starts it: bin/etcd, with its class-data archive (the JVM's start is most of
# the time to a leader, and bench's own launcher has no archive for its class path).
our_etcd() {
  exec "$root/bin/etcd" "$@"
}
trap 'stop_all; rm -rf "$BENCH_TMP"' EXIT
trap 'exit 130' INT TERM

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# one_round <etcd|ours> <flags>: prints ms from launch to a leader (or "none" after 30 s)
one_round() {
  local kind=$1 start e
  rm -rf "${BENCH_TMP:?}"/fl*
  start=$(now_ms)
  CLUSTER_FLAGS=$2 start_cluster "$kind" fl 3
  while (($(now_ms) - start < 30000)); do
    for e in ${CLIENTS//,/ }; do
      if curl -s -m 1 "$e/v2/stats/self" 2>/dev/null | grep -q '"state":"StateLeader"'; then
        echo $(($(now_ms) - start))
        stop_all
        return
      fi
    done
    sleep 0.01
  done
  echo none
  stop_all
}

median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

declare -A times
for ((r = 1; r <= ROUNDS; r++)); do
  times[ours]+="$(one_round ours "") "
  times[ours_no_advance]+="$(one_round ours "--initial-election-tick-advance=false") "
  times[etcd]+="$(one_round etcd "") "
done
for kind in ours ours_no_advance etcd; do
  printf '%-16s ms: %s median %s\n' "$kind" "${times[$kind]}" \
    "$(tr ' ' '\n' <<<"${times[$kind]}" | grep -v '^$' | grep -v none | median)"
done
