#!/usr/bin/env bash
# The demo: set up, build the wasm, pack + install edgeguard into the example app, `next build`,
# `next start` on a free localhost port, walk a scripted set of requests and print what the app
# decided for each. Idempotent: a second run reuses everything that did not change.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf '\033[1m[demo]\033[0m %s\n' "$*"; }
started=$SECONDS

say "1/3 setup (installs only what is missing)"
bash scripts/setup.sh
say "2/3 build the wasm core into pkg/"
bash scripts/build.sh
say "3/3 pack, install, build and run the example app"
node scripts/demo.mjs
say "finished in $((SECONDS - started)) s"
