# Sourced by the launchers (bin/etcd, the release's bin/etcd, bench/clusters.sh): sizes the JVM's
# initial heap for the key space a restarting member is about to restore.
#
# The heap starts small (-Xms32m) and follows the key space. On a restart that means growing from
# 32 MiB to the whole key space while every restored node survives its young collection: at
# 1,000,000 keys half the restart's CPU went to the collector (bench/README.md, twentieth
# session), and a heap sized as below served 0.8x as soon, at about the same RSS once serving.
# The snapshot on disk says how large the key space is; the Java process learns it too late to
# size its own heap, so the launcher does.

# initial_heap_flag <etcd's arguments...>: prints -XX:InitialHeapSize=<bytes> when the member's
# newest snapshot calls for a heap over 64 MiB, else nothing. The data dir is found as etcd finds
# it: --data-dir (or -data-dir, with = or a space), ETCD_DATA_DIR, the config file's data-dir
# (which then replaces flags and variables), else <name>.etcd. Leaves the heap alone when the
# operator sizes it (JAVA_OPTS naming a heap or RAM size, V2STORE_HEAP), and never asks for more
# than 40% of the machine's or container's memory, below the launchers' ceiling of 50%, so the
# JVM's maximum stays what it would have been.
initial_heap_flag() {
  [[ -n "${V2STORE_HEAP:-}" ]] && return 0
  [[ " ${JAVA_OPTS:-} " =~ (-Xm[sx]|HeapSize|RAMPercentage|MaxRAM|RAMFraction) ]] && return 0
  local dir="${ETCD_DATA_DIR:-}" name="${ETCD_NAME:-default}" config="${ETCD_CONFIG_FILE:-}"
  local flag_dir="" flag_name=""
  while (($#)); do
    case "$1" in
      --data-dir=* | -data-dir=*) flag_dir="${1#*=}" ;;
      --data-dir | -data-dir) flag_dir="${2:-}"; shift ;;
      --name=* | -name=*) flag_name="${1#*=}" ;;
      --name | -name) flag_name="${2:-}"; shift ;;
      --config-file=* | -config-file=*) config="${1#*=}" ;;
      --config-file | -config-file) config="${2:-}"; shift ;;
    esac
    shift || true
  done
  if [[ -n "$config" ]]; then
    [[ -r "$config" ]] || return 0
    dir="$(_initial_heap_yaml "$config" data-dir)"
    name="$(_initial_heap_yaml "$config" name)"
    name="${name:-default}"
  else
    [[ -n "$flag_dir" ]] && dir="$flag_dir"
    [[ -n "$flag_name" ]] && name="$flag_name"
  fi
  dir="${dir:-$name.etcd}"
  local snap
  snap="$(ls "$dir"/member/raft/snapshot-*.snap 2>/dev/null | sort | tail -n 1 || true)"
  [[ -n "$snap" ]] || return 0
  local bytes want cap
  bytes="$(stat -c %s "$snap" 2>/dev/null)" || return 0
  # a restored key space takes about 2.2 times its snapshot's bytes (1,000,000 keys of 100 bytes:
  # 246 MiB of heap); the rest is room for the log replayed after it, which can add about as much
  # again. At 1,000,000 keys, serving after 2.66-2.76 s with 4 times, 2.83-2.85 s with 3 times,
  # 3.35-3.44 s from 32 MiB (alternated restarts, bench/README.md).
  want=$((bytes * 4))
  ((want > 64 * 1024 * 1024)) || return 0
  cap=$(($(_initial_heap_memory_bytes) * 2 / 5))
  ((want > cap)) && want=$cap
  ((want > 64 * 1024 * 1024)) || return 0
  echo "-XX:InitialHeapSize=$want"
}

# The value of a top-level key in etcd's YAML config file, unquoted.
_initial_heap_yaml() {
  sed -n "s/^$2:[[:space:]]*//p" "$1" | head -n 1 | sed -e 's/[[:space:]]*$//' \
    -e "s/^'\(.*\)'\$/\1/" -e 's/^"\(.*\)"$/\1/'
}

# The memory the JVM sizes its heap against: the machine's, or the container's limit if lower.
_initial_heap_memory_bytes() {
  local total limit
  total=$(($(sed -n 's/^MemTotal:[[:space:]]*\([0-9]*\) kB/\1/p' /proc/meminfo) * 1024))
  for f in /sys/fs/cgroup/memory.max /sys/fs/cgroup/memory/memory.limit_in_bytes; do
    limit="$(cat "$f" 2>/dev/null || true)"
    [[ "$limit" =~ ^[0-9]+$ ]] && ((limit < total)) && total=$limit
  done
  echo "$total"
}
