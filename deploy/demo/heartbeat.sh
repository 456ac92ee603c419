#!/usr/bin/env bash
# heartbeat.sh KEY VALUE TTL_SECONDS: registers KEY=VALUE with a TTL and keeps it alive, as the
# sinatra@ unit does. Registration uses our etcdctl; the beats use refresh=true (one curl, no JVM),
# which extends the TTL without waking watchers, so the upstream is re-rendered only when the set
# of backends really changes. A beat that finds the key gone (it expired during an election)
# registers it again. Stops on SIGTERM; the key then expires by itself, as after a crash.
set -u
key=$1 value=$2 ttl=$3
IFS=, read -r -a endpoints <<<"$ETCDCTL_ENDPOINTS"

register() { "$ETCDCTL" set --ttl "$ttl" "$key" "$value" >/dev/null; }

refresh() {
  local endpoint
  for endpoint in "${endpoints[@]}"; do
    if curl -sf -m 2 -X PUT "$endpoint/v2/keys$key" \
        -d ttl="$ttl" -d refresh=true -d prevExist=true >/dev/null; then
      return 0
    fi
  done
  return 1
}

register || true
while true; do
  sleep 1
  refresh || register || echo "heartbeat: $key not registered this beat" >&2
done
