#!/usr/bin/env bash
# Runs Acme Hiring as it runs beyond one machine, here on one: a SurrealDB server, two app nodes
# on it and a round-robin reverse proxy (nginx) in front, at http://127.0.0.1:3000. Installs what
# is missing (the SurrealDB server is built once: optimised ~25-36 min, or unoptimised ~7 min
# with ATS_SURREAL_PROFILE=dev as the test command sets; nginx comes from Debian), prints the
# URL and stops everything on Ctrl-C. Data is kept under ./data/cluster. See docs/scale-out.md.
#   ./scripts/cluster.sh            debug build of the app
#   ./scripts/cluster.sh --release  optimised build (~45 min cold)
#   ./scripts/cluster.sh --check    start, check that the proxy reaches both nodes, stop
#   ./scripts/cluster.sh --built    use the debug build already there (the browser tests do)
# Ports: CLUSTER_PORT (3000, the proxy), CLUSTER_DB_PORT (8000), nodes on CLUSTER_PORT+101/+102.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

mode=run
profile=()
built=no
case "${1:-}" in
  --release) profile=(--release) ;;
  --check) mode=check; built=yes ;;
  --built) built=yes ;;
  "") ;;
  *) sed -n '2,11p' "$0"; exit 2 ;;
esac

ensure_rust
ensure_surreal
ensure_nginx

PORT="${CLUSTER_PORT:-3000}"
DB_PORT="${CLUSTER_DB_PORT:-8000}"
NODE_PORTS=($((PORT + 101)) $((PORT + 102)))
DATA="${CLUSTER_DATA:-$ROOT/data/cluster}"
RUN="$DATA/run"
mkdir -p "$DATA" "$RUN/tmp"

if [ "$built" = yes ] && [ -x "$CARGO_TARGET_DIR/debug/server" ] && [ -d "$CARGO_TARGET_DIR/site/pkg" ]; then
  log "using the app already built"
else
  log "building the app"
  build_site "${profile[@]}"
fi
bin="$CARGO_TARGET_DIR/debug/server"
[ "${#profile[@]}" -gt 0 ] && bin="$CARGO_TARGET_DIR/release/server"

pids=()
stop_all() {
  trap - EXIT INT TERM
  log "stopping"
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop_all EXIT
trap 'exit 130' INT TERM

wait_http() { # url what [seconds]
  local deadline=$((SECONDS + ${3:-120}))
  until curl -fsS -o /dev/null "$1" 2>/dev/null; do
    if [ $SECONDS -gt $deadline ]; then echo "$2 did not start; see $DATA/*.log" >&2; exit 1; fi
    sleep 0.3
  done
}

log "SurrealDB server on 127.0.0.1:$DB_PORT (data in $DATA/db)"
"$SURREAL_BIN" start --no-banner --log warn --bind "127.0.0.1:$DB_PORT" --user root --pass root \
  "surrealkv://$DATA/db" >"$DATA/surreal.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$DB_PORT/health" "the SurrealDB server"

# The first node seeds the demo data into an empty database; the second starts once it has.
for i in 0 1; do
  name=$([ $i = 0 ] && echo a || echo b)
  port=${NODE_PORTS[$i]}
  log "app node $name on 127.0.0.1:$port"
  LEPTOS_SITE_ADDR="127.0.0.1:$port" LEPTOS_SITE_ROOT="$CARGO_TARGET_DIR/site" LEPTOS_OUTPUT_NAME=ats \
  DATABASE_URL="ws://127.0.0.1:$DB_PORT" DATABASE_USER=root DATABASE_PASS=root \
  SEARCH_INDEX_DIR="$DATA/search-$name" ATS_WORKERS=1 ATS_DEMO="${ATS_DEMO:-1}" \
  PUBLIC_URL="${PUBLIC_URL:-http://127.0.0.1:$PORT}" TRUSTED_PROXIES=127.0.0.1 \
    "$bin" >"$DATA/node-$name.log" 2>&1 &
  pids+=($!)
  wait_http "http://127.0.0.1:$port/healthz" "app node $name" 300
done

log "round-robin proxy (nginx) on 127.0.0.1:$PORT"
cat >"$RUN/nginx.conf" <<EOF
worker_processes 1;
pid $RUN/nginx.pid;
error_log $DATA/nginx.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $RUN/tmp/body;
  proxy_temp_path $RUN/tmp/proxy;
  fastcgi_temp_path $RUN/tmp/fastcgi;
  uwsgi_temp_path $RUN/tmp/uwsgi;
  scgi_temp_path $RUN/tmp/scgi;
  client_max_body_size 25m;
  upstream ats {
    server 127.0.0.1:${NODE_PORTS[0]};
    server 127.0.0.1:${NODE_PORTS[1]};
    keepalive 16;
  }
  server {
    listen 127.0.0.1:$PORT;
    location / {
      proxy_pass http://ats;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$http_host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
      # Live boards are server-sent events: pass them on as they come, keep them open.
      proxy_buffering off;
      proxy_read_timeout 1h;
      # A node that is down: the request goes to the other one.
      proxy_next_upstream error timeout http_502;
      add_header X-Upstream \$upstream_addr always;
    }
  }
}
EOF
nginx -e stderr -p "$RUN" -c "$RUN/nginx.conf" -g 'daemon off;' 2>>"$DATA/nginx.log" &
pids+=($!)
wait_http "http://127.0.0.1:$PORT/healthz" "the proxy" 30

if [ "$mode" = check ]; then
  log "checking that the proxy reaches both nodes"
  seen=$(for _ in 1 2 3 4 5 6; do
    curl -fsS -o /dev/null -D - "http://127.0.0.1:$PORT/jobs" | tr -d '\r' | awk -F': ' 'tolower($1)=="x-upstream" {print $2}'
  done | sort -u)
  echo "$seen" | sed 's/^/    served by /'
  if [ "$(echo "$seen" | grep -c .)" -ne 2 ]; then echo "the proxy did not reach both nodes" >&2; exit 1; fi
  log "cluster check passed"
  exit 0
fi

url="http://127.0.0.1:$PORT"
cat <<EOF

  Acme Hiring (two nodes) is running at $url
  Careers page: $url/jobs   Staff sign-in: $url/login
  Nodes: http://127.0.0.1:${NODE_PORTS[0]} and http://127.0.0.1:${NODE_PORTS[1]}
  Database: ws://127.0.0.1:$DB_PORT (root/root), data in $DATA
  Logs: $DATA/*.log   Stop with Ctrl-C.

EOF
wait -n "${pids[@]}" || true
echo "a process of the cluster stopped; see $DATA/*.log" >&2
exit 1
