# Sourced by run-vs-etcd.sh and memory-recovery.sh: start real etcd members and ours on free
# loopback ports with data under $BENCH_TMP, and stop every process started here by its pid.
# Needs: root (the repository), BENCH_TMP (a temp dir), and an EXIT trap calling stop_all.

PIDS=()

# Our member: the server jar and its libraries that bench/target/lib holds (copied at bench's
# package time from the installed modules), so that others rebuilding server/target mid-run
# cannot pull the classes from under a running benchmark. Same JVM flags as bin/etcd.
# OUR_LIB names another directory of jars, to compare two builds of ours. The memory flags are
# bin/etcd's (see there why); JAVA_OPTS comes last and wins, and naming a collector in it drops ours.
# The native libraries (RocksDB's, Netty's epoll) come unpacked from bench/target/native
# (OUR_NATIVE; bench/pom.xml unpacks them with lib/), as bin/etcd has them from
# server/target/native, when it is there; OUR_CDS names a class-data sharing archive to start with.
our_etcd() {
  local jvm=(-Xms32m -XX:NewRatio=4 -XX:MinHeapFreeRatio=40 -XX:MaxHeapFreeRatio=70 -XX:MaxRAMPercentage=50
    -XX:+ExitOnOutOfMemoryError -XX:-UsePerfData)
  [[ " ${JAVA_OPTS:-} " =~ " -XX:+Use"(Serial|Parallel|G1|Z|Shenandoah|Epsilon)"GC " ]] ||
    jvm=(-XX:+UseParallelGC "${jvm[@]}")
  local native=${OUR_NATIVE:-$root/bench/target/native}
  [ -f "$native/librocksdbjni-linux64.so" ] && jvm+=("-Djava.library.path=$native")
  # as bin/etcd (see there why): trim the native heap every second where the JDK can
  local home version major patch
  home=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
  version=$(sed -n 's/^JAVA_VERSION="\([0-9.]*\).*/\1/p' "$home/release" 2>/dev/null || true)
  IFS=. read -r major _ patch <<<"$version"
  major=${major:-0} patch=${patch:-0}
  ((major >= 22 || (major == 21 && patch >= 1) || (major == 17 && patch >= 9))) &&
    jvm+=(-XX:+UnlockExperimentalVMOptions -XX:TrimNativeHeapInterval=1000)
  [ -n "${OUR_CDS:-}" ] && jvm+=(-Xshare:auto "-XX:SharedArchiveFile=$OUR_CDS" -Xlog:cds=off
    -Xlog:cds+dynamic=off)
  # as bin/etcd: a restarting member's initial heap sized for the key space it restores
  # shellcheck source=../bin/initial-heap.sh
  source "$root/bin/initial-heap.sh"
  local heap_flag
  heap_flag="$(initial_heap_flag "$@")"
  [ -z "$heap_flag" ] || jvm+=("$heap_flag")
  export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
  # as bin/etcd: RocksDB's loader would run ldd in a child process to ask whether libc is musl
  compgen -G '/lib/ld-musl-*' >/dev/null && export ROCKSDB_MUSL_LIBC=${ROCKSDB_MUSL_LIBC:-true}
  export ROCKSDB_MUSL_LIBC=${ROCKSDB_MUSL_LIBC:-false}
  # shellcheck disable=SC2086 # JAVA_OPTS is a list of words by convention
  exec java "${jvm[@]}" ${JAVA_OPTS:-} \
    -cp "${OUR_LIB:-$root/bench/target/lib}/*" io.v2store.server.EtcdMain "$@"
}

# Prints N free loopback ports (bound to 0 and released; the window for a clash is tiny), none of
# them among ALLOCATED_PORTS: a port handed to a cluster whose members have not bound it yet is
# still free to the kernel, and a second cluster must not get it.
ALLOCATED_PORTS=""
free_ports() {
  python3 - "$1" "$ALLOCATED_PORTS" <<'PY'
import socket, sys
taken = set(sys.argv[2].split())
socks, ports = [], []
while len(ports) < int(sys.argv[1]):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); socks.append(s)
    p = str(s.getsockname()[1])
    if p not in taken: ports.append(p)
print(" ".join(ports))
for s in socks: s.close()
PY
}

# start_cluster <etcd|ours> <name-prefix> <members>: sets CLIENTS (comma list) and appends pids.
# CLUSTER_FLAGS, if set, is a list of words added to every member's flags.
start_cluster() {
  local kind=$1 prefix=$2 n=$3 i ports cluster="" clients=""
  read -r -a ports <<<"$(free_ports $((2 * n)))"
  ALLOCATED_PORTS+=" ${ports[*]}"
  for ((i = 0; i < n; i++)); do
    cluster+="${cluster:+,}$prefix$i=http://127.0.0.1:${ports[$((2 * i + 1))]}"
    clients+="${clients:+,}http://127.0.0.1:${ports[$((2 * i))]}"
  done
  for ((i = 0; i < n; i++)); do
    local c="http://127.0.0.1:${ports[$((2 * i))]}" p="http://127.0.0.1:${ports[$((2 * i + 1))]}"
    local args=(--name "$prefix$i" --data-dir "$BENCH_TMP/$prefix$i" --listen-client-urls "$c"
      --advertise-client-urls "$c" --listen-peer-urls "$p" --initial-advertise-peer-urls "$p"
      --initial-cluster "$cluster" --initial-cluster-state new
      --initial-cluster-token "bench-$prefix")
    # shellcheck disable=SC2206 # a list of words by convention, as JAVA_OPTS
    args+=(${CLUSTER_FLAGS:-})
    if [ "$kind" = etcd ]; then
      /usr/bin/etcd --enable-v2=true "${args[@]}" >"$BENCH_TMP/$prefix$i.log" 2>&1 &
    else
      (our_etcd "${args[@]}") >"$BENCH_TMP/$prefix$i.log" 2>&1 &
    fi
    PIDS+=($!)
    eval "PID_$prefix$i=$!"
  done
  CLIENTS=$clients
}

# Waits (at most 90 s) until every endpoint answers a quorum read of a written key.
wait_ready() {
  local e deadline=$((SECONDS + 90))
  for e in ${1//,/ }; do
    until curl -sf -XPUT "$e/v2/keys/bench-ready" -d value=1 >/dev/null 2>&1 &&
      curl -sf "$e/v2/keys/bench-ready?quorum=true" >/dev/null 2>&1; do
      if ((SECONDS > deadline)); then
        echo "not ready: $e" >&2
        show_logs
        return 1
      fi
      sleep 0.2
    done
  done
}

# Prints the end of every log under $BENCH_TMP on stderr: the scripts delete their temp dirs on
# exit, so a member that failed to start must say why before that.
show_logs() {
  local log
  for log in "$BENCH_TMP"/*.log; do
    [ -f "$log" ] || continue
    echo "--- last lines of $(basename "$log"):" >&2
    tail -n 5 "$log" >&2
  done
}

# Stops one pid: SIGTERM, then SIGKILL after 15 s.
stop_pid() {
  local pid=$1 i
  kill "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 150; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
}

stop_all() {
  local pid
  for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
  PIDS=()
}

# The CPU time (ms) so far of the JIT compiler threads of the given pids (C1 and C2, from /proc).
compiler_ms() {
  local pid t total=0 f
  for pid in "$@"; do
    for t in /proc/"$pid"/task/*; do
      [[ "$(cat "$t/comm" 2>/dev/null)" == C[12]" CompilerThre"* ]] || continue
      read -r -a f < <(sed 's/^.*) //' "$t/stat" 2>/dev/null) || continue
      total=$((total + f[11] + f[12]))
    done
  done
  echo $((total * 1000 / $(getconf CLK_TCK)))
}

# warm_until_quiet <max seconds> <quiet ms/s> <pids> <endpoints> <bench mode and flags...>: runs
# the load on the endpoints in 10 s steps until the members (pids, a space-separated list) used
# less than <quiet ms/s> of CPU per second each in their JIT compilers during the last step, or
# for <max seconds>. A fresh member of ours compiles its hot paths for a minute or more under
# heavy load (bench/README.md, "Fortieth session: a warm-up until the compilers are quiet"); a
# server in production has long done so. Sets WARMED_SECONDS and WARMED_COMPILER_MS (the last
# step's figure).
warm_until_quiet() {
  local max=$1 quiet=$2 endpoints=$4 before pids
  read -r -a pids <<<"$3"
  shift 4
  WARMED_SECONDS=0 WARMED_COMPILER_MS=0
  while ((WARMED_SECONDS < max)); do
    before=$(compiler_ms "${pids[@]}")
    "$root/bin/bench" "$@" --endpoints "$endpoints" --duration 10s --warmup 0 --no-progress \
      --json >/dev/null
    WARMED_SECONDS=$((WARMED_SECONDS + 10))
    WARMED_COMPILER_MS=$((($(compiler_ms "${pids[@]}") - before) / 10 / ${#pids[@]}))
    # a compiler thread that exited took its count with it
    ((WARMED_COMPILER_MS >= 0)) || WARMED_COMPILER_MS=0
    ((WARMED_COMPILER_MS < quiet)) && break
  done
  return 0
}
