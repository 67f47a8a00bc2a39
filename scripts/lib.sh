# Shared by run.sh and test.sh: installs whatever is missing, idempotently.
# Tools live in $ATS_TOOLS (default ~/.cache/ats-tools) so every clone on a machine reuses them.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ATS_TOOLS="${ATS_TOOLS:-$HOME/.cache/ats-tools}"
CARGO_LEPTOS_VERSION="0.3.10"
WASM_BINDGEN_VERSION="0.2.130"
export PATH="$ATS_TOOLS/bin:$ATS_TOOLS/node/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# One warm target directory for every build of this checkout.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"

log() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "need root for: $*" >&2; return 1; fi
}

STEP_TIMES=()
CURRENT_STEP=""
timed() {
  local name="$1"; shift
  local start=$SECONDS
  CURRENT_STEP="$name"; CURRENT_START=$start
  log "$name"
  "$@"
  CURRENT_STEP=""
  STEP_TIMES+=("$(printf '%6ss  %s' "$((SECONDS - start))" "$name")")
  printf '    (%s: %ss; free disk %s)\n' "$name" "$((SECONDS - start))" \
    "$(df -h --output=avail "${CARGO_TARGET_DIR:-.}" 2>/dev/null | tail -1 | tr -d ' ')"
}

# The time of each step that ran (also after a failure), for spotting what grows.
print_times() {
  local status=$?
  [ -n "$CURRENT_STEP" ] && STEP_TIMES+=("$(printf '%6ss  %s (FAILED)' "$((SECONDS - CURRENT_START))" "$CURRENT_STEP")")
  [ ${#STEP_TIMES[@]} -eq 0 ] && return $status
  printf '\n\033[1m==> time per step\033[0m\n'
  printf '    %s\n' "${STEP_TIMES[@]}"
  printf '    %6ss  total\n' "$((SECONDS - ${total:-0}))"
  # Shown last so a failed run's tail says whether the disk was full.
  printf '    free disk: %s; memory: %s\n' \
    "$(df -h --output=avail "${CARGO_TARGET_DIR:-.}" 2>/dev/null | tail -1 | tr -d ' ')" \
    "$(free -h 2>/dev/null | awk '/^Mem:/ {print $7 " available"}')"
  return $status
}

# Everything the test command needs, installed when missing.
ensure_tools() {
  ensure_rust
  ensure_surreal
  ensure_nginx
  ensure_chromium
  ensure_python_smtp
  ensure_npm_packages
}

ensure_rust() {
  command -v cargo >/dev/null || { echo "cargo (rustup) is required" >&2; exit 1; }
  if ! rustup target list --installed 2>/dev/null | grep -q '^wasm32-unknown-unknown$'; then
    log "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy
  rustup component list --installed 2>/dev/null | grep -q '^rustfmt' || rustup component add rustfmt
  mkdir -p "$ATS_TOOLS"
  if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
    log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (first time only, ~3 min)"
    CARGO_TARGET_DIR="$ATS_TOOLS/build" cargo install wasm-bindgen-cli --version "=$WASM_BINDGEN_VERSION" \
      --debug --root "$ATS_TOOLS"
  fi
  if ! command -v cargo-nextest >/dev/null; then
    log "installing cargo-nextest (first time only; the machine image usually has it)"
    CARGO_TARGET_DIR="$ATS_TOOLS/build" cargo install cargo-nextest --locked --root "$ATS_TOOLS"
  fi
  # The installs' build directory is only needed while installing.
  rm -rf "$ATS_TOOLS/build"
}

# cargo-leptos: the optimised site (build_site --release: wasm-opt, minified JS and CSS,
# precompressed files) and `cargo leptos watch`. The debug site, which the test command and
# `run.sh` build, does without it (build_site_dev), so a fresh test run does not spend ~10 min
# compiling its 666 crates. Built without optimisations (--debug): it only orchestrates, and
# this takes ~9 minutes cold instead of ~22. `no_downloads` makes it use the tools on PATH.
ensure_cargo_leptos() {
  if [ "$(cargo-leptos --version 2>/dev/null)" != "cargo-leptos $CARGO_LEPTOS_VERSION" ]; then
    log "installing cargo-leptos $CARGO_LEPTOS_VERSION (first time only, ~9 min)"
    CARGO_TARGET_DIR="$ATS_TOOLS/build" cargo install cargo-leptos --version "=$CARGO_LEPTOS_VERSION" \
      --locked --features no_downloads --debug --root "$ATS_TOOLS"
    rm -rf "$ATS_TOOLS/build"
  fi
}

# The stylesheet's bundler for debug builds: lightningcss, the library cargo-leptos bundles CSS
# with, as its command-line tool from npm (a prebuilt binary, seconds to install).
LIGHTNINGCSS_VERSION="1.33.0"
ensure_lightningcss() {
  if ! [ -x "$ATS_TOOLS/node/node_modules/.bin/lightningcss" ] || ! grep -q "\"version\": \"$LIGHTNINGCSS_VERSION\"" \
    "$ATS_TOOLS/node/node_modules/lightningcss-cli/package.json" 2>/dev/null; then
    log "installing lightningcss $LIGHTNINGCSS_VERSION (npm lightningcss-cli) for the stylesheet"
    mkdir -p "$ATS_TOOLS/node"
    (cd "$ATS_TOOLS/node" && npm install --no-audit --no-fund --silent "lightningcss-cli@$LIGHTNINGCSS_VERSION" >/dev/null)
  fi
}

# The SurrealDB server of the scale-out set-up (scripts/cluster.sh) and of its tests
# (server/tests/cluster.rs): tools/surreal, built once per machine and cached in $ATS_TOOLS/bin
# (its build directory is removed afterwards), in one of two builds:
#   dev      unoptimised: what the test command uses. ~7 min cold on 2 cores instead of 25-36,
#            and fast enough for the two-node tests (their data is small).
#   release  optimised: the cluster benchmark (its figures would measure an unoptimised
#            database otherwise) and ./scripts/cluster.sh when run by hand.
# ATS_SURREAL_PROFILE picks the default (release); scripts/test.sh sets dev, and the scripts and
# tests it starts inherit it. ensure_surreal exports ATS_SURREAL, the binary the tests start.
SURREAL_VERSION="3.3.5"
surreal_bin_for() {
  if [ "$1" = dev ]; then echo "$ATS_TOOLS/bin/surreal-$SURREAL_VERSION-dev"; else echo "$ATS_TOOLS/bin/surreal-$SURREAL_VERSION"; fi
}
SURREAL_BIN="$(surreal_bin_for "${ATS_SURREAL_PROFILE:-release}")"
export ATS_SURREAL="$SURREAL_BIN"
ensure_surreal() {
  local profile="${1:-${ATS_SURREAL_PROFILE:-release}}"
  SURREAL_BIN="$(surreal_bin_for "$profile")"
  export ATS_SURREAL="$SURREAL_BIN"
  if [ -x "$SURREAL_BIN" ]; then return; fi
  local flags=() out=debug
  if [ "$profile" = release ]; then
    flags=(--release); out=release
    log "building the SurrealDB server $SURREAL_VERSION, optimised (first time only, ~25-36 min)"
  else
    log "building the SurrealDB server $SURREAL_VERSION for the tests (first time only, ~7 min)"
  fi
  mkdir -p "$ATS_TOOLS/bin"
  (cd "$ROOT/tools/surreal" && CARGO_TARGET_DIR="$ATS_TOOLS/surreal-build" CARGO_INCREMENTAL=0 \
    cargo build --locked "${flags[@]}")
  cp "$ATS_TOOLS/surreal-build/$out/surreal" "$SURREAL_BIN.tmp"
  mv "$SURREAL_BIN.tmp" "$SURREAL_BIN"
  rm -rf "$ATS_TOOLS/surreal-build"
}

ensure_wasm_opt() {
  if ! "$ATS_TOOLS/node/node_modules/.bin/wasm-opt" --version 2>/dev/null | grep -q 'version 132'; then
    log "installing wasm-opt (npm binaryen 132) for release builds"
    mkdir -p "$ATS_TOOLS/node"
    (cd "$ATS_TOOLS/node" && npm install --no-audit --no-fund --silent binaryen@132 >/dev/null)
  fi
}

# The reverse proxy of scripts/cluster.sh (Debian's nginx; it is not started as a service).
ensure_nginx() {
  if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
    log "installing nginx (Debian package) for the cluster's proxy"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light curl >/dev/null
  fi
  export PATH="$PATH:/usr/sbin"
}

ensure_chromium() {
  if [ ! -x /usr/bin/chromium ]; then
    log "installing Chromium (Debian package)"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
}

ensure_python_smtp() {
  if ! python3 -c 'import aiosmtpd' 2>/dev/null; then
    log "installing aiosmtpd (the SMTP server the tests deliver to)"
    python3 -m pip install --quiet --disable-pip-version-check aiosmtpd
  fi
  if ! python3 -c 'import icalendar' 2>/dev/null; then
    log "installing icalendar (the independent parser tests read calendar invitations with)"
    python3 -m pip install --quiet --disable-pip-version-check icalendar
  fi
}

ensure_npm_packages() {
  # Installed again when package-lock.json changed since the last install (a new package).
  local stamp="$ROOT/end2end/node_modules/.ats-lock-sha"
  local want
  want="$(sha256sum "$ROOT/end2end/package-lock.json" | cut -d' ' -f1)"
  if [ ! -x "$ROOT/end2end/node_modules/.bin/playwright" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    log "installing Playwright (npm; browsers are not downloaded, Debian's Chromium is used)"
    (cd "$ROOT/end2end" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent)
    echo "$want" > "$stamp"
  fi
}

# Makes every following cargo build of this workspace's own crates run clippy as it compiles
# (warnings are errors), exactly as `cargo clippy` does for a check: RUSTC_WORKSPACE_WRAPPER is
# clippy-driver and CLIPPY_ARGS carries the lint flags in cargo-clippy's own encoding.
# Dependencies are compiled by plain rustc, as before.
use_clippy_as_compiler() {
  local driver
  driver="$(rustc --print sysroot)/bin/clippy-driver"
  if [ ! -x "$driver" ]; then
    rustup component add clippy >&2
  fi
  export RUSTC_WORKSPACE_WRAPPER="$driver"
  export CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__"
}

# The site a browser loads, as Cargo.toml's [[workspace.metadata.leptos]] projects describe it:
# the project `ats` (the server, the staff pages' WASM bundle, the stylesheet, and `public/` with
# the public pages' one script), then the project `board` (the board's own WASM bundle, in
# /pkg/board/; it reuses every crate the first build compiled but `frontend`). See
# app/src/bundles.rs.
#   build_site            debug (what the browser tests run): build_site_dev
#   build_site --release  optimised, by cargo-leptos, as the benchmarks and `run.sh --release`
#                         use; also writes brotli (quality 11) and gzip copies of /pkg's files,
#                         which the server sends as they are (without them it compresses each
#                         answer at quality 4)
build_site() {
  case " $* " in
    *" --release "*)
      ensure_cargo_leptos
      ensure_wasm_opt
      cargo leptos build --project ats "$@" --precompress
      cargo leptos build --project board --frontend-only "$@" --precompress
      ;;
    *) build_site_dev ;;
  esac
}

# What `cargo leptos build` (debug) does for the two projects, step for step, without
# cargo-leptos: the same cargo commands with the same LEPTOS_OUTPUT_NAME (the one setting Leptos
# reads at compile time; the server reads the rest at run time, and their defaults are the
# projects' values), the same wasm-bindgen arguments and file names, the stylesheet bundled by
# lightningcss for the same browsers ("defaults"), `public/` copied to the site root.
# Its body runs in a subshell, so the variable it exports stays inside.
build_site_dev() (
  ensure_lightningcss
  local site="$ROOT/target/site"
  export LEPTOS_OUTPUT_NAME=ats
  cargo build --package=server --bin=server --no-default-features
  rm -rf "$site"
  mkdir -p "$site/pkg/board"
  cp -R "$ROOT/public/." "$site/"
  lightningcss --bundle --targets defaults "$ROOT/style/main.css" -o "$site/pkg/ats.css"
  wasm_bundle "" "$site/pkg"
  wasm_bundle board "$site/pkg/board"
)

# One WASM bundle of the crate `frontend` (features: "" or "board") into the directory $2, as
# cargo-leptos names it: ats.js, ats.wasm.
wasm_bundle() {
  local features=()
  [ -n "$1" ] && features=(--features="$1")
  local front="$CARGO_TARGET_DIR/front"
  cargo build --package=frontend --lib --target-dir="$front" --target=wasm32-unknown-unknown \
    --no-default-features "${features[@]}" --profile=wasm-dev
  wasm-bindgen --target=web --out-name=ats --out-dir="$2" \
    "$front/wasm32-unknown-unknown/wasm-dev/frontend.wasm"
  mv "$2/ats_bg.wasm" "$2/ats.wasm"
}
