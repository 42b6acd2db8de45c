#!/usr/bin/env bash
# Every suite, after set-up and the wasm build. Each suite's own output is shown as it runs; the
# counts of every runner are added up (cargo/wasm-bindgen "test result:" lines, node's TAP
# "# pass"/"# fail"), and the last line is exactly "N passed, M failed". Exit 1 if anything failed.
# A suite that fails without reporting counts (compile error, crash) counts as one failure.
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
export NEXT_TELEMETRY_DISABLED=1
export CHROMEDRIVER=/usr/bin/chromedriver
say() { printf '\033[1m[test]\033[0m %s\n' "$*"; }
started=$SECONDS
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
passed=0
failed=0
timings=()

bash scripts/setup.sh || { echo "0 passed, 1 failed"; exit 1; }
bash scripts/build.sh || { echo "0 passed, 1 failed"; exit 1; }

count_cargo() { # file -> "passed failed" summed over every "test result:" line
  awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i) ~ /^passed;?$/) p += $(i-1); if ($(i) ~ /^failed;?$/) f += $(i-1) } }
       END { printf "%d %d\n", p, f }' "$1"
}
count_tap() { # TAP file -> "passed failed"
  awk '/^# pass / { p += $3 } /^# fail / { f += $3 } END { printf "%d %d\n", p, f }' "$1"
}

# run_suite NAME cargo COMMAND...   |   run_suite NAME tap TEST_FILES...
run_suite() {
  local name=$1 kind=$2 log="$logs/$(echo "$1" | tr -c 'a-z0-9' '_').log" t0=$SECONDS status p f
  shift 2
  say "=== $name"
  if [[ $kind == cargo ]]; then
    "$@" 2>&1 | tee "$log"
    status=${PIPESTATUS[0]}
    read -r p f < <(count_cargo "$log")
  else
    node --test --test-concurrency=1 --test-reporter=spec --test-reporter-destination=stdout \
      --test-reporter=tap --test-reporter-destination="$log" "$@"
    status=$?
    read -r p f < <(count_tap "$log")
  fi
  if ((status != 0 && f == 0)); then
    say "$name exited with status $status without reporting a failed test: counted as 1 failure"
    f=1
  fi
  passed=$((passed + p))
  failed=$((failed + f))
  timings+=("$(printf '%-40s %4d passed %3d failed %5d s' "$name" "$p" "$f" $((SECONDS - t0)))")
}

shopt -s nullglob
run_suite "cargo test" cargo cargo test --color never
# The wasm test builds use opt-level 1 (debug assertions and overflow checks stay on): unoptimised
# wasm runs the RSA/Wycheproof suites ~30x slower (158 s vs 5 s), past the browser runner's
# per-test limit. Both wasm runs share that one build.
export CARGO_PROFILE_DEV_OPT_LEVEL=1
run_suite "wasm-pack test --node" cargo wasm-pack --log-level warn test --node
# The suites are written for wasm-bindgen-test's default (Node); WASM_BINDGEN_USE_BROWSER runs the
# same ones in headless Chromium instead of skipping them (browser and chromedriver options:
# webdriver.json at the crate root).
run_suite "wasm-pack test --headless --chrome" cargo env WASM_BINDGEN_USE_BROWSER=1 \
  wasm-pack --log-level warn test --headless --chrome --chromedriver "$CHROMEDRIVER"
unset CARGO_PROFILE_DEV_OPT_LEVEL
js_tests=(tests/js/*.test.mjs tests/soak/*.test.mjs bench/test/*.test.mjs)
if ((${#js_tests[@]})); then
  run_suite "node --test tests/js" tap "${js_tests[@]}"
fi
run_suite "e2e (next start + Chromium)" tap tests/e2e/*.test.mjs
run_suite "package (npm pack, publint, attw)" tap tests/package/*.test.mjs

say "=== summary ($((SECONDS - started)) s)"
printf '  %s\n' "${timings[@]}"
echo "$passed passed, $failed failed"
((failed == 0))
