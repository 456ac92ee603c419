#!/usr/bin/env bash
# How long one etcdctl command takes, start to exit: our bin/etcdctl against Debian's etcdctl
# (ETCDCTL_API=2), both talking to one real etcd member (Debian's, --enable-v2=true) on a free
# loopback port. BLOCKS blocks of ten runs of each, alternated; prints the wall and the CPU
# (user and system, from the shell's waited-for children) per run of each block. Everything
# started here is stopped by pid on exit. Bounded: under a minute with defaults.
#   BLOCKS=5 bench/etcdctl-start.sh [etcdctl command words...]   (default: set /k v)
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
BLOCKS=${BLOCKS:-5}
BENCH_TMP="$(mktemp -d /tmp/bench-etcdctl-start.XXXXXX)"
# shellcheck source=clusters.sh
source "$root/bench/clusters.sh"
cleanup() {
  stop_all
  rm -rf "$BENCH_TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ -x /usr/bin/etcd ] && [ -x /usr/bin/etcdctl ] ||
  { echo "needs Debian's etcd-server and etcd-client" >&2; exit 1; }
[ -f "$root/etcdctl/target/etcdctl.jsa" ] ||
  { echo "build first: mvn -q -B package -DskipTests (bin/etcdctl's archive is made there)" >&2; exit 1; }

command_words=("$@")
[ ${#command_words[@]} -gt 0 ] || command_words=(set /k v)
start_cluster etcd etcd 1
wait_ready "$CLIENTS"

one() { # one <ours|go>
  case $1 in
    ours) "$root/bin/etcdctl" --endpoints "$CLIENTS" --no-sync "${command_words[@]}" ;;
    go) env ETCDCTL_API=2 /usr/bin/etcdctl --endpoints "$CLIENTS" --no-sync "${command_words[@]}" ;;
  esac
}
children_cpu_ms() { # user + system ticks of this shell's waited-for children, in ms
  local f
  read -r -a f < <(sed 's/^.*) //' /proc/$$/stat)
  echo $(((f[13] + f[14]) * 1000 / $(getconf CLK_TCK)))
}
# each once first, shown: a command that fails is not worth timing
for side in ours go; do
  one "$side" >"$BENCH_TMP/$side.out" 2>&1 ||
    { echo "$side's etcdctl failed:" >&2; cat "$BENCH_TMP/$side.out" >&2; exit 1; }
done
declare -A wall cpu
for ((b = 1; b <= BLOCKS; b++)); do
  for side in ours go; do
    start=$(date +%s%N)
    cpu0=$(children_cpu_ms)
    for _ in 1 2 3 4 5 6 7 8 9 10; do one "$side" >/dev/null 2>&1; done
    wall[$side]+=" $((($(date +%s%N) - start) / 10000000))"
    cpu[$side]+=" $((($(children_cpu_ms) - cpu0) / 10))"
  done
done
echo "etcdctl --no-sync ${command_words[*]}, ms per run in each block of ten:"
echo "  ours (bin/etcdctl):      wall${wall[ours]}   cpu${cpu[ours]}"
echo "  Debian's etcdctl (Go):   wall${wall[go]}   cpu${cpu[go]}"
