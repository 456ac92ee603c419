# Helpers for run.sh (sourced): process bookkeeping, free ports, bounded waits.
# shellcheck shell=bash

pids=()

# start NAME COMMAND...: runs COMMAND in the background with its output in $work/NAME.log and
# remembers its pid, so that cleanup stops exactly what we started.
start() {
  local name=$1; shift
  "$@" >"$work/$name.log" 2>&1 &
  pids+=("$!")
  eval "pid_${name//-/_}=$!"
  # Out of the job table: no "Terminated" notices; its process group (set -m) stays.
  disown "$!"
}

# stop_pid PID: SIGTERM to the job's process group (run.sh uses set -m, so its pgid is PID),
# then SIGKILL after 10 s; never by name.
stop_pid() {
  local pid=$1 i
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || return 0
  for i in $(seq 100); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
}

cleanup() {
  local status=$? pid
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do stop_pid "$pid"; done
  if [ "$status" -ne 0 ]; then
    echo "demo: FAILED (exit $status); logs in $work" >&2
    for log in "$work"/*.log; do echo "--- $log" >&2; tail -n 15 "$log" >&2; done
  elif [ -z "${KEEP_DEMO_DIR:-}" ]; then
    rm -rf "$work"
  fi
  exit "$status"
}

# free_ports N: N distinct loopback ports that were free a moment ago.
free_ports() {
  python3 - "$1" <<'PY'
import socket, sys
held = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in held:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in held))
PY
}

# wait_for SECONDS DESCRIPTION COMMAND...: polls COMMAND every 0.2 s until it succeeds.
wait_for() {
  local seconds=$1 what=$2; shift 2
  local until=$((SECONDS + seconds))
  while ! "$@" >/dev/null 2>&1; do
    if [ "$SECONDS" -ge "$until" ]; then
      echo "demo: gave up after ${seconds}s waiting for: $what" >&2
      return 1
    fi
    sleep 0.2
  done
}

say() { printf '[%3ds] %s\n' "$SECONDS" "$*"; }
