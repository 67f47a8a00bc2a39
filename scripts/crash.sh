#!/usr/bin/env bash
# Crash durability, benchmark-style (not part of CI; the test suite runs the same check with
# three trials): the server on surrealkv takes concurrent writes (applications, card moves,
# notes) that clients record as acknowledged, is killed with SIGKILL at a random moment and
# restarted; every acknowledged write must be there and the database must open cleanly.
#   scripts/crash.sh        # 100 trials
#   scripts/crash.sh 20     # 20 trials
# Uses the debug build the tests use (durability does not depend on the optimisation level).
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
ensure_rust
CRASH_TRIALS="${1:-100}" cargo nextest run -p app -p server --features app/ssr \
  -E 'binary(crash)' --no-capture 2>&1 | grep -E '^(trial|crash:)|FAIL|panicked'
