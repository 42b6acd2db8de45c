// Node.js entry: the .wasm is read from the file next to the glue and compiled once per process.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import * as glue from "../pkg/edgeguard_bg.js";
import { registerInstantiator } from "./engine.js";
import { rsaPublicOp } from "./node-rsa.js";

let compiled = null;
let previous = null;
registerInstantiator(() => {
  // A fresh instance after a trap: grow(0) detaches the old memory's buffer, so the glue's cached
  // Uint8Array/DataView (which only re-read a detached buffer) follow the new instance's memory.
  try {
    previous?.exports.memory.grow(0);
  } catch {
    // the old instance is unusable anyway
  }
  compiled ??= new WebAssembly.Module(readWasmBytes());
  const instance = new WebAssembly.Instance(compiled, { "./edgeguard_bg.js": glue });
  glue.__wbg_set_wasm(instance.exports);
  previous = instance;
  instance.exports.__wbindgen_start?.();
  // RS256's modular exponentiation by OpenSSL (faster than the wasm arithmetic: BENCHMARKS.md).
  glue.setRsaPublicOp(rsaPublicOp);
  return glue;
});

/**
 * The .wasm bytes, wherever the bundler put them. Plain Node and most bundles keep a `file:` URL
 * next to this file. Turbopack's server-action/SSR chunks turn the same expression into the URL of
 * a copied static asset (`/_next/static/media/<hash>.wasm`, no protocol): that file lives under
 * `.next/` in the app directory. Last, the installed package's own copy. Any failure throws, and
 * the engine denies every decision (503 engine-unavailable) rather than guess.
 */
function readWasmBytes() {
  const url = new URL("../pkg/edgeguard_bg.wasm", import.meta.url);
  const tried = [];
  const candidates = [];
  if (url.protocol === "file:") candidates.push(url);
  const href = String(url.href ?? url);
  if (href.startsWith("/_next/")) candidates.push(path.join(process.cwd(), ".next", href.slice("/_next/".length)));
  try {
    candidates.push(path.join(path.dirname(createRequire(import.meta.url).resolve("edgeguard/package.json")), "pkg", "edgeguard_bg.wasm"));
  } catch (error) {
    tried.push(`edgeguard/package.json: ${error.code ?? error.message}`);
  }
  for (const candidate of candidates) {
    try {
      return readFileSync(candidate);
    } catch (error) {
      tried.push(`${candidate}: ${error.code ?? error.message}`);
    }
  }
  throw new Error(`edgeguard_bg.wasm not found (${tried.join("; ") || href})`);
}

export * from "./core.js";
