#!/usr/bin/env bash
# Runs every test: formatting, clippy (per package, -D warnings), unit + repository tests,
# HTTP tests against the real router with a real SMTP server, then the Playwright journeys in
# Chromium with and without JavaScript. Installs whatever is missing first.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
total=$SECONDS
# Tests build each crate once from scratch: incremental caches would only cost disk (gigabytes).
export CARGO_INCREMENTAL=0
ensure_rust
ensure_chromium
ensure_python_smtp
ensure_npm_packages

timed "cargo fmt --check" cargo fmt --all --check
timed "clippy: app + server (ssr)" cargo clippy -p app -p server --features app/ssr --all-targets -- -D warnings
timed "clippy: app + frontend (wasm32, hydrate)" \
  cargo clippy -p app -p frontend --features app/hydrate --target wasm32-unknown-unknown -- -D warnings
timed "unit + repository tests (app)" cargo test -p app --features ssr
timed "HTTP tests (server)" cargo test -p server
timed "cargo leptos build (debug)" cargo leptos build
timed "Playwright (Chromium: js + nojs)" bash -c 'cd end2end && npx playwright test'
log "all tests passed in $((SECONDS - total))s"
printf '    target directory: %s; free disk: %s\n' "$(du -sh "$CARGO_TARGET_DIR" | cut -f1)" \
  "$(df -h --output=avail "$CARGO_TARGET_DIR" | tail -1 | tr -d ' ')"
