#!/bin/sh
# Renders nginx's upstream block from the services registered under /app/server, for machines
# without confd. Run it once at start and then on every change:
#   etcdctl exec-watch --recursive /app/server -- render-upstream.sh
# It ignores the ETCD_WATCH_* event it is called for and lists the whole directory instead, so
# a missed or reordered event is repaired by the next one. nginx is reloaded only when the
# rendered file changes. Settings (environment):
#   ETCDCTL         etcdctl to use (default /opt/v2store/bin/etcdctl); ETCDCTL_ENDPOINTS picks members
#   APP_DIR         directory of registrations (default /app/server), values are host:port
#   UPSTREAM_NAME   nginx upstream name (default app)
#   UPSTREAM_FILE   file to write (default /etc/nginx/conf.d/app-upstream.conf)
#   RELOAD_COMMAND  run after the file changed (default: nginx -s reload)
set -eu

etcdctl=${ETCDCTL:-/opt/v2store/bin/etcdctl}
app_dir=${APP_DIR:-/app/server}
name=${UPSTREAM_NAME:-app}
out=${UPSTREAM_FILE:-/etc/nginx/conf.d/app-upstream.conf}
reload=${RELOAD_COMMAND:-nginx -s reload}

errors=$(mktemp)
next="$out.next.$$"
trap 'rm -f "$errors" "$next"' EXIT

# One request for the whole directory (-o json ls is etcd's JSON response, one line).
if ! listing=$("$etcdctl" -o json ls "$app_dir" 2>"$errors"); then
  if grep -q 'Key not found' "$errors"; then
    listing=''
  else
    # The cluster is unreachable: keep the last good file rather than empty the upstream.
    echo "render-upstream: cannot list $app_dir, keeping $out: $(cat "$errors")" >&2
    exit 1
  fi
fi

# Each child is {"key":"/app/server/<id>","value":"<host:port>",...}; anything that is not a
# plain host:port is skipped, so a stray value cannot inject nginx configuration.
servers=$(printf '%s\n' "$listing" \
  | grep -o "\"key\":\"$app_dir/[^\"]*\",\"value\":\"[^\"]*\"" \
  | sed 's/.*"value":"\([^"]*\)"$/\1/' \
  | grep -E '^[A-Za-z0-9._-]+:[0-9]+$' \
  | sort -u) || true

{
  echo "# Rendered by render-upstream.sh from $app_dir; do not edit."
  echo "upstream $name {"
  if [ -n "$servers" ]; then
    printf '%s\n' "$servers" | while IFS= read -r server; do
      echo "    server $server;"
    done
  else
    echo "    # Nothing registered: nginx refuses an empty upstream, so keep one that is marked down."
    echo "    server 127.0.0.1:9 down;"
  fi
  echo "}"
} > "$next"

if [ -f "$out" ] && cmp -s "$next" "$out"; then
  exit 0
fi
mv "$next" "$out"
sh -c "$reload"
