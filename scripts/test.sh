#!/usr/bin/env bash
# Runs every test: formatting, clippy (per target, -D warnings), unit + repository + HTTP tests
# (the real router, a real SMTP server), then the Playwright journeys in Chromium with and
# without JavaScript. Installs whatever is missing first and ends with a time table per step.
#
# Compile budget: every Rust step below uses ONE feature set for the server side (app with
# `ssr` + server + their dev-dependencies; see reqwest in Cargo.toml), so clippy compiles the
# dependency graph once in check mode, the tests once, and `cargo leptos build` reuses the
# tests' dependencies instead of compiling SurrealDB again.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
total=$SECONDS
# Tests build each crate once from scratch: incremental caches would only cost disk (gigabytes).
export CARGO_INCREMENTAL=0
trap print_times EXIT

timed "install tools (first time only)" ensure_tools
timed "cargo fmt --check" cargo fmt --all --check
timed "clippy: app + server + bench (ssr)" \
  cargo clippy -p app -p server -p bench --features app/ssr --all-targets -- -D warnings
timed "clippy: app + frontend (wasm32, hydrate)" \
  cargo clippy -p app -p frontend --features app/hydrate --target wasm32-unknown-unknown -- -D warnings
timed "build tests (app + server)" cargo nextest run -p app -p server -p bench --features app/ssr --no-run
# Test binaries run in parallel (cargo-nextest), each test in its own process.
timed "unit + repository + HTTP tests" \
  cargo nextest run -p app -p server -p bench --features app/ssr --no-fail-fast --failure-output final
timed "cargo leptos build (debug)" cargo leptos build
timed "Playwright (Chromium: js + nojs)" bash -c 'cd end2end && npx playwright test'
log "all tests passed in $((SECONDS - total))s"
printf '    target directory: %s; free disk: %s\n' "$(du -sh "$CARGO_TARGET_DIR" | cut -f1)" \
  "$(df -h --output=avail "$CARGO_TARGET_DIR" | tail -1 | tr -d ' ')"
