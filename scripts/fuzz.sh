#!/usr/bin/env bash
# Runs every cargo-fuzz target (fuzz/fuzz_targets/*.rs) for a bounded time, one after the other
# (a single libFuzzer process each: the machine is shared), and prints executions, executions/s and peak RSS per target.
#
#   bash scripts/fuzz.sh [SECONDS_PER_TARGET=30] [TARGET...]
#   FUZZ_RUNS=10000000 bash scripts/fuzz.sh 0 token_verify   # a fixed number of executions instead
#
# Limits: -timeout=1 s (libFuzzer counts whole seconds) plus a 10 ms per-input CPU budget enforced
# inside every target (EDGEGUARD_FUZZ_MAX_MS), -rss_limit_mb (FUZZ_RSS_MB, default 512): a crash,
# panic, timeout or RSS overrun fails the run (exit 1) and leaves the input in fuzz/artifacts/.
# The checked-in corpus (fuzz/corpus/<target>) is a few small hand-made seeds, read only; what
# the fuzzer finds goes to fuzz/corpus-work/<target> (git-ignored) and is reused by the next run.
# FUZZ_MINIMISE=1 shrinks that work corpus to a feature-minimal set (libFuzzer -merge=1).
# cargo-fuzz needs nightly -Z flags; on stable, RUSTC_BOOTSTRAP=1 unlocks them.
# No sanitizer by default: the native core has no `unsafe` (the only `unsafe` is wasm32 SIMD),
# so ASan would only slow the search; FUZZ_SANITIZER=address turns it on.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
export RUSTC_BOOTSTRAP=1
say() { printf '\033[1m[fuzz]\033[0m %s\n' "$*"; }

per_target=${1:-30}
shift || true
sanitizer=${FUZZ_SANITIZER:-none}
rss_mb=${FUZZ_RSS_MB:-512}
runs=${FUZZ_RUNS:--1}
# Wall-clock limit per input; the real per-input limit is the 10 ms CPU budget inside every
# target. A niced run on a loaded machine can be descheduled for a second: FUZZ_TIMEOUT=10 then.
timeout_s=${FUZZ_TIMEOUT:-1}

if ! command -v cargo-fuzz >/dev/null; then
  say "cargo-fuzz is missing: cargo install cargo-fuzz --locked"
  exit 1
fi
if (($#)); then targets=("$@"); else mapfile -t targets < <(cd fuzz && cargo fuzz list); fi

build_log=$(mktemp)
say "building ${#targets[@]} target(s), sanitizer: $sanitizer"
for t in "${targets[@]}"; do
  if ! (cd fuzz && cargo fuzz build -O -s "$sanitizer" --debug-assertions "$t") >"$build_log" 2>&1; then
    cat "$build_log"
    say "build of $t failed"
    exit 1
  fi
done
triple=$(rustc -vV | sed -n 's/^host: //p')
bin_dir="fuzz/target/$triple/release"

scratch=$(mktemp -d)
trap 'rm -rf "$scratch" "$build_log"' EXIT
mkdir -p fuzz/artifacts
failed=0
results=()
for t in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$t" "fuzz/corpus-work/$t" "fuzz/artifacts/$t"
  say "=== $t (${per_target}s${FUZZ_RUNS:+, $runs runs})"
  log="$scratch/$t.log"
  set +e
  "$bin_dir/$t" "fuzz/corpus-work/$t" "fuzz/corpus/$t" \
    -max_total_time="$per_target" -runs="$runs" -timeout="$timeout_s" -rss_limit_mb="$rss_mb" -malloc_limit_mb="$rss_mb" \
    -print_final_stats=1 -artifact_prefix="fuzz/artifacts/$t/" >"$log" 2>&1
  status=$?
  set -e
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -1)
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
  verdict=ok
  if ((status != 0)); then
    verdict="FAILED (exit $status)"
    failed=$((failed + 1))
    grep -E 'panicked|ERROR|SUMMARY|Test unit written|out-of-memory|timeout' "$log" | head -20 || true
  fi
  results+=("$(printf '%-18s %12s execs %9s exec/s  peak RSS %5s MB  cov %6s  %s' "$t" "${execs:-?}" "${rate:-?}" "${rss:-?}" "${cov:-?}" "$verdict")")
  if [[ ${FUZZ_MINIMISE:-0} == 1 && $status == 0 ]]; then
    merged="$scratch/$t.merged"
    mkdir -p "$merged"
    "$bin_dir/$t" -merge=1 "$merged" "fuzz/corpus-work/$t" >/dev/null 2>&1
    rm -rf "fuzz/corpus-work/$t" && mv "$merged" "fuzz/corpus-work/$t"
    say "$t work corpus: $(ls "fuzz/corpus-work/$t" | wc -l) files"
  fi
done

say "=== summary"
printf '  %s\n' "${results[@]}"
((failed == 0))
