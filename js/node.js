// Node.js entry: the .wasm is read from the file next to the glue and compiled once per process.
import { readFileSync } from "node:fs";
import * as glue from "../pkg/edgeguard_bg.js";
import { registerInstantiator } from "./engine.js";

let compiled = null;
registerInstantiator(() => {
  compiled ??= new WebAssembly.Module(readFileSync(new URL("../pkg/edgeguard_bg.wasm", import.meta.url)));
  const instance = new WebAssembly.Instance(compiled, { "./edgeguard_bg.js": glue });
  glue.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start?.();
  return glue;
});

export * from "./core.js";
