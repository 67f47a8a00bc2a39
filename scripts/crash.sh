#!/usr/bin/env bash
# Crash durability, benchmark-style (not part of CI; the test suite runs the same check with
# three trials): the server on surrealkv takes concurrent writes (applications, card moves,
# notes) that clients record as acknowledged, is killed with SIGKILL at a random moment and
# restarted; every acknowledged write must be there and the database must open cleanly.
#   scripts/crash.sh                # 100 trials on the release server
#   scripts/crash.sh 20             # 20 trials
#   scripts/crash.sh 100 --debug    # on the debug server the tests build (no release build)
# The trials' driver is the test binary (debug); the server it kills is the release build
# unless --debug is given.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
ensure_rust
trials="${1:-100}"
if [ "${2:-}" != "--debug" ]; then
  log "building the server (release)"
  cargo build --release -q -p server -p bench
  export ATS_SERVER_BIN="$ROOT/target/release/server"
  log "trials run the release server: $ATS_SERVER_BIN"
fi
CRASH_TRIALS="$trials" cargo nextest run -p app -p server --features app/ssr \
  -E 'binary(crash)' --no-capture 2>&1 | grep -E '^(trial|crash:)|FAIL|panicked'
