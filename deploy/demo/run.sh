#!/usr/bin/env bash
# Replays the article on one machine: three members, two backends registering with TTL
# heartbeats, a watcher re-rendering nginx's upstream, a backend stopped, the leader killed.
# Prints one line per step and "OK" last; exits non-zero at the first check that fails.
#
#   deploy/demo/run.sh                     # uses bin/etcd and bin/etcdctl of this repository
#   V2STORE_HOME=/opt/v2store deploy/demo/run.sh   # or those of an unpacked release
#
# Needs python3 (the backends), curl and nginx (Debian's package; run unprivileged with its own
# prefix on a loopback port). Everything listens on 127.0.0.1 free ports; everything it starts
# is stopped by pid on exit; a watchdog ends it after DEMO_TIMEOUT_SECONDS (default 110).
set -euo pipefail
# Job control: every background job gets its own process group (pgid = its pid), so stopping a
# job by its pid also stops what it started (the watcher's etcdctl, a heartbeat's sleep).
set -m
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
home=${V2STORE_HOME:-$repo}
etcd="$home/bin/etcd"
export ETCDCTL="$home/bin/etcdctl"
nginx_bin=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
ttl=5
# Three JVMs share the machine with the rest of the demo: C1 only spends less CPU compiling.
export JAVA_OPTS=${JAVA_OPTS:--XX:TieredStopAtLevel=1}

work=$(mktemp -d "${TMPDIR:-/tmp}/v2store-demo.XXXXXX")
# shellcheck source=lib.sh
. "$here/lib.sh"
trap cleanup EXIT
trap 'exit 130' INT TERM
start watchdog sh -c "sleep ${DEMO_TIMEOUT_SECONDS:-110}; echo 'demo: timed out' >&2; kill -TERM $$"

for tool in python3 curl "$nginx_bin" "$etcd" "$ETCDCTL"; do
  command -v "$tool" >/dev/null || { echo "demo: $tool not found" >&2; exit 2; }
done

# ---- three members on loopback ------------------------------------------------------------
read -r -a ports <<<"$(free_ports 9)"
names=(m1 m2 m3)
cluster="" endpoints=""
for i in 0 1 2; do
  cluster+="${cluster:+,}${names[$i]}=http://127.0.0.1:${ports[$((i * 2 + 1))]}"
  endpoints+="${endpoints:+,}http://127.0.0.1:${ports[$((i * 2))]}"
done
export ETCDCTL_ENDPOINTS="$endpoints"
for i in 0 1 2; do
  client="http://127.0.0.1:${ports[$((i * 2))]}" peer="http://127.0.0.1:${ports[$((i * 2 + 1))]}"
  V2STORE_HEAP=${V2STORE_HEAP:-128m} start "${names[$i]}" "$etcd" --name "${names[$i]}" \
    --data-dir "$work/${names[$i]}.etcd" --initial-cluster "$cluster" \
    --initial-cluster-state new --initial-cluster-token demo \
    --listen-client-urls "$client" --advertise-client-urls "$client" \
    --listen-peer-urls "$peer" --initial-advertise-peer-urls "$peer"
done
member_pids=("$pid_m1" "$pid_m2" "$pid_m3")
IFS=, read -r -a client_urls <<<"$endpoints"
for url in "${client_urls[@]}"; do
  wait_for 60 "member $url healthy" curl -sf -m 2 "$url/health"
done
say "three members up: $endpoints"

# ---- two backends registering with TTL heartbeats -----------------------------------------
backend_port=("${ports[6]}" "${ports[7]}")
nginx_port=${ports[8]}
start_backend() { # start_backend N: serves "backend-N" and keeps /app/server/<port> alive
  local n=$1 port=${backend_port[$(($1 - 1))]}
  mkdir -p "$work/www$n" && echo "backend-$n" >"$work/www$n/index.html"
  start "backend$n" python3 -m http.server "$port" --bind 127.0.0.1 --directory "$work/www$n"
  start "heartbeat$n" "$here/heartbeat.sh" "/app/server/$port" "127.0.0.1:$port" "$ttl"
}
start_backend 1
start_backend 2
# Checks poll with curl (no JVM per poll); the actions use our etcdctl.
registered() { curl -sf -m 2 "${client_urls[0]}/v2/keys/app/server/$1" >/dev/null \
  || curl -sf -m 2 "${client_urls[1]}/v2/keys/app/server/$1" >/dev/null; }
wait_for 30 "backend 1 registered" registered "${backend_port[0]}"
wait_for 30 "backend 2 registered" registered "${backend_port[1]}"
say "backends registered: $("$ETCDCTL" ls /app/server | tr '\n' ' ')"

# ---- nginx and the watcher that re-renders its upstream -----------------------------------
mkdir -p "$work/nginx/logs" "$work/nginx/tmp"
upstream="$work/nginx/upstream.conf"
cat >"$work/nginx/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log warn;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path $work/nginx/tmp/body;
  proxy_temp_path $work/nginx/tmp/proxy;
  fastcgi_temp_path $work/nginx/tmp/fastcgi;
  uwsgi_temp_path $work/nginx/tmp/uwsgi;
  scgi_temp_path $work/nginx/tmp/scgi;
  include $upstream;
  server {
    listen 127.0.0.1:$nginx_port;
    location / {
      proxy_pass http://app;
      proxy_next_upstream error timeout http_502;
      proxy_connect_timeout 2s;
    }
  }
}
CONF
nginx_cmd=("$nginx_bin" -p "$work/nginx" -c "$work/nginx/nginx.conf" -e "$work/nginx/logs/error.log")
export UPSTREAM_FILE="$upstream" APP_DIR=/app/server
RELOAD_COMMAND=true "$repo/deploy/exec-watch/render-upstream.sh"
# In the foreground (daemon off) so that its pid is ours to stop.
start nginx "${nginx_cmd[@]}" -g 'daemon off;'
wait_for 20 "nginx pid file" test -s "$work/nginx/nginx.pid"
export RELOAD_COMMAND="${nginx_cmd[*]} -s reload"
# As systemd's Restart=always would: render at every (re)start, then follow the changes.
watcher() {
  while true; do
    "$repo/deploy/exec-watch/render-upstream.sh" || true
    "$ETCDCTL" exec-watch --recursive /app/server -- "$repo/deploy/exec-watch/render-upstream.sh" || true
    sleep 1
  done
}
start watcher watcher
say "nginx on 127.0.0.1:$nginx_port, upstream: $(grep -c '^    server 127' "$upstream") servers"

# ---- requests reach both backends ---------------------------------------------------------
through_nginx() { curl -sf -m 3 "http://127.0.0.1:$nginx_port/"; }
# seen_exactly NAME...: 12 requests through nginx are answered by exactly the named backends.
seen_exactly() {
  local answers
  answers=$(for _ in $(seq 12); do through_nginx || echo failed; done | sort -u | paste -sd' ')
  [ "$answers" = "$*" ]
}
wait_for 20 "requests through nginx reach both backends" seen_exactly backend-1 backend-2
say "requests through nginx reach backend-1 and backend-2"

# ---- one backend stops: its key expires and nginx follows ---------------------------------
stop_pid "$pid_heartbeat2"
stop_pid "$pid_backend2"
stopped_at=$SECONDS
upstream_without() { ! grep -q "127.0.0.1:$1;" "$upstream"; }
wait_for 20 "upstream without backend 2" upstream_without "${backend_port[1]}"
wait_for 10 "only backend-1 answers" seen_exactly backend-1
say "backend 2 stopped; its key expired and nginx follows after $((SECONDS - stopped_at))s (TTL ${ttl}s)"

# ---- the leader is killed; the service is still routed ------------------------------------
leader=""
for i in 0 1 2; do
  if curl -sf -m 2 "${client_urls[$i]}/v2/stats/self" | grep -q '"state":"StateLeader"'; then leader=$i; fi
done
[ -n "$leader" ] || { echo "demo: no member reports itself leader" >&2; exit 1; }
kill -KILL "${member_pids[$leader]}"
say "killed the leader ${names[$leader]} (SIGKILL)"
survivors=()
for i in 0 1 2; do [ "$i" = "$leader" ] || survivors+=("${client_urls[$i]}"); done
new_leader() { local url; for url in "${survivors[@]}"; do
  curl -sf -m 2 "$url/v2/stats/self" | grep -q '"state":"StateLeader"' && return 0; done; return 1; }
wait_for 20 "a new leader among the survivors" new_leader
say "a new leader was elected"
seen_exactly backend-1 || { echo "demo: service not routed after the leader died" >&2; exit 1; }
# The cluster still takes writes and the watcher still follows: backend 2 comes back.
start_backend 2
wait_for 30 "backend 2 registered again" registered "${backend_port[1]}"
wait_for 30 "requests reach both backends again" seen_exactly backend-1 backend-2
# Backend 1's heartbeat outlived the election: its key never expired.
registered "${backend_port[0]}"
say "backend 2 is back and routed; backend 1 stayed registered through the failover"
echo OK
