// Node.js entry: the .wasm is read from the file next to the glue and compiled once per process.
import { readFileSync } from "node:fs";
import * as glue from "../pkg/edgeguard_bg.js";
import { registerInstantiator } from "./engine.js";

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
  compiled ??= new WebAssembly.Module(readFileSync(new URL("../pkg/edgeguard_bg.wasm", import.meta.url)));
  const instance = new WebAssembly.Instance(compiled, { "./edgeguard_bg.js": glue });
  glue.__wbg_set_wasm(instance.exports);
  previous = instance;
  instance.exports.__wbindgen_start?.();
  return glue;
});

export * from "./core.js";
