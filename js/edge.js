// Edge entry (Next.js middleware, edge-light): Next forbids compiling wasm from bytes at request
// time, so the module arrives precompiled through a `?module` import and is instantiated by hand
// (wasm-bindgen's own loader checks `instanceof WebAssembly.Module`, false across Next's vm realm).
import compiled from "../pkg/edgeguard_bg.wasm?module";
import * as glue from "../pkg/edgeguard_bg.js";
import { registerInstantiator } from "./engine.js";

let previous = null;
registerInstantiator(() => {
  // A fresh instance after a trap: grow(0) detaches the old memory's buffer, so the glue's cached
  // Uint8Array/DataView (which only re-read a detached buffer) follow the new instance's memory.
  try {
    previous?.exports.memory.grow(0);
  } catch {
    // the old instance is unusable anyway
  }
  const instance = new WebAssembly.Instance(compiled, { "./edgeguard_bg.js": glue });
  glue.__wbg_set_wasm(instance.exports);
  previous = instance;
  instance.exports.__wbindgen_start?.();
  return glue;
});

export * from "./core.js";
