#!/usr/bin/env bash
# Runs every test: formatting, clippy (per target, -D warnings), unit + repository + HTTP tests
# (the real router, a real SMTP server; two app nodes on a SurrealDB server), then the
# Playwright journeys in Chromium with and without JavaScript. Installs whatever is missing
# first and ends with a time table per step.
#
# Compile budget: every Rust step below uses ONE feature set for the server side (app with
# `ssr` + server + their dev-dependencies; see reqwest in Cargo.toml), so clippy compiles the
# dependency graph once in check mode, the tests once, and the site's build reuses the
# tests' dependencies instead of compiling SurrealDB again. The debug site is built without
# cargo-leptos (build_site_dev in scripts/lib.sh: the same cargo and wasm-bindgen commands), so a
# fresh run does not compile that tool either.
# The SurrealDB server of the two-node tests: the unoptimised build (scripts/lib.sh), ~7 min
# cold instead of 25-36; the scripts and tests started below inherit the choice.
export ATS_SURREAL_PROFILE=dev
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
total=$SECONDS
# Tests build each crate once from scratch: incremental caches would only cost disk (gigabytes).
export CARGO_INCREMENTAL=0
trap print_times EXIT

timed "install tools (first time only)" ensure_tools
timed "cargo fmt --check" cargo fmt --all --check
# Clippy runs inside the builds below, not as builds of its own: clippy-driver is the compiler
# for this workspace's crates (what `cargo clippy` sets, but for a real build), with warnings as
# errors. So the dependencies are compiled once, for the tests and the app, instead of once more
# in check mode (11.5 min of a cold CI run). The tests' build lints app, server and bench with
# their tests (ssr); the site's build lints app and frontend for the browser (hydrate, wasm32).
use_clippy_as_compiler
# What the site's build (as `cargo leptos build`) sets for the server: Leptos reads it at compile
# time, so with it the test build's server and its Leptos crates are exactly what that build needs
# (it then builds only the WASM, instead of recompiling app and server: ~6 min).
export LEPTOS_OUTPUT_NAME=ats
# The HTTP tests run the server on the test's own thread: give it the stack the server's worker
# threads have (server/src/main.rs, 10 MiB). A staff page renders its shell and page in one go,
# which needs more than libtest's 2 MiB in a debug build.
export RUST_MIN_STACK=10485760
timed "build tests + clippy (app + server + bench, ssr)" \
  cargo nextest run -p app -p server -p bench --features app/ssr --no-run
# Test binaries run in parallel (cargo-nextest), each test in its own process.
timed "unit + repository + HTTP tests" \
  cargo nextest run -p app -p server -p bench --features app/ssr --no-fail-fast --failure-output final
timed "site build (debug) + clippy (app + frontend, wasm32)" build_site
timed "Playwright (Chromium: js + nojs)" bash -c 'cd end2end && npx playwright test'
# The two-node set-up as scripts/cluster.sh runs it (a SurrealDB server, two app nodes, nginx),
# on ports of its own, with browsers on both nodes and through the proxy.
timed "Playwright through two nodes (scripts/cluster.sh)" \
  bash -c 'cd end2end && npx playwright test -c cluster.config.ts'
log "all tests passed in $((SECONDS - total))s"
printf '    target directory: %s; free disk: %s\n' "$(du -sh "$CARGO_TARGET_DIR" | cut -f1)" \
  "$(df -h --output=avail "$CARGO_TARGET_DIR" | tail -1 | tr -d ' ')"
