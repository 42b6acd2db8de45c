#!/usr/bin/env bash
# Installs what the build, the demo and the tests need, and only what is missing: safe to run again.
#   Rust target wasm32-unknown-unknown, wasm-bindgen-cli 0.2.130, wasm-pack (cargo install)
#   chromium, chromium-driver, binaryen (apt-get, only if a binary is absent)
#   npm ci at the repository root and in examples/nextjs-clerk (only if node_modules is missing or stale)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }
export DEBIAN_FRONTEND=noninteractive
WASM_BINDGEN_VERSION=0.2.130

# --- Rust ---------------------------------------------------------------------------------------
command -v cargo >/dev/null || { say "cargo not found: install Rust with rustup first (https://rustup.rs)"; exit 1; }
if rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "rust target wasm32-unknown-unknown: present"
else
  say "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi
if [[ "$(wasm-bindgen --version 2>/dev/null || true)" == "wasm-bindgen $WASM_BINDGEN_VERSION" ]]; then
  say "wasm-bindgen-cli $WASM_BINDGEN_VERSION: present"
else
  # No --locked: the CLI's own lockfile pins crates that no longer build with current Rust.
  say "cargo install wasm-bindgen-cli --version $WASM_BINDGEN_VERSION (about 4 minutes on 2 cores)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi
if command -v wasm-pack >/dev/null; then
  say "$(wasm-pack --version): present"
else
  say "cargo install wasm-pack --locked (a few minutes)"
  cargo install wasm-pack --locked
fi

# --- Debian packages ------------------------------------------------------------------------------
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
command -v wasm-opt >/dev/null || missing+=(binaryen)
if ((${#missing[@]})); then
  sudo=""
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  say "apt-get install ${missing[*]}"
  $sudo apt-get update -q
  $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  say "chromium, chromedriver, wasm-opt: present"
fi

# --- npm --------------------------------------------------------------------------------------------
# npm ci when node_modules is missing, when a declared dependency is missing, or when the lockfile
# changed since our last npm ci (stamp). A node_modules that is a symlink belongs to another
# checkout (git worktrees): never touched.
npm_ci_if_needed() {
  local dir=$1 stamp="$1/node_modules/.edgeguard-setup-stamp" lock_sha
  lock_sha=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
  if [[ -L "$dir/node_modules" ]]; then
    say "$dir/node_modules is a symlink (shared checkout): left as is"
    return
  fi
  if [[ -d "$dir/node_modules" ]] && { [[ ! -f "$stamp" ]] || [[ "$(cat "$stamp")" == "$lock_sha" ]]; } &&
    node -e '
      const p = require(process.argv[1] + "/package.json");
      const names = Object.keys({ ...p.dependencies, ...p.devDependencies });
      const fs = require("fs");
      process.exit(names.every((n) => fs.existsSync(`${process.argv[1]}/node_modules/${n}/package.json`)) ? 0 : 1);
    ' "$(cd "$dir" && pwd)"; then
    say "$dir: node_modules up to date"
    return
  fi
  say "npm ci in $dir"
  local out
  if ! out=$(cd "$dir" && npm ci --no-audit --no-fund 2>&1); then
    # A registry mirror without the other platforms' optional packages (@next/swc-darwin-*, …)
    # yields lockfiles that omit them, and npm ci refuses those as "out of sync". npm install keeps
    # the locked versions and skips the missing optional packages; the lockfile is restored after.
    printf '%s\n' "$out" | grep -E "^npm (error|ERR)" | head -5  || true
    say "npm ci refused the lockfile in $dir: npm install with the same lockfile instead"
    cp "$dir/package-lock.json" "$dir/.package-lock.json.setup-backup"
    (cd "$dir" && npm install --no-audit --no-fund) || {
      mv "$dir/.package-lock.json.setup-backup" "$dir/package-lock.json"
      exit 1
    }
    mv "$dir/.package-lock.json.setup-backup" "$dir/package-lock.json"
  else
    printf '%s\n' "$out" | tail -2 || true
  fi
  echo "$lock_sha" > "$stamp"
}
npm_ci_if_needed .
npm_ci_if_needed examples/nextjs-clerk
say "done"
