// Instantiates the engine exactly as js/edge.js does (a compiled WebAssembly.Module, instantiated by
// hand with the wasm-bindgen glue as its import namespace) and keeps the instance's memory, so a
// child process can time each step and read WebAssembly.Memory. The core API is the package's own
// (js/core.js over js/engine.js): the same code the "edgeguard" import runs.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { glueFile, repoRoot, wasmFile } from "./paths.mjs";

const clock = process.hrtime.bigint;
const msSince = (started) => Number(clock() - started) / 1e6;

/** Loads the JS glue and API modules (timed), without touching the wasm. */
export async function loadJs(glueAt = glueFile) {
  const started = clock();
  const glue = await import(pathToFileURL(glueAt).href);
  const engineModule = await import(pathToFileURL(`${repoRoot}/js/engine.js`).href);
  const core = await import(pathToFileURL(`${repoRoot}/js/core.js`).href);
  return { glue, engineModule, core, importMs: msSince(started) };
}

/** Reads and compiles the .wasm (what the edge runtime does before any request: `?module`). */
export function compileWasm(file = wasmFile) {
  let started = clock();
  const bytes = readFileSync(file);
  const readMs = msSince(started);
  started = clock();
  const module = new WebAssembly.Module(bytes);
  return { module, readMs, compileMs: msSince(started) };
}

/**
 * Instantiates `module` as js/edge.js does and registers it as the engine's instance.
 * Returns { instantiateMs, memory } (memory: the instance's WebAssembly.Memory).
 */
export function instantiateAsEdge({ glue, engineModule }, module) {
  const started = clock();
  const instance = new WebAssembly.Instance(module, { "./edgeguard_bg.js": glue });
  glue.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start?.();
  const instantiateMs = msSince(started);
  engineModule.registerInstantiator(() => glue); // already instantiated above: hand it over
  engineModule.engine();
  return { instantiateMs, memory: instance.exports.memory };
}
