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
# binaryen < 116 (Debian 12 ships 108) rewrites wasm-bindgen's exported externref table wrongly
# and the first JS→wasm call traps; only a newer wasm-opt is used. wasm-bindgen's externref shims
# return several values (multivalue): without that feature binaryen 132 refuses the module.
wasm_opt_version=$(wasm-opt --version 2>/dev/null | grep -oE '[0-9]+' | head -1 || true)
if [[ -n "$wasm_opt_version" ]] && ((wasm_opt_version >= 116)); then
  say "wasm-opt -O3 (binaryen $wasm_opt_version)"
  wasm-opt -O3 --enable-simd --enable-bulk-memory --enable-sign-ext --enable-nontrapping-float-to-int \
    --enable-mutable-globals --enable-reference-types --enable-multivalue pkg/edgeguard_bg.wasm -o pkg/edgeguard_bg.wasm
else
  say "wasm-opt skipped (binaryen ${wasm_opt_version:-absent} < 116 breaks wasm-bindgen's externref table)"
fi
node scripts/strip-wasm.mjs pkg/edgeguard_bg.wasm
say "pkg/edgeguard_bg.wasm: $(wc -c < pkg/edgeguard_bg.wasm) bytes, $(gzip -9c pkg/edgeguard_bg.wasm | wc -c) gzip"
