#!/usr/bin/env bash
# Fuzzes the parsers that read what strangers send (cargo-fuzz on the nightly toolchain) and
# prints executions and crashes per target. Not part of the test suite.
#   scripts/fuzz.sh               # every target for 120 s
#   scripts/fuzz.sh 600 pdf docx  # ten minutes each for two of them
# Targets: pdf, docx (resume readers), search_query (the search language), template (email
# templates), import_csv (an import's file and column mapping), segment (the segment form and
# stored definitions). Seeds are in fuzz/seeds/<target>; the growing corpus in fuzz/corpus (not kept);
# a crash leaves its input in fuzz/artifacts/<target>/ — turn it into a regression test.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
ensure_rust

if ! rustup toolchain list | grep -q '^nightly'; then
  log "installing the nightly toolchain"
  rustup toolchain install nightly --profile minimal
fi
if ! command -v cargo-fuzz >/dev/null; then
  log "installing cargo-fuzz"
  cargo install cargo-fuzz --locked
fi

secs="${1:-120}"
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(pdf docx search_query template import_csv segment)

rows=()
for t in "${targets[@]}"; do
  corpus="fuzz/corpus/$t"
  mkdir -p "$corpus" "fuzz/artifacts/$t"
  cp -n fuzz/seeds/"$t"/* "$corpus"/ 2>/dev/null || true
  log "fuzzing $t for ${secs}s"
  out="$(mktemp)"
  # Inputs the readers take are at most a resume's size; 2 GiB of memory is a crash.
  (cd fuzz && cargo +nightly fuzz run "$t" "corpus/$t" -- \
      -max_total_time="$secs" -max_len=1048576 -rss_limit_mb=2048 -timeout=20 \
      -print_final_stats=1) >"$out" 2>&1 || true
  runs="$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$out" | grep -o '[0-9]*$' | tail -1)"
  crashes="$(find "fuzz/artifacts/$t" -type f | wc -l)"
  rows+=("$(printf '%-14s %14s %8s' "$t" "${runs:-?}" "$crashes")")
  if [ -z "$runs" ]; then tail -20 "$out"; fi
  rm -f "$out"
done
echo
printf '%-14s %14s %8s\n' target executions crashes
printf '%s\n' "${rows[@]}"
