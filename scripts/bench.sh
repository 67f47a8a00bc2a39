#!/usr/bin/env bash
# Runs the benchmarks (release build) and prints their figures. Not part of the test suite.
#   scripts/bench.sh            # scale, mail and import with the default sizes
#   scripts/bench.sh mail 10000 # one of them, with arguments
#   BENCH_SAMPLES=1 scripts/bench.sh board  # the board alone; prints each page request's time in order
#   scripts/bench.sh weight     # page weight and time to interactive (release WASM, Chromium)
#   scripts/bench.sh soak 200 600  # 200 simulated users for 10 minutes: latency, errors, memory
#   scripts/bench.sh cluster 32 20 # 1 vs 2 app nodes on one SurrealDB server: moves/s, p95s
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
ensure_rust

ensure_smtp_sink() {
  if ! command -v smtp-sink >/dev/null && [ ! -x /usr/sbin/smtp-sink ]; then
    log "installing postfix (for its smtp-sink test server; the mail system itself is not started)"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postfix >/dev/null
  fi
}

run_bench() { cargo run --release -q -p bench --bin bench -- "$@"; }

with_sink() {
  ensure_smtp_sink
  local port=2526
  # -c: count, -u: drop root; 1000: listen backlog. Accepts and discards every message.
  /usr/sbin/smtp-sink -u nobody 127.0.0.1:$port 1000 &
  local sink=$!
  trap 'kill $sink 2>/dev/null || true' EXIT
  sleep 0.5
  BENCH_SMTP_URL="smtp://127.0.0.1:$port" run_bench "$@"
  kill $sink 2>/dev/null || true
  trap - EXIT
}

# Page weight: builds the release WASM (the staff pages' bundle and the board's; public pages have none) and the
# debug server the browser tests use (the bytes a browser downloads do not depend on the
# server's build), then measures each page in Chromium. Leaves the release WASM in target/site (the next test run rebuilds its own).
weight() {
  ensure_chromium
  ensure_npm_packages
  ensure_wasm_opt
  ensure_cargo_leptos
  use_clippy_as_compiler
  export LEPTOS_OUTPUT_NAME=ats CARGO_INCREMENTAL=0
  log "building the server (debug, as the browser tests do)"
  cargo build --package=server --bin=server --no-default-features
  log "building the WASM bundles (release)"
  cargo leptos build --project ats --release --frontend-only --precompress
  cargo leptos build --project board --release --frontend-only --precompress
  log "measuring in Chromium"
  (cd end2end && npx playwright test -c weight.config.ts)
}

if [ "${1:-}" = weight ]; then weight; exit; fi

# The cluster benchmark measures the optimised SurrealDB server (the tests use an unoptimised one).
[ "${1:-}" = cluster ] && ensure_surreal release
log "building the benchmarks (release)"
cargo build --release -q -p bench --bin bench
if [ $# -gt 0 ]; then
  if [ "$1" = mail ]; then with_sink "$@"; else run_bench "$@"; fi
else
  log "scale: board, search, moves"; run_bench scale
  log "mail: campaign to an SMTP server"; with_sink mail
  log "import: CSV"; run_bench import
  log "slots: a five-person panel over 14 days"; run_bench slots
fi
