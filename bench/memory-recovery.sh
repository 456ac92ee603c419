#!/usr/bin/env bash
# Loads KEYS keys of 100 bytes into one member of ours and one of Debian's etcd (single-member
# clusters, fsync on, same defaults), then reports per server: RSS (VmRSS of /proc/<pid>/status),
# heap in use (ours: after a full GC, from jcmd; etcd: go_memstats_heap_inuse_bytes), the data
# dir's size, and the time from restart (process start) to serving a read of the last key.
#   KEYS=100000 bench/memory-recovery.sh   (JAVA_OPTS: JVM flags for ours; KEEP=1 keeps the logs;
#   SERVERS=ours measures only ours, for trying flags; NMT=1 also saves ours' native memory
#   summary, by JVM area, and its smaps_rollup to $BENCH_TMP/ours-nmt.txt and keeps it)
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
KEYS=${KEYS:-100000}
CONNS=${CONNS:-64}
BENCH_TMP="$(mktemp -d /tmp/bench-memory.XXXXXX)"
# shellcheck source=clusters.sh
source "$root/bench/clusters.sh"
cleanup() {
  stop_all
  if [ -n "${KEEP:-}" ]; then echo "kept: $BENCH_TMP" >&2; else rm -rf "$BENCH_TMP"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

rss_mib() { awk '/^VmRSS:/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }

heap_mib() { # heap_mib <kind> <pid> <endpoint>
  if [ "$1" = ours ]; then
    jcmd "$2" GC.run >/dev/null
    # G1 prints one "garbage-first heap ... used NK" line, Serial and Parallel one per generation
    # (metaspace lines also say "used": they are not heap)
    jcmd "$2" GC.heap_info | awk '/heap|generation|PSYoungGen|ParOldGen/ && !/Metaspace|class space/ {
      for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?$/, "", v); s += v } }
      END { printf "%.0f", s / 1024 }'
  else
    curl -s "$3/metrics" | awk '/^go_memstats_heap_inuse_bytes/ {printf "%.0f", $2 / 1048576}'
  fi
}

# Starts a single member of <kind> with the data dir of name <name>; prints "pid endpoint".
start_one() {
  local kind=$1 name=$2 client=$3 peer=$4
  local args=(--name "$name" --data-dir "$BENCH_TMP/$name" --listen-client-urls "$client"
    --advertise-client-urls "$client" --listen-peer-urls "$peer"
    --initial-advertise-peer-urls "$peer" --initial-cluster "$name=$peer")
  if [ "$kind" = etcd ]; then
    /usr/bin/etcd --enable-v2=true "${args[@]}" >>"$BENCH_TMP/$name.log" 2>&1 &
  else
    (our_etcd "${args[@]}") >>"$BENCH_TMP/$name.log" 2>&1 &
  fi
  PIDS+=($!)
  LAST_PID=$!
}

[ -n "${NMT:-}" ] && export JAVA_OPTS="${JAVA_OPTS:-} -XX:NativeMemoryTracking=summary"

# bin/etcd starts with the class-data sharing archive server/pom.xml makes at package time; ours
# here runs from another class path, so the same training (CdsTraining) makes one for it first.
# NO_CDS=1 measures without.
if [[ " ${SERVERS:-ours etcd} " == *" ours "* ]] && [ -z "${NO_CDS:-}" ]; then
  native=${OUR_NATIVE:-$root/bench/target/native}
  if java -XX:ArchiveClassesAtExit="$BENCH_TMP/ours.jsa" -XX:+UseSerialGC -XX:-UsePerfData \
    -Xshare:auto -Xlog:cds=off -Xlog:cds+dynamic=off -Djava.library.path="$native" \
    -cp "${OUR_LIB:-$root/bench/target/lib}/*" io.v2store.server.CdsTraining \
    >"$BENCH_TMP/cds-training.log" 2>&1; then
    export OUR_CDS=$BENCH_TMP/ours.jsa
  else
    echo "no class-data sharing archive for ours: $(tail -n 1 "$BENCH_TMP/cds-training.log")" >&2
  fi
fi

printf "%-5s %8s %9s %9s %10s %11s %12s\n" server keys "RSS MiB" "heap MiB" "data MiB" \
  "load s" "restart ms"
for kind in ${SERVERS:-ours etcd}; do
  read -r cport pport <<<"$(free_ports 2)"
  client="http://127.0.0.1:$cport"
  start_one "$kind" "m-$kind" "$client" "http://127.0.0.1:$pport"
  pid=$LAST_PID
  wait_ready "$client"
  load_start=$SECONDS
  # JAVA_OPTS is for ours, not for the load generator's JVM
  JAVA_OPTS="" "$root/bin/bench" put --endpoints "$client" --conns "$CONNS" --requests "$KEYS" \
    --value-size 100 --warmup 0 --prefix /mem --no-progress --json >"$BENCH_TMP/$kind-load.json"
  load_s=$((SECONDS - load_start))
  # the read that proves a restarted member serves: the newest key
  last_key=/mem/last
  curl -sf -XPUT "$client/v2/keys$last_key" -d value=done >/dev/null
  rss=$(rss_mib "$pid")
  heap=$(heap_mib "$kind" "$pid" "$client")
  if [ "$kind" = ours ] && [ -n "${NMT:-}" ]; then
    jcmd "$pid" VM.native_memory summary >"$BENCH_TMP/ours-nmt.txt" 2>&1 || true
    cat "/proc/$pid/smaps_rollup" >>"$BENCH_TMP/ours-nmt.txt"
    KEEP=1
  fi
  stop_pid "$pid"
  data=$(du -sm "$BENCH_TMP/m-$kind" | cut -f1)
  t0=$(date +%s%N)
  start_one "$kind" "m-$kind" "$client" "http://127.0.0.1:$pport"
  deadline=$((SECONDS + 300))
  until curl -sf "$client/v2/keys$last_key" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || { echo "$kind did not come back" >&2; show_logs; exit 1; }
    sleep 0.02
  done
  restart_ms=$((($(date +%s%N) - t0) / 1000000))
  stop_pid "$LAST_PID"
  printf "%-5s %8d %9s %9s %10s %11s %12s\n" "$kind" "$KEYS" "$rss" "$heap" "$data" "$load_s" \
    "$restart_ms"
done
