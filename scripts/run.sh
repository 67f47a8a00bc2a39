#!/usr/bin/env bash
# Runs Acme Hiring locally: installs what is missing, builds, serves http://127.0.0.1:3000 with
# the embedded database under ./data and demo data. Stop with Ctrl-C (data is kept).
#   ./scripts/run.sh            debug build (faster to build)
#   ./scripts/run.sh --release  optimised build (slower to build, ~35 min cold)
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
ensure_rust
profile=()
bin="$CARGO_TARGET_DIR/debug/server"
if [ "${1:-}" = "--release" ]; then
  profile=(--release)
  bin="$CARGO_TARGET_DIR/release/server"
fi
export DATABASE_URL="${DATABASE_URL:-surrealkv://data/ats.db}"
export ATS_DEMO="${ATS_DEMO:-1}"
mkdir -p data
log "building (the first build takes 15-20 minutes; later ones are quick)"
build_site "${profile[@]}"
log "starting"
exec "$bin"
