#!/usr/bin/env bash
# Where a plain read's CPU goes: three members of ours on free loopback ports, WARM of
# 256-connection plain reads, then DURATION more (after 5 s of the generator's own warm-up) with
# async-profiler sampling CPU per thread in each member and in the load generator. Writes the
# profiles (collapsed stacks, m-<pid>.collapsed and gen.collapsed), each member's user and system
# ticks before and after (cpu0.txt, cpu1.txt: pid, utime, stime) and bench's JSON to the given
# directory. LOAD names another workload, as bench's arguments after --endpoints: writes to the
# leader are LOAD="put --conns 256 --value-size 256 --leader" (unique keys: the key space grows,
# and with it the snapshots, as in run-vs-etcd.sh's write rows). AP names async-profiler's libasyncProfiler.so (the tools.profiler:async-profiler jar
# from Maven Central holds it under linux-x64/); event=cpu needs perf events (root, or
# kernel.perf_event_paranoid <= 1).
#   AP=/path/to/libasyncProfiler.so WARM=30s DURATION=15s [LOAD=...] bench/profile-reads.sh [dir]
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
: "${AP:?set AP to the path of libasyncProfiler.so}"
WARM=${WARM:-30s}
DURATION=${DURATION:-15s}
LOAD=${LOAD:-get --conns 256 --keys 1000}
BENCH_TMP="$(mktemp -d /tmp/bench-prof.XXXXXX)"
out=${1:-$BENCH_TMP/results}
mkdir -p "$out"
out="$(cd "$out" && pwd)"
# shellcheck source=clusters.sh
source "$root/bench/clusters.sh"
cleanup() {
  stop_all
  rm -rf "$BENCH_TMP/prof"*
  rmdir "$BENCH_TMP" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ls "$root"/bench/target/bench-*.jar >/dev/null 2>&1 ||
  { echo "build first: mvn -q -B -pl bench package -DskipTests" >&2; exit 1; }

start_cluster ours prof 3
wait_ready "$CLIENTS"
# shellcheck disable=SC2206 # LOAD is a list of words
load=($LOAD)
get=("$root/bin/bench" "${load[0]}" --endpoints "$CLIENTS" "${load[@]:1}" --no-progress --json)
"${get[@]}" --duration "$WARM" --warmup 0 >"$out/warm.json"
profile=start,event=cpu,interval=1ms,threads
for pid in "${PIDS[@]}"; do jcmd "$pid" JVMTI.agent_load "$AP" "\"$profile\"" >/dev/null; done
ticks() { for pid in "${PIDS[@]}"; do echo "$pid $(awk '{print $14, $15}' "/proc/$pid/stat")"; done; }
ticks >"$out/cpu0.txt"
JAVA_OPTS="${JAVA_OPTS:-} -agentpath:$AP=$profile,file=$out/gen.collapsed,collapsed" \
  "${get[@]}" --duration "$DURATION" --warmup 5s >"$out/get.json"
ticks >"$out/cpu1.txt"
for pid in "${PIDS[@]}"; do
  jcmd "$pid" JVMTI.agent_load "$AP" "\"stop,file=$out/m-$pid.collapsed,collapsed\"" >/dev/null
done
cat "$out/get.json"
# CPU per request over the profiled window (it holds the generator's 5 s warm-up as well)
python3 - "$out" <<'EOF'
import json, os, sys
out = sys.argv[1]
hz = os.sysconf("SC_CLK_TCK")
before = {l.split()[0]: l.split()[1:] for l in open(f"{out}/cpu0.txt")}
after = {l.split()[0]: l.split()[1:] for l in open(f"{out}/cpu1.txt")}
user = sum(int(after[p][0]) - int(before[p][0]) for p in after) / hz
system = sum(int(after[p][1]) - int(before[p][1]) for p in after) / hz
# the agent prints "Profiling started" on the same stdout: the JSON is the line after it
run = json.loads([l for l in open(f"{out}/get.json") if l.startswith("{")][-1])
requests = run["requestsPerSecond"] * (run["elapsedMillis"] / 1000 + 5)  # the warm-up at the same rate
print(f"members: {user + system:.1f} s of CPU ({system / (user + system):.0%} system), "
      f"about {(user + system) / requests * 1e6:.1f} us per request")
EOF
