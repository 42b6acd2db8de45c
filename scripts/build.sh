#!/usr/bin/env bash
# Builds the Rust core to wasm32 and writes the wasm-bindgen glue into pkg/ (what the JS shim loads).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
say() { printf '\033[1m[build]\033[0m %s\n' "$*"; }

say "wasm-pack build (release, target bundler)"
wasm-pack --log-level warn build --release --target bundler --mode no-install --no-pack \
  --out-dir pkg --out-name edgeguard
# wasm-pack writes a nested package (package.json, .gitignore '*', README) that would shadow the
# root package's `files` when packing: pkg/ is part of the root package, not a package of its own.
rm -f pkg/package.json pkg/.gitignore pkg/README.md pkg/LICENSE* pkg/edgeguard.js
if command -v wasm-opt >/dev/null 2>&1; then
  say "wasm-opt -O3"
  wasm-opt -O3 --enable-simd --enable-bulk-memory --enable-sign-ext --enable-nontrapping-float-to-int \
    --enable-mutable-globals pkg/edgeguard_bg.wasm -o pkg/edgeguard_bg.wasm
else
  say "wasm-opt not found: pkg/edgeguard_bg.wasm left unoptimised"
fi
say "pkg/edgeguard_bg.wasm: $(wc -c < pkg/edgeguard_bg.wasm) bytes, $(gzip -9c pkg/edgeguard_bg.wasm | wc -c) gzip"
